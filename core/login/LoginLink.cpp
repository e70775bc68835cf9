#include "login/LoginLink.h"

#include "login/LoginRequestFetcher.h"

#include <QUrl>
#include <QUrlQuery>

namespace uw {

namespace {

Error badLink(const QString& why)
{
    return makeError(QStringLiteral("bad_link"), why);
}

} // namespace

Result<LoginLink> LoginLink::parse(const QString& text)
{
    const QUrl u(text.trimmed());
    if (u.scheme() != QLatin1String("userwallet") || u.host() != QLatin1String("login"))
        return badLink(tr("This is not a login link (userwallet://login?…)."));
    const QUrlQuery q(u);
    LoginLink link;
    const QStringList requests = q.allQueryItemValues(QStringLiteral("request"), QUrl::FullyDecoded);
    if (requests.isEmpty()) {
        link.service = q.queryItemValue(QStringLiteral("service"), QUrl::FullyDecoded).trimmed();
        link.callback = q.queryItemValue(QStringLiteral("callback"), QUrl::FullyDecoded).trimmed();
        return link;
    }
    if (requests.size() > 1)
        return badLink(tr("The login link names more than one login request."));
    if (q.hasQueryItem(QStringLiteral("service")) || q.hasQueryItem(QStringLiteral("callback")))
        return badLink(tr("The login link holds both a login request and a service or callback; it is refused "
                          "rather than guessed."));
    auto url = LoginRequestFetcher::checkUrl(requests.first().trimmed());
    if (!url)
        return badLink(url.error().message);
    link.requestUrl = url->toString(QUrl::FullyEncoded);
    return link;
}

QString LoginLink::toString() const
{
    QUrlQuery q;
    if (isRequest()) {
        q.addQueryItem(QStringLiteral("request"), QString::fromLatin1(QUrl::toPercentEncoding(requestUrl)));
    } else {
        q.addQueryItem(QStringLiteral("service"), QString::fromLatin1(QUrl::toPercentEncoding(service)));
        q.addQueryItem(QStringLiteral("callback"), QString::fromLatin1(QUrl::toPercentEncoding(callback)));
    }
    QUrl u;
    u.setScheme(QStringLiteral("userwallet"));
    u.setHost(QStringLiteral("login"));
    u.setQuery(q.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return u.toString(QUrl::FullyEncoded);
}

} // namespace uw
