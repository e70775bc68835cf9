#pragma once

#include "config/KnownService.h"
#include "login/LoginStateMachine.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;

namespace uw::ui {

class LoginModel;
class QrCodeWidget;
class ReadOnlyTable;
class RelayListModel;

/// Device-1 login: the form, then the flow's progress; during the collection the
/// waiting text, the signing link with its copy button and QR code, a countdown, each relay's
/// state and the signatures so far; the confirmation of remote signatures (Back disabled);
/// and the outcome with its reason.
class LoginScreen : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kCountdownTickMs = 1000; ///< the countdown shows seconds
    /// `services`: the known services the form offers (from the profile's settings).
    LoginScreen(LoginModel* model, const QList<KnownService>& services, RelayListModel* relays,
                QWidget* parent = nullptr);

    /// Fills the form from a userwallet://login link (the user still clicks Log in).
    void prefill(const QString& service, const QString& callback);
    /// Whether Back is allowed now (never during the confirmation).
    bool backAllowed() const;

Q_SIGNALS:
    void backAllowedChanged(bool allowed);

private:
    void onState(LoginState state);
    void onFinished(bool success, const QString& reason);
    void tick();
    QString stepText(LoginState state) const;

    LoginModel* m_model;
    QStackedWidget* m_pages;
    QComboBox* m_services;
    QLineEdit* m_service;
    QLineEdit* m_callback;
    QLabel* m_step;
    QWidget* m_collectPanel;
    QLineEdit* m_link;
    QLabel* m_number = nullptr;
    QrCodeWidget* m_qr;
    QLabel* m_countdown;
    ReadOnlyTable* m_relays;
    QListWidget* m_signatures;
    QPushButton* m_cancel;
    QPushButton* m_back;
    QLabel* m_remoteSigners;
    QLabel* m_resultTitle;
    QLabel* m_resultReason;
    QTimer m_tick{this}; // parented: follows its owner to another thread
    QElapsedTimer m_collecting;
    LoginState m_state = LoginState::S_IDLE;
};

} // namespace uw::ui
