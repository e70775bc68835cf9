#include "login/HttpProofSender.h"

#include "login/LoginMessage.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace uw {

HttpProofSender::HttpProofSender(QObject* parent, int timeoutMs)
    : ProofSender(parent), m_nam(new QNetworkAccessManager(this)), m_timeoutMs(timeoutMs)
{}

void HttpProofSender::setTimeoutMs(int timeoutMs)
{
    m_timeoutMs = timeoutMs;
}

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
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = m_nam->post(req, proofJson);
    // Our own deadline over the whole exchange, not Qt's transfer timeout (which restarts on every
    // byte, and whose abort reads "Operation canceled"): a silent service is named as such.
    auto* deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    const int timeoutMs = m_timeoutMs;
    connect(deadline, &QTimer::timeout, reply, [reply] {
        reply->setProperty("uwTimedOut", true);
        reply->abort();
    });
    deadline->start(timeoutMs);
    connect(reply, &QNetworkReply::finished, this, [this, reply, deadline, timeoutMs] {
        deadline->stop();
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QString body = QString::fromUtf8(reply->read(2048)).simplified();
        if (reply->property("uwTimedOut").toBool()) {
            Q_EMIT finished(false, QStringLiteral("The service did not answer within %1 s (%2).")
                                       .arg(QString::number(timeoutMs / 1000.0), reply->url().toString()));
        } else if (status >= 200 && status < 300) {
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
