#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
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
    void answerConfirmation(bool accept);
    void cancel();

    LoginState state() const { return m_state; }
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

private:
    int m_timeoutSeconds;
    LoginState m_state = LoginState::S_IDLE;
    /// Built here, then owned by the relay thread: only reached through RelayRuntime::call(),
    /// ended with deleteLater(). The pointer itself is set once, before any other thread sees it.
    LoginSession* const m_session;
};

} // namespace uw::ui
