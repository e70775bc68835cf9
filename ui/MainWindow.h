#pragma once

#include "config/Settings.h"
#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"
#include "util/Clock.h"

#include <QMainWindow>
#include <memory>

class QListWidget;
class QStackedWidget;
class QLabel;

namespace uw::ui {

class AnchoringModel;
class AnchoringScreen;
class DeviceListModel;
class IdentityModel;
class LoginModel;
class PairingModel;
class RelayListModel;
class RelayRuntime;
class SettingsModel;
class SigningModel;
class WelcomeScreen;
class LoginScreen;
class SignScreen;
class PairingScreen;
class SettingsScreen;
class HistoryScreen;

/// A thin shell: the welcome screen until the identity is unlocked, then a navigation list
/// and one screen per task. It builds the models and hands them to the screens; the known
/// services, the relays and the node come from the profile's settings, the time from `clock`.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(Profile profile, Settings settings, const Clock& clock, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// A userwallet:// link (from the command line or a second launch).
    void handleUrl(const QString& url);

    // For tests and screenshots.
    LoginScreen* loginScreen() const { return m_login; }
    SignScreen* signScreen() const { return m_sign; }
    PairingScreen* pairingScreen() const { return m_pairing; }
    WelcomeScreen* welcomeScreen() const { return m_welcome; }
    AnchoringScreen* anchoringScreen() const { return m_anchoringScreen; }
    SettingsScreen* settingsScreen() const { return m_settingsScreen; }
    AnchoringModel* anchoringModel() const { return m_anchoring; }
    void showPage(const QString& objectName);

private:
    void onIdentityReady(const MemberDocument& member, std::shared_ptr<const KeyRing> keys);
    void buildMain();
    void refreshDevices();
    /// Unlocking (or creating) the identity: the same passphrase opens the anchoring wallet.
    void unlockWith(IdentityModel* identity, const QString& passphrase);

    Profile m_profile;
    Settings m_settings;
    const Clock& m_clock;
    MemberDocument m_member;
    std::shared_ptr<const KeyRing> m_keys;
    std::unique_ptr<RelayRuntime> m_runtime;
    IdentityModel* m_identity;
    PairingModel* m_pairingModel = nullptr;
    LoginModel* m_loginModel = nullptr;
    SigningModel* m_signingModel = nullptr;
    SettingsModel* m_settingsModel;
    AnchoringModel* m_anchoring;
    RelayListModel* m_relays = nullptr;
    DeviceListModel* m_devices = nullptr;
    QStackedWidget* m_stack;
    QListWidget* m_nav = nullptr;
    QStackedWidget* m_pages = nullptr;
    WelcomeScreen* m_welcome = nullptr;
    LoginScreen* m_login = nullptr;
    SignScreen* m_sign = nullptr;
    PairingScreen* m_pairing = nullptr;
    SettingsScreen* m_settingsScreen = nullptr;
    HistoryScreen* m_history = nullptr;
    AnchoringScreen* m_anchoringScreen = nullptr;
    QLabel* m_identityLabel = nullptr;
    QStringList m_pendingUrls;
};

} // namespace uw::ui
