#include "net/ListenAddress.h"

namespace uw::net {

Result<ListenAddress> parseListenAddress(const QString& text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = text.mid(colon + 1).toUInt(&portOk);
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : host);
    if (colon <= 0 || !portOk || port > 65535 || address.isNull())
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("--listen must be HOST:PORT with a numeric address, got \"%1\"").arg(text));
    return ListenAddress{address, quint16(port)};
}

} // namespace uw::net
