#pragma once

#include "login/Challenge.h"
#include "login/LoginDecline.h"
#include "login/LoginSignature.h"

#include <QMap>
#include <QObject>

namespace uw {

/// How the login flow reaches the other devices: publish the message and the
/// local signatures, then collect signatures. The relay pool implements it;
/// the flow never knows about WebSockets.
class LoginTransport : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    /// Publishes the message event and one event per local signature. Must
    /// answer once with published().
    virtual void publish(const Challenge& challenge, const QList<LoginSignature>& localSignatures) = 0;
    /// Starts delivering candidate signatures for this challenge (push + re-query);
    /// candidates are untrusted: the flow verifies each one.
    virtual void startCollecting(const Challenge& challenge) = 0;
    virtual void stopCollecting() = 0;

Q_SIGNALS:
    /// `perRelay` maps each relay URL to whether it acknowledged every event;
    /// `ok` when at least one relay acknowledged each event.
    void published(bool ok, const QMap<QString, bool>& perRelay, const QString& error);
    void signaturesReceived(const QList<LoginSignature>& candidates);
    /// A candidate signature as delivered: when its event says it was signed, and by which relay
    /// (once per relay that delivered it). For the record shown at the confirmation; the flow's
    /// verification decides whether the signature counts.
    void signatureDelivered(const uw::LoginSignature& candidate, std::int64_t signedAt, const QString& relay);
    /// A refusal read from a relay (structure checked, author not yet): the flow checks that it
    /// names this login and that its author is an authorized pair of the path.
    void declineReceived(const uw::LoginDecline& decline);
};

/// Sends the proof to the parent service. The HTTP implementation is
/// HttpProofSender; answers once with finished().
class ProofSender : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void send(const QString& callbackUrl, const QByteArray& proofJson) = 0;

Q_SIGNALS:
    /// `ok` for a 2xx answer; `detail` carries the status and the service's answer otherwise.
    void finished(bool ok, const QString& detail);
};

} // namespace uw
