#include "devices/LoginSignLink.h"

#include "crypto/Bytes.h"

#include <QUrl>
#include <QUrlQuery>

namespace uw {

namespace {

Error refused(const QString& why)
{
    return makeError(QStringLiteral("bad_link"), QStringLiteral("This is not a valid signing link: %1").arg(why));
}

} // namespace

QString LoginSignLink::toString() const
{
    return QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2").arg(hash, nonce);
}

Result<LoginSignLink> LoginSignLink::parse(const QString& input)
{
    const QString text = input.trimmed();
    if (text.size() > 512)
        return refused(QStringLiteral("it is too long."));
    for (QChar c : text)
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return refused(QStringLiteral("it contains spaces or characters that a link cannot hold."));
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return refused(QStringLiteral("it is not a URL."));
    if (!url.userInfo().isEmpty() || url.hasFragment())
        return refused(QStringLiteral("it carries extra parts (user name or fragment)."));
    if (url.scheme() == QLatin1String("userwallet")) {
        // userwallet://login-sign?...: "login-sign" is the host, with no path and no port.
        if (url.host() != QLatin1String("login-sign") || !(url.path().isEmpty() || url.path() == QLatin1String("/")) ||
            url.port() != -1)
            return refused(QStringLiteral("it must start with userwallet://login-sign?"));
    } else if (url.scheme() == QLatin1String("https")) {
        if (url.host().isEmpty() || !url.path().endsWith(QLatin1String("/login-sign")))
            return refused(QStringLiteral("an https link must point to …/login-sign."));
    } else {
        return refused(QStringLiteral("the scheme must be userwallet:// or https://."));
    }
    const QUrlQuery query(url);
    const auto items = query.queryItems(QUrl::FullyDecoded);
    if (items.size() != 2)
        return refused(QStringLiteral("it must carry exactly the hash and the nonce."));
    LoginSignLink link;
    for (const auto& [key, value] : items) {
        if (key == QLatin1String("hash") && link.hash.isNull())
            link.hash = value;
        else if (key == QLatin1String("nonce") && link.nonce.isNull())
            link.nonce = value;
        else
            return refused(QStringLiteral("unexpected or repeated parameter \"%1\".").arg(key.left(32)));
    }
    if (!isLowerHex(link.hash, 64))
        return refused(QStringLiteral("the hash must be 64 lowercase hexadecimal digits."));
    if (!isLowerHex(link.nonce, 32))
        return refused(QStringLiteral("the nonce must be 32 lowercase hexadecimal digits."));
    return link;
}

} // namespace uw
