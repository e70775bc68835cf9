#pragma once

#include "config/KnownService.h"
#include "login/LoginRequest.h"
#include "login/LoginStateMachine.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>
#include <optional>

class QComboBox;
class QFormLayout;
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
    /// Opens any userwallet://login link (core/login/LoginLink): the service+callback form fills the
    /// form; the request form fetches the request (a waiting page, Cancel), then shows what it asks
    /// in the form, or the refusal in words. The user still clicks Log in.
    void openLink(const QString& link);
    /// Fetches the login request at `url` as openLink() does.
    void openRequest(const QString& url);
    /// The services the picker offers (after the settings changed).
    void setKnownServices(const QList<KnownService>& services);
    /// Whether Back is allowed now (never during the confirmation).
    bool backAllowed() const;

Q_SIGNALS:
    void backAllowedChanged(bool allowed);

private:
    void onState(LoginState state);
    void onFinished(bool success, const QString& reason);
    void tick();
    QString stepText(LoginState state) const;
    void showRequest(const LoginRequest& request);
    void showRefusal(const QString& reason);
    void leaveRequestMode();

    LoginModel* m_model;
    QStackedWidget* m_pages;
    QFormLayout* m_fields;
    QComboBox* m_services;
    QList<KnownService> m_known;
    QLabel* m_requestInfo;
    std::optional<LoginRequest> m_request; ///< the fetched request the form shows, if any
    bool m_fetching = false;
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
