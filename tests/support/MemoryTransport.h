#pragma once

#include "login/LoginTransport.h"

namespace uw::test {

/// An in-process LoginTransport for driving LoginFlow in unit tests: publish
/// succeeds or fails as told, and the test injects "relayed" signatures. The
/// end-to-end tests use the real relay daemon instead.
class MemoryTransport : public LoginTransport
{
    Q_OBJECT
public:
    using LoginTransport::LoginTransport;

    void publish(const Challenge& challenge, const QList<LoginSignature>& localSignatures) override
    {
        published_ = challenge;
        publishedSignatures = localSignatures;
        QMetaObject::invokeMethod(
            this,
            [this] {
                QMap<QString, bool> perRelay{{QStringLiteral("memory://relay"), publishSucceeds}};
                Q_EMIT published(publishSucceeds, perRelay,
                                 publishSucceeds ? QString() : QStringLiteral("relay refused"));
            },
            Qt::QueuedConnection);
    }
    void startCollecting(const Challenge&) override { collecting = true; }
    void stopCollecting() override { collecting = false; }

    /// Delivers candidates as if a relay had pushed them.
    void deliver(const QList<LoginSignature>& candidates) { Q_EMIT signaturesReceived(candidates); }

    bool publishSucceeds = true;
    bool collecting = false;
    std::optional<Challenge> published_;
    QList<LoginSignature> publishedSignatures;
};

} // namespace uw::test
