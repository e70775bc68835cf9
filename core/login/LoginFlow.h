#pragma once

#include "identity/KeyRing.h"
#include "login/Challenge.h"
#include "login/LoginStateMachine.h"
#include "login/LoginTransport.h"
#include "login/Proof.h"
#include "util/Clock.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <QTimer>
#include <memory>

namespace uw {

/// Drives one device-1 login through the state machine: challenge,
/// local signatures, publication, collection, confirmation, verification,
/// nonce, proof. Every slow step (signing, SQLite, network) runs off the
/// calling thread; results come back as queued signals, so the GUI never waits.
///
/// The confirmation is asked through confirmationRequested(); the GUI or the
/// CLI answers with answerConfirmation(). Nothing is sent and the nonce is not
/// marked unless the flow reaches S_LOGIN_SEND_PROOF.
class LoginFlow : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginFlow)
public:
    struct Options
    {
        QString memberId;       ///< the member this device logs in for
        QString walletDatabase; ///< the profile's wallet.sqlite (nonces, history)
        int collectTimeoutMs = 5 * 60 * 1000;
        int confirmationTimeoutMs = 5 * 60 * 1000;
        /// Names of the other devices (pair id -> label, from the member documents), for the
        /// messages that name a device; a pair without one is named by the start of its id.
        QHash<QString, QString> pairLabels;
    };

    LoginFlow(Options options, std::shared_ptr<const KeyRing> keys, LoginTransport* transport, ProofSender* sender,
              const Clock& clock, QObject* parent = nullptr);
    ~LoginFlow() override;

    void start(const ChallengeRequest& request);
    /// The user's verdict on the remote signatures (only meaningful while confirmationRequested is pending).
    void answerConfirmation(bool accept);
    /// Abandons the login (not once the proof is being sent).
    void cancel();

    LoginState state() const { return m_machine.state(); }
    const Challenge* challenge() const { return m_challenge ? m_challenge.get() : nullptr; }
    QList<LoginSignature> signatures() const { return m_signatures; }
    QSet<QString> localPairs() const { return m_localPairs; }
    QString failureReason() const { return m_failureReason; }
    /// The device-2 link for this login (userwallet://login-sign?hash=…&nonce=…).
    QString signingLink() const;
    /// Milliseconds left before the collection times out (0 when not collecting).
    int remainingMs() const;
    /// The two-digit number the other devices ask for (docs/PROTOCOL.md, "Number matching");
    /// -1 before the challenge exists.
    int number() const;
    /// How a device is named to the user: its label, or the start of its pair id.
    QString deviceName(const QString& pair) const;

Q_SIGNALS:
    void stateChanged(uw::LoginState state);
    void challengeReady(const QString& hash, const QString& nonce, const QString& link);
    void publishOutcome(const QMap<QString, bool>& perRelay);
    void signatureAdded(const uw::LoginSignature& signature, bool remote);
    void confirmationRequested(const QList<uw::LoginSignature>& remoteSignatures);
    void finished(bool success, const QString& reason);

private:
    void fire(LoginEvent event);
    void fail(LoginEvent event, const QString& reason);
    void onPublished(bool ok, const QMap<QString, bool>& perRelay, const QString& error);
    void onCandidates(const QList<LoginSignature>& candidates);
    void onDecline(const LoginDecline& decline);
    void enterPublishProof();
    void verifyAndMark();
    void sendProof();
    void onSent(bool ok, const QString& detail);
    void recordHistory(bool success, const QString& reason);
    template <typename F, typename Done> void runInBackground(F work, Done done);

    Options m_options;
    std::shared_ptr<const KeyRing> m_keys;
    LoginTransport* m_transport;
    ProofSender* m_sender;
    const Clock& m_clock;
    LoginStateMachine m_machine;
    std::unique_ptr<Challenge> m_challenge;
    QList<LoginSignature> m_signatures;
    QSet<QString> m_localPairs;
    QString m_failureReason;
    QTimer m_timeout{this}; // parented: follows its owner to another thread
    /// This flow's own workers (signing, SQLite): one thread, so that disk writes stay ordered,
    /// and the destructor waits for them so that nothing outlives the flow.
    QThreadPool m_pool;
    quint64 m_generation = 0; ///< invalidates background results of an abandoned run
};

} // namespace uw
