#include "login/LoginRequestFetcher.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

Q_LOGGING_CATEGORY(lcRequest, "userwallet.login.request", QtInfoMsg)

namespace uw {

LoginRequestFetcher::LoginRequestFetcher(QObject* parent, int timeoutMs, qsizetype maxBytes)
    : QObject(parent), m_nam(new QNetworkAccessManager(this)), m_timeoutMs(timeoutMs), m_maxBytes(maxBytes)
{
    qRegisterMetaType<LoginRequest>();
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("timeout"),
             //: %1 is the service's host name, %2 a number of seconds.
             tr("The service (%1) did not send the login request within %2 s; nothing was done.")
                 .arg(host(), QString::number(m_timeoutMs / 1000.0)));
    });
}

LoginRequestFetcher::~LoginRequestFetcher()
{
    stop();
}

Result<QUrl> LoginRequestFetcher::checkUrl(const QString& text)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty())
        return makeError(QStringLiteral("bad_request_url"),
                         tr("The address of the login request (\"%1\") is not a valid URL.").arg(text.left(200)));
    if (url.scheme() == QLatin1String("https"))
        return url;
    if (url.scheme() == QLatin1String("http")) {
        const QHostAddress address(url.host());
        if (url.host() == QLatin1String("localhost") || (!address.isNull() && address.isLoopback()))
            return url;
        return makeError(QStringLiteral("bad_request_url"),
                         tr("The login request at %1 would travel unprotected (http://); only https:// is accepted, "
                            "or http:// on this machine.")
                             .arg(text.left(200)));
    }
    return makeError(QStringLiteral("bad_request_url"),
                     tr("The address of the login request (\"%1\") must start with https:// (or http:// on this "
                        "machine).")
                         .arg(text.left(200)));
}

QString LoginRequestFetcher::host() const
{
    return m_url.port() > 0 ? QStringLiteral("%1:%2").arg(m_url.host()).arg(m_url.port()) : m_url.host();
}

void LoginRequestFetcher::fetch(const QString& text)
{
    stop();
    auto url = checkUrl(text);
    if (!url) {
        // Queued: whoever called fetch() hears the answer after it returns, as for a network one.
        QMetaObject::invokeMethod(
            this, [this, e = url.error()] { Q_EMIT failed(e.code, e.message); }, Qt::QueuedConnection);
        return;
    }
    m_url = *url;
    QNetworkRequest request(m_url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::UserVerifiedRedirectPolicy);
    request.setMaximumRedirectsAllowed(kMaxRedirects);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setRawHeader("Accept", "application/json");
    m_reply = m_nam->get(request);
    // Qt reads no more from the socket than this until we take it: memory stays bounded.
    m_reply->setReadBufferSize(m_maxBytes + 1);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &LoginRequestFetcher::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &LoginRequestFetcher::onReadyRead);
    connect(m_reply, &QNetworkReply::redirected, this, &LoginRequestFetcher::onRedirected);
    connect(m_reply, &QNetworkReply::finished, this, &LoginRequestFetcher::onFinished);
    m_deadline.start(m_timeoutMs);
}

void LoginRequestFetcher::cancel()
{
    stop();
}

void LoginRequestFetcher::stop()
{
    m_deadline.stop();
    m_body.clear();
    if (QNetworkReply* reply = m_reply) {
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void LoginRequestFetcher::fail(const QString& code, const QString& reason)
{
    qCInfo(lcRequest) << "login request refused:" << code << reason;
    stop();
    Q_EMIT failed(code, reason);
}

void LoginRequestFetcher::onMetaData()
{
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > m_maxBytes)
        fail(QStringLiteral("too_large"),
             //: %1 is the service's host, %2 the size it announced in bytes, %3 the limit in KiB.
             tr("The login request from %1 is %2 bytes; at most %3 KiB are accepted. It was not read.")
                 .arg(host())
                 .arg(length.toLongLong())
                 .arg(m_maxBytes / 1024));
}

void LoginRequestFetcher::onReadyRead()
{
    m_body += m_reply->read(m_maxBytes + 1 - m_body.size());
    if (m_body.size() > m_maxBytes)
        fail(QStringLiteral("too_large"),
             //: %1 is the service's host, %2 the limit in KiB.
             tr("The login request from %1 is larger than %2 KiB; the transfer was stopped.")
                 .arg(host())
                 .arg(m_maxBytes / 1024));
}

void LoginRequestFetcher::onRedirected(const QUrl& target)
{
    if (checkUrl(target.toString())) {
        Q_EMIT m_reply->redirectAllowed();
        return;
    }
    fail(QStringLiteral("redirect_refused"),
         //: %1 the service's host, %2 the address it redirects to.
         tr("The service (%1) sent the login request on to %2, which is not allowed (https://, or http:// on this "
            "machine only); nothing was fetched from there.")
             .arg(host(), target.toString().left(200)));
}

void LoginRequestFetcher::onFinished()
{
    QNetworkReply* reply = m_reply;
    if (!reply)
        return;
    if (reply->bytesAvailable() > 0)
        onReadyRead();
    if (!m_reply) // too large
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() == QNetworkReply::TooManyRedirectsError) {
        fail(QStringLiteral("redirect_refused"),
             tr("The service (%1) redirected the login request more than %2 times.").arg(host()).arg(kMaxRedirects));
        return;
    }
    if (status > 0 && status != 200) {
        fail(QStringLiteral("http_status"),
             //: %1 the service's host, %2 an HTTP status number (404...).
             tr("The service (%1) answered HTTP %2 instead of sending the login request.").arg(host()).arg(status));
        return;
    }
    if (reply->error() != QNetworkReply::NoError || status == 0) {
        fail(QStringLiteral("unreachable"),
             //: %1 the service's host, %2 the network's own error text.
             tr("The login request could not be fetched from %1: %2").arg(host(), reply->errorString()));
        return;
    }
    const QByteArray body = m_body;
    stop();
    auto request = LoginRequest::fromBytes(body);
    if (!request) {
        qCInfo(lcRequest) << "login request refused:" << request.error().message;
        //: %1 the service's host, %2 why the document is not a valid login request.
        Q_EMIT failed(request.error().code,
                      tr("The login request from %1 cannot be used. %2").arg(m_url.host(), request.error().message));
        return;
    }
    Q_EMIT fetched(*request);
}

} // namespace uw
