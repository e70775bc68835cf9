#include "config/RelayList.h"

#include <QUrl>

namespace uw {

Result<QStringList> parseRelayList(const QString& commaSeparated)
{
    QStringList out;
    const QStringList parts = commaSeparated.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString part : parts) {
        part = part.trimmed();
        const QUrl url(part, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss")) ||
            url.host().isEmpty())
            return makeError(
                QStringLiteral("bad_relay_url"),
                QStringLiteral("\"%1\" is not a relay URL (ws://host:port or wss://host/...).").arg(part.left(200)));
        if (!out.contains(part))
            out.append(part);
    }
    if (out.isEmpty())
        return makeError(QStringLiteral("bad_relay_url"), QStringLiteral("No relay URL given."));
    return out;
}

} // namespace uw
