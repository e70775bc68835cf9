#include "config/KnownService.h"

#include <QHostAddress>

namespace uw {

namespace {

Error bad(QString* field, const char* name, const QString& why)
{
    if (field)
        *field = QString::fromLatin1(name);
    return makeError(QStringLiteral("bad_known_service"), why);
}

bool loopback(const QUrl& url)
{
    const QHostAddress address(url.host());
    return url.host() == QLatin1String("localhost") || (!address.isNull() && address.isLoopback());
}

} // namespace

Result<void> KnownService::check(QString* field) const
{
    if (name.trimmed().isEmpty())
        return bad(field, "name", tr("Give the service a name, as the login screen will list it."));
    if (isRequest()) {
        if (!service.isEmpty() || !callback.isEmpty())
            return bad(field, "request",
                       tr("Give either the address of the service's login request, or a service id and a callback, "
                          "not both."));
        if (!request.isValid() || request.host().isEmpty() || !request.userInfo().isEmpty() ||
            !(request.scheme() == QLatin1String("https") ||
              (request.scheme() == QLatin1String("http") && loopback(request))))
            return bad(field, "request",
                       tr("The login request's address must be an https:// URL (or http:// on this machine)."));
        return {};
    }
    if (service.trimmed().isEmpty())
        return bad(field, "service", tr("Give the service's id (or the address of its login request)."));
    if (callback.isEmpty())
        return bad(field, "callback", tr("Give the URL that receives the proof (or the address of a login request)."));
    if (!callback.isValid() || callback.host().isEmpty() ||
        (callback.scheme() != QLatin1String("https") && callback.scheme() != QLatin1String("http")))
        return bad(field, "callback", tr("The callback must be an http:// or https:// URL."));
    return {};
}

} // namespace uw
