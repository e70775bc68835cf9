#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberRequirement.h"
#include "login/LoginFlow.h"
#include "relay/RelayPool.h"
#include "util/Clock.h"

#include <QObject>
#include <memory>

namespace uw {

/// What a device-1 login needs besides its keys and relays.
struct LoginSessionOptions
{
    MemberRequirement member;           ///< the member this device logs in for, with its pairs
    QString walletDatabase;             ///< the profile's wallet.sqlite (nonces, history)
    int timeoutSeconds = 300;           ///< how long the other devices have to sign
    QHash<QString, QString> pairLabels; ///< pair id -> device label, to name the other devices
};

/// The device-1 login stack built one way for the GUI and the CLI: the relay pool, the login
/// transport over it, the proof sender and the flow, with the same timeouts and the same
/// lifetime of the login message. The flow's signals are forwarded as the session's own, so a
/// caller can connect before the first login.
///
/// Lives on one thread (the GUI's relay thread, the CLI's main thread): the stack is built there,
/// on the first start(). Construct it anywhere and move it there before starting.
class LoginSession : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginSession)
public:
    /// How long the user has to confirm other devices' signatures.
    static constexpr int kConfirmationTimeoutMs = 5 * 60 * 1000;
    /// The login message outlives the collection by this margin, and lives at least kMinimumLifetimeSeconds.
    static constexpr int kLifetimeMarginSeconds = 60;
    static constexpr int kMinimumLifetimeSeconds = 300;

    /// Over a pool that lives on this session's thread and belongs to someone else (the GUI's relay runtime).
    LoginSession(RelayPool* pool, std::shared_ptr<const KeyRing> keys, LoginSessionOptions options, const Clock& clock,
                 QObject* parent = nullptr);
    /// Over a pool of its own to `relayUrls`: started with the first login, stopped with the session.
    LoginSession(const QStringList& relayUrls, std::shared_ptr<const KeyRing> keys, LoginSessionOptions options,
                 const Clock& clock, QObject* parent = nullptr);
    ~LoginSession() override;

    /// Starts a login to `service` (a new one if one was under way).
    void start(const QString& service, const QString& callback);
    void answerConfirmation(bool accept);
    void cancel();

    int timeoutSeconds() const { return m_options.timeoutSeconds; }
    /// The flow of the current login; null before the first start().
    const LoginFlow* flow() const { return m_flow; }
    /// The request the next start() makes: this member, strict, and the message's lifetime.
    ChallengeRequest request(const QString& service, const QString& callback) const;
    /// The flow's timeouts for these options.
    LoginFlow::Options flowOptions() const;

Q_SIGNALS:
    void stateChanged(uw::LoginState state);
    void challengeReady(const QString& hash, const QString& nonce, const QString& link);
    void publishOutcome(const QMap<QString, bool>& perRelay);
    void signatureAdded(const uw::LoginSignature& signature, bool remote);
    void confirmationRequested(const QList<uw::LoginSignature>& remoteSignatures);
    void finished(bool success, const QString& reason);

private:
    void build();

    RelayPool* m_pool;
    bool m_ownsPool;
    std::shared_ptr<const KeyRing> m_keys;
    LoginSessionOptions m_options;
    const Clock& m_clock;
    LoginFlow* m_flow = nullptr; ///< a child, built on this session's thread by the first start()
    bool m_poolStarted = false;
};

} // namespace uw
