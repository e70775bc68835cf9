#pragma once

#include "config/Settings.h"
#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"
#include "util/Clock.h"

#include <QMainWindow>
#include <QPointer>
#include <memory>

class QListWidget;
class QStackedWidget;
class QLabel;
class QSystemTrayIcon;
class QAction;
class QToolButton;
class QTimer;

namespace uw::ui {

class AnchoringModel;
class BackupModel;
class AnchoringScreen;
class DeviceListModel;
class IdentityModel;
class LoginModel;
class PairingModel;
class RelayListModel;
class RelayRuntime;
class SettingsModel;
class SigningModel;
class PushModel;
class ReviewWindow;
class ChecklistModel;
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
    ReviewWindow* reviewWindow() const { return m_review.get(); }
    PushModel* pushModel() const { return m_push; }
    QSystemTrayIcon* trayIcon() const { return m_tray; }
    /// The last desktop notification (title, then text): what the person was told, for tests.
    QStringList lastNotification() const { return m_lastNotification; }

    /// Started minimised (at login): only the tray icon shows, when the desktop has a tray.
    void startInTray();

protected:
    /// With a tray icon, closing the window keeps the wallet running there (it can still be asked
    /// by push); Quit (the tray's menu, Ctrl+Q) ends it.
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void buildTray();
    void buildMenus();
    void buildStatusBar();
    void refreshRelayStatus();
    void showNodeStatus(int status, const QString& text);
    /// The node's height and sync state and the anchoring queue, read from the running anchoring
    /// core (a snapshot on its thread; the answer comes back queued). The core's news of one
    /// moment (a block, a round, anchors) gives one snapshot: m_nodeDetailsTimer gathers it.
    void refreshNodeDetails();
    /// Tells the person that a login asks this device: a notification from the tray, or, without
    /// a tray, the review window itself.
    void notifyLogin(const QString& deviceLabel, const QString& service);
    void showFromTray();
    void onIdentityReady(const MemberDocument& member, std::shared_ptr<const KeyRing> keys);
    void buildMain();
    /// The first run's checklist in place of the pages (built the first time), until Continue.
    void showChecklist();
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
    PushModel* m_push = nullptr;
    SigningModel* m_reviewSigning = nullptr;
    std::unique_ptr<ReviewWindow> m_review; ///< a window of its own: it shows while the main one is hidden
    QSystemTrayIcon* m_tray = nullptr;
    QAction* m_autostartAction = nullptr;
    QToolButton* m_relayStatus = nullptr;
    QToolButton* m_nodeStatus = nullptr;
    QToolButton* m_profileStatus = nullptr;
    QStringList m_lastNotification;
    BackupModel* m_backup = nullptr;
    ChecklistModel* m_checklistModel = nullptr;
    QWidget* m_checklist = nullptr; ///< the checklist screen's holder in m_stack, once built
    bool m_firstRun = false;        ///< this window created, joined or restored the identity
    bool m_quitting = false;
    QToolButton* m_queueStatus = nullptr;
    QTimer* m_nodeDetailsTimer = nullptr;
    QPointer<QObject> m_watchedRuntime; ///< the anchoring core whose news the status bar follows
    bool m_nodeSynced = false;
    bool m_closedToTrayOnce = false;
    QString m_linkLoginHash; ///< the login on the link page, dismissed from the push list once answered
};

} // namespace uw::ui
