#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "login/LoginRequest.h"
#include "login/LoginSignature.h"
#include "login/LoginStateMachine.h"
#include "util/Clock.h"

#include <QObject>
#include <memory>

namespace uw {
class LoginSession;
}

namespace uw::ui {

class RelayRuntime;

/// The GUI's facade over device-1 logins: a LoginSession on the relay thread, reached through
/// queued calls, whose steps come back as queued signals. Never opens a dialog.
class LoginModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginModel)
public:
    LoginModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, const MemberDocument& member,
               QString walletDatabase, int timeoutSeconds, const Clock& clock, QObject* parent = nullptr);
    ~LoginModel() override;

    void start(const QString& service, const QString& callback);
    /// Fetches a service's login request (userwallet://login?request=URL) on the relay thread and
    /// checks it for this device: requestReady() or requestRefused() follows. Starts nothing.
    void fetchRequest(const QString& url);
    /// Starts the login `request` asks for (its members, its callback, its ttl).
    void startRequest(const uw::LoginRequest& request);
    void answerConfirmation(bool accept);
    /// Abandons the login, or the fetch of a request, under way.
    void cancel();
    /// The member's latest document (a device added or removed): what the next login lists.
    void setMember(const MemberDocument& member);

    LoginState state() const { return m_state; }
    /// How long the other devices have to sign in the current login (a request's ttl may shorten it).
    int timeoutSeconds() const { return m_timeoutSeconds; }

Q_SIGNALS:
    void stateChanged(uw::LoginState state);
    void linkReady(const QString& link);
    /// The two-digit number the other devices ask the person to type (number matching).
    void numberReady(int number);
    void signatureAdded(const QString& member, const QString& pair, bool remote);
    /// Remote signatures to confirm, each as "member (pair…)".
    void confirmationRequested(const QStringList& remoteSigners);
    void finished(bool success, const QString& reason);
    /// A fetched login request this device may answer.
    void requestReady(const uw::LoginRequest& request);
    /// Why a login request could not be fetched, or may not be answered here (a sentence).
    void requestRefused(const QString& reason);

private:
    /// How the confirmation names a remote signature: the device's label (or its short pair id)
    /// and member, when it was signed, and which relays delivered it.
    QString describe(const LoginSignature& signature) const;

    struct Delivery
    {
        std::int64_t signedAt = 0;
        QStringList relays;
    };
    QHash<QString, QString> m_labels;      ///< pair -> label, from the member document
    QHash<QString, Delivery> m_deliveries; ///< pair + signature -> delivery, for the current login
    const int m_sessionTimeoutSeconds;
    int m_timeoutSeconds;
    QString m_fetching; ///< the request URL whose answer is awaited; empty when none is
    LoginState m_state = LoginState::S_IDLE;
    /// Built here, then owned by the relay thread: only reached through RelayRuntime::call(),
    /// ended with deleteLater(). The pointer itself is set once, before any other thread sees it.
    LoginSession* const m_session;
};

} // namespace uw::ui
