#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberRequirement.h"
#include "login/LoginFlow.h"
#include "login/LoginRequest.h"
#include "relay/RelayPool.h"
#include "util/Clock.h"

#include <QObject>
#include <memory>

namespace uw {

class LoginRequestFetcher;

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

    /// Starts a login to `service` (a new one if one was under way): this member alone.
    void start(const QString& service, const QString& callback);
    /// Starts the login a service asked for: its members, its callback, a message that lives no
    /// longer than its `ttl`. A request this device may not answer (see checkRequest) ends at once
    /// in finished(false, reason), queued, before anything is published.
    void start(const LoginRequest& request);
    /// Fetches a service's login request (LoginRequestFetcher's limits) and checks it for this
    /// device: requestReady() or requestRefused() follows. Starts nothing: the caller decides.
    void fetchRequest(const QString& url);
    void answerConfirmation(bool accept);
    /// Abandons the login or the fetch under way.
    void cancel();
    /// The member as its latest document has it (a device added or removed): the next login lists
    /// these pairs, and only their signatures count; a login under way keeps the message it sent.
    void setMember(const MemberRequirement& member, const QHash<QString, QString>& pairLabels);

    /// Ok when this device may answer `request`: not past its `expires_at`, an acceptable callback,
    /// this device's member among its members, and one of this device's pairs (id and key) among
    /// that member's pairs. Otherwise an error whose message a person understands:
    /// `request_expired`, `bad_callback`, `not_a_member`, `not_registered`, `key_mismatch`.
    Result<void> checkRequest(const LoginRequest& request) const;
    /// The ChallengeRequest a login from `request` makes (after checkRequest).
    ChallengeRequest request(const LoginRequest& request) const;
    /// How long the other devices have to sign in a login from `request`: the session's timeout,
    /// shortened so that the collection ends before a message living `ttl` seconds expires.
    int timeoutSeconds(const LoginRequest& request) const { return timeoutSeconds(m_options.timeoutSeconds, request); }
    /// The same for a session whose timeout is `sessionTimeoutSeconds` (for the GUI's countdown).
    static int timeoutSeconds(int sessionTimeoutSeconds, const LoginRequest& request);
    /// How long the message of a session with this timeout lives, no longer than the request's ttl.
    static int lifetimeSeconds(int sessionTimeoutSeconds, int ttlSeconds);
    /// For tests: the fetch's time limit (LoginRequestFetcher::kDefaultTimeoutMs by default).
    void setFetchTimeoutMs(int timeoutMs) { m_fetchTimeoutMs = timeoutMs; }

    int timeoutSeconds() const { return m_options.timeoutSeconds; }
    /// The flow of the current login; null before the first start().
    const LoginFlow* flow() const { return m_flow; }
    /// The request the next start() makes: this member, strict, and the message's lifetime.
    ChallengeRequest request(const QString& service, const QString& callback) const;
    /// The flow's timeouts for these options.
    LoginFlow::Options flowOptions() const;
    /// The same with another collection timeout.
    LoginFlow::Options flowOptions(int collectTimeoutSeconds) const;

Q_SIGNALS:
    void stateChanged(uw::LoginState state);
    void challengeReady(const QString& hash, const QString& nonce, const QString& link);
    void publishOutcome(const QMap<QString, bool>& perRelay);
    void signatureAdded(const uw::LoginSignature& signature, bool remote);
    void confirmationRequested(const QList<uw::LoginSignature>& remoteSignatures);
    /// LoginTransport::signatureDelivered: when a candidate signature was signed, which relay brought it.
    void signatureDelivered(const uw::LoginSignature& candidate, std::int64_t signedAt, const QString& relay);
    void finished(bool success, const QString& reason);
    /// A request fetched from `url` that this device may answer (fetchRequest()).
    void requestReady(const QString& url, const uw::LoginRequest& request);
    /// Why the request at `url` could not be fetched, or cannot be answered here (fetchRequest()).
    void requestRefused(const QString& url, const QString& code, const QString& reason);

private:
    void build(int collectTimeoutSeconds);
    void startFlow(const ChallengeRequest& request, int collectTimeoutSeconds);

    RelayPool* m_pool;
    bool m_ownsPool;
    std::shared_ptr<const KeyRing> m_keys;
    LoginSessionOptions m_options;
    const Clock& m_clock;
    LoginFlow* m_flow = nullptr;  ///< a child, built on this session's thread by the first start()
    int m_flowTimeoutSeconds = 0; ///< the collection timeout m_flow was built with
    bool m_poolStarted = false;
    LoginRequestFetcher* m_fetcher = nullptr; ///< a child, built by the first fetchRequest()
    int m_fetchTimeoutMs;
    QString m_fetchUrl; ///< the address of the fetch under way
};

} // namespace uw
