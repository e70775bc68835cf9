#pragma once

#include "login/LoginTransport.h"

class QNetworkAccessManager;

namespace uw {

/// POSTs the proof JSON to the callback (https://, or http:// on loopback
/// only: checked again here, whatever the message said).
class HttpProofSender final : public ProofSender
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpProofSender)
public:
    explicit HttpProofSender(QObject* parent = nullptr, int timeoutMs = 30000);
    void send(const QString& callbackUrl, const QByteArray& proofJson) override;

private:
    QNetworkAccessManager* m_nam;
    int m_timeoutMs;
};

} // namespace uw
