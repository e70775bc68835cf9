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
    static constexpr int kDefaultTimeoutMs = 30000;

    explicit HttpProofSender(QObject* parent = nullptr, int timeoutMs = kDefaultTimeoutMs);
    /// The whole exchange (connect, send, answer) must end within `timeoutMs`, however slowly
    /// the service trickles bytes; past it the request is abandoned and finished() says "the
    /// service did not answer within N s". Applies to the next send().
    void setTimeoutMs(int timeoutMs);
    int timeoutMs() const { return m_timeoutMs; }
    void send(const QString& callbackUrl, const QByteArray& proofJson) override;

private:
    QNetworkAccessManager* m_nam;
    int m_timeoutMs;
};

} // namespace uw
