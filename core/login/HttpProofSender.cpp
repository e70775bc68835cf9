#include "login/HttpProofSender.h"

#include "login/LoginMessage.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace uw {

HttpProofSender::HttpProofSender(QObject* parent, int timeoutMs)
    : ProofSender(parent), m_nam(new QNetworkAccessManager(this)), m_timeoutMs(timeoutMs)
{}

void HttpProofSender::send(const QString& callbackUrl, const QByteArray& proofJson)
{
    if (auto ok = validate::callbackUrl(callbackUrl); !ok) {
        // Queued, so that the caller always gets its answer after send() returns.
        QMetaObject::invokeMethod(
            this, [this, msg = ok.error().message] { Q_EMIT finished(false, msg); }, Qt::QueuedConnection);
        return;
    }
    QNetworkRequest req{QUrl(callbackUrl)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setTransferTimeout(m_timeoutMs);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = m_nam->post(req, proofJson);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString body = QString::fromUtf8(reply->read(2048)).simplified();
        if (status >= 200 && status < 300) {
            Q_EMIT finished(true, QStringLiteral("HTTP %1").arg(status));
        } else if (status > 0) {
            Q_EMIT finished(false, QStringLiteral("The service answered HTTP %1%2")
                                       .arg(status)
                                       .arg(body.isEmpty() ? QString() : QStringLiteral(": ") + body.left(300)));
        } else {
            Q_EMIT finished(false, QStringLiteral("The service could not be reached: %1").arg(reply->errorString()));
        }
    });
}

} // namespace uw
