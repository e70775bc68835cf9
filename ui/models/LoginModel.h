#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "login/LoginStateMachine.h"

#include <QObject>
#include <QPointer>
#include <memory>

namespace uw {
class LoginFlow;
}

namespace uw::ui {

class RelayRuntime;

/// The GUI's facade over one device-1 login: it runs the core's LoginFlow on the
/// relay thread and reports each step as a queued signal. Never opens a dialog.
class LoginModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginModel)
public:
    LoginModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, MemberDocument member,
               QString walletDatabase, int timeoutSeconds, QObject* parent = nullptr);
    ~LoginModel() override;

    void start(const QString& service, const QString& callback);
    void answerConfirmation(bool accept);
    void cancel();

    LoginState state() const { return m_state; }
    int timeoutSeconds() const { return m_timeoutSeconds; }

Q_SIGNALS:
    void stateChanged(uw::LoginState state);
    void linkReady(const QString& link);
    void signatureAdded(const QString& member, const QString& pair, bool remote);
    /// Remote signatures to confirm, each as "member (pair…)".
    void confirmationRequested(const QStringList& remoteSigners);
    void finished(bool success, const QString& reason);

private:
    RelayRuntime* m_runtime;
    std::shared_ptr<const KeyRing> m_keys;
    MemberDocument m_member;
    QString m_walletDatabase;
    int m_timeoutSeconds;
    LoginState m_state = LoginState::S_IDLE;
    LoginFlow* m_flow = nullptr; ///< lives on the relay thread; only touched there
};

} // namespace uw::ui
