#include "MainWindow.h"

#include "anchor/AnchorRuntime.h"
#include "anchor/AnchorState.h"
#include "anchor/server/AnchorProfile.h"
#include "config/Autostart.h"
#include "devices/LoginSignLink.h"
#include "models/AnchoringModel.h"
#include "models/BackupModel.h"
#include "models/ChecklistModel.h"
#include "models/DashboardModel.h"
#include "models/DeviceListModel.h"
#include "models/HistoryModel.h"
#include "models/IdentityModel.h"
#include "models/LoginModel.h"
#include "models/PairingModel.h"
#include "models/PushModel.h"
#include "models/RelayListModel.h"
#include "models/RelayRuntime.h"
#include "models/SettingsModel.h"
#include "models/SigningModel.h"
#include "screens/AboutScreen.h"
#include "screens/AnchoringScreen.h"
#include "screens/ChecklistScreen.h"
#include "screens/DashboardScreen.h"
#include "screens/HistoryScreen.h"
#include "screens/LoginScreen.h"
#include "screens/PairingScreen.h"
#include "screens/ReviewWindow.h"
#include "screens/SettingsScreen.h"
#include "screens/SignScreen.h"
#include "screens/WelcomeScreen.h"
#include "widgets/NavigationIcons.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFile>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QListWidgetItem>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QToolButton>

namespace uw::ui {

namespace {

constexpr int kDashboardRefreshMs = 10'000;     ///< the dashboard collects again this often while it is shown
constexpr int kServiceCheckTimeoutMs = 3'000;   ///< each of the dashboard's service checks
constexpr int kStatusMessageMs = 5'000;         ///< how long a relay's news stays in the status bar
constexpr int kNodeDetailsDelayMs = 200;        ///< news from the anchoring core, gathered before one snapshot
constexpr int kIconNameRole = Qt::UserRole + 1; ///< a navigation entry's icon: {own name, theme name}

/// A narrow form, centred horizontally in the window.
QWidget* centered(QWidget* content)
{
    auto* holder = new QWidget;
    auto* row = new QHBoxLayout(holder);
    row->addStretch();
    row->addWidget(content, 3);
    row->addStretch();
    return holder;
}

} // namespace

MainWindow::MainWindow(Profile profile, Settings settings, const Clock& clock, QWidget* parent)
    : QMainWindow(parent), m_profile(std::move(profile)), m_settings(std::move(settings)), m_clock(clock),
      m_identity(new IdentityModel(m_profile, this)),
      m_settingsModel(new SettingsModel(m_profile.settingsFile(), this)),
      m_anchoring(new AnchoringModel(m_profile, m_settings, m_clock, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    resize(960, 680);
    m_stack = new QStackedWidget(this);
    setCentralWidget(m_stack);
    // The relays are reached from the start: pairing (join) needs them before any identity.
    m_runtime = std::make_unique<RelayRuntime>(m_settings.relayUrls);
    m_pairingModel = new PairingModel(m_runtime.get(), m_profile, m_clock, this);

    //: The window's title; %1 is the profile's name (one device per profile).
    setWindowTitle(tr("UserWallet — %1").arg(m_profile.name()));
    buildMenus();
    buildTray();
    m_welcome = new WelcomeScreen(m_profile.isInitialized(), m_stack);
    // Restore from a backup on the welcome screen, export one from Settings (a worker thread).
    m_backup = new BackupModel(m_profile, this);
    m_welcome->setBackupModel(m_backup);
    m_stack->addWidget(centered(m_welcome));
    // After a first run (create, join, restore), a checklist comes before the pages.
    m_checklistModel = new ChecklistModel(m_runtime.get(), m_backup, this);
    connect(m_backup, &BackupModel::restored, this, [this] { m_firstRun = true; });
    connect(m_welcome, &WelcomeScreen::createRequested, this,
            [this](const QString& id, const QString& name, int card, const QString& pass) {
                m_welcome->setBusy(true, tr("Creating the key and protecting it with the passphrase…"));
                m_firstRun = true;
                m_anchoring->openWallet(std::make_shared<const SecretBytes>(pass.toUtf8()));
                m_identity->create(id, name, card, pass);
            });
    connect(m_welcome, &WelcomeScreen::unlockRequested, this, [this](const QString& pass) {
        m_welcome->setBusy(true, tr("Unlocking…"));
        unlockWith(m_identity, pass);
    });
    connect(m_welcome, &WelcomeScreen::joinRequested, this, [this](const QString& link, const QString& pass) {
        m_welcome->setBusy(true, tr("Asking to join over the relays…"));
        m_pairingModel->join(link, pass.toUtf8(), m_settings.loginTimeoutSeconds);
    });
    connect(m_pairingModel, &PairingModel::fingerprintReady, m_welcome, &WelcomeScreen::showJoinFingerprint);
    connect(m_pairingModel, &PairingModel::joinAccepted, this, [this] {
        //: Device 2, while joining: device 1 said yes; the key is being sealed (this takes a few seconds).
        m_welcome->setBusy(true, tr("Device 1 accepted. Protecting the new key with your passphrase…"));
    });
    connect(m_pairingModel, &PairingModel::failed, this, [this](const QString& why) {
        if (!m_pages)
            m_welcome->showError(why);
        else if (m_pairing)
            m_pairing->showDone(why, true);
    });
    connect(m_pairingModel, &PairingModel::paired, this, [this](const MemberDocument& doc) {
        if (!m_pages) {
            m_firstRun = true;
            m_welcome->setBusy(
                false, tr("This device joined member \"%1\". Unlock it with the passphrase you chose.").arg(doc.id));
            // The profile now holds an identity: offer the unlock form.
            auto* fresh = new WelcomeScreen(true, m_stack);
            fresh->setBackupModel(m_backup);
            QWidget* holder = centered(fresh);
            m_stack->addWidget(holder);
            connect(fresh, &WelcomeScreen::unlockRequested, this, [this, fresh](const QString& pass) {
                fresh->setBusy(true, tr("Unlocking…"));
                unlockWith(m_identity, pass);
            });
            m_welcome = fresh;
            m_stack->setCurrentWidget(holder);
        } else if (m_pairing) {
            m_member = doc;
            refreshDevices();
            m_pairing->showDone(tr("The new device was added."), false);
        }
    });
    connect(m_identity, &IdentityModel::ready, this, &MainWindow::onIdentityReady);
    connect(m_identity, &IdentityModel::failed, this, [this](const QString& why) { m_welcome->showError(why); });
}

MainWindow::~MainWindow()
{
    // Models first (they hand their relay-thread objects back), then the relay thread.
    delete m_loginModel;
    delete m_signingModel;
    m_review.reset();
    delete m_reviewSigning;
    delete m_push;
    m_reviewSigning = nullptr;
    m_push = nullptr;
    delete m_pairingModel;
    delete m_devices; // its activity watch lives on the relay thread
    m_devices = nullptr;
    m_loginModel = nullptr;
    m_signingModel = nullptr;
    m_pairingModel = nullptr;
    // The anchoring runtime stops: its thread closes the anchor database and ends.
    delete m_anchoring;
    m_anchoring = nullptr;
    m_runtime.reset();
}

void MainWindow::unlockWith(IdentityModel* identity, const QString& passphrase)
{
    // Both key files are opened on workers at once; each copy of the passphrase is wiped when its
    // work is done (SecretBytes), and the identity model wipes its own.
    m_anchoring->openWallet(std::make_shared<const SecretBytes>(passphrase.toUtf8()));
    identity->unlock(passphrase);
}

void MainWindow::onIdentityReady(const MemberDocument& member, std::shared_ptr<const KeyRing> keys)
{
    m_member = member;
    m_keys = std::move(keys);
    buildMain();
    m_anchoring->setUnlocked();
    m_stack->setCurrentIndex(m_stack->count() - 1);
    findChild<QAction*>(QStringLiteral("checklistAction"))->setEnabled(true);
    if (m_firstRun)
        showChecklist();
    const QStringList pending = m_pendingUrls;
    m_pendingUrls.clear();
    for (const QString& url : pending)
        handleUrl(url);
}

void MainWindow::buildMain()
{
    auto* main = new QWidget(m_stack);
    auto* row = new QHBoxLayout(main);
    auto* side = new QVBoxLayout;
    m_identityLabel = new QLabel(main);
    m_identityLabel->setObjectName(QStringLiteral("identityLabel"));
    m_identityLabel->setWordWrap(true);
    side->addWidget(m_identityLabel);
    m_nav = new QListWidget(main);
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_nav->setAccessibleName(tr("Sections"));
    m_nav->setMaximumWidth(220);
    side->addWidget(m_nav);
    row->addLayout(side);
    m_pages = new QStackedWidget(main);
    row->addWidget(m_pages, 1);

    m_loginModel = new LoginModel(m_runtime.get(), m_keys, m_member, m_profile.walletDatabase(),
                                  m_settings.loginTimeoutSeconds, m_clock, this);
    m_signingModel = new SigningModel(m_runtime.get(), m_keys,
                                      CoSignPolicy{m_member, m_settings.cosignMaxValiditySeconds}, m_clock, this);
    // Push: this profile is asked by the logins that need its member; one review window.
    m_push = new PushModel(m_runtime.get(), m_keys, CoSignPolicy{m_member, m_settings.cosignMaxValiditySeconds},
                           m_clock, this);
    m_reviewSigning = new SigningModel(m_runtime.get(), m_keys,
                                       CoSignPolicy{m_member, m_settings.cosignMaxValiditySeconds}, m_clock, this);
    m_review = std::make_unique<ReviewWindow>(m_push, m_reviewSigning);
    m_review->setWindowIcon(windowIcon());
    connect(m_push, &PushModel::arrived, this, [this](const PushedLogin& login, bool) {
        notifyLogin(login.askedByLabel, login.challenge.message.service);
    });
    // A login answered on the link page is not asked again in the review window.
    connect(m_signingModel, &SigningModel::requestReady, this,
            [this](const SigningRequest& r) { m_linkLoginHash = r.hash; });
    connect(m_signingModel, &SigningModel::published, this, [this] { m_push->dismiss(m_linkLoginHash); });
    connect(m_signingModel, &SigningModel::declined, this, [this] { m_push->dismiss(m_linkLoginHash); });
    m_push->start();
    m_relays = new RelayListModel(m_runtime.get(), this);
    m_devices = new DeviceListModel(this);
    m_devices->setPairingModel(m_pairingModel);
    m_devices->setActivitySources(m_runtime.get(), m_profile.walletDatabase(), m_clock);
    // A rename or a removal made a new version: logins, co-signing and the titles follow it.
    const auto follow = [this](const MemberDocument& doc) {
        if (doc.id == m_member.id && doc.version >= m_member.version) {
            m_member = doc;
            refreshDevices();
        }
    };
    connect(m_pairingModel, &PairingModel::renamed, this, follow);
    connect(m_pairingModel, &PairingModel::removed, this, follow);
    m_login = new LoginScreen(m_loginModel, m_settings.knownServices, m_relays, m_pages);
    m_sign = new SignScreen(m_signingModel, m_pages);
    m_pairing = new PairingScreen(m_devices, m_pages);
    m_history = new HistoryScreen(new HistoryModel(m_profile.walletDatabase(), this), m_pages);
    m_settingsScreen = new SettingsScreen(m_settings, m_pages);
    m_settingsScreen->setBackupModel(m_backup);
    auto* about = new AboutScreen(m_pages);
    // The services the dashboard checks: the profile's services.json (a few hundred bytes, read
    // once), else the node's defaults.
    QList<ServiceSpec> nodeServices = ServiceSpec::defaultsFor(m_settings);
    if (const QString file = m_profile.servicesFile(); QFile::exists(file)) {
        if (auto parsed = ServiceSpec::fromFile(file))
            nodeServices = *parsed;
        else
            statusBar()->showMessage(parsed.error().message);
    }
    auto* dashboardModel = new DashboardModel(
        {m_profile.anchorDatabase(), anchorBackend(m_settings), nodeServices, kServiceCheckTimeoutMs},
        kDashboardRefreshMs, m_clock, this);
    // The dashboard reads the anchoring core this window runs: no second writer of its database.
    dashboardModel->setAnchoringCore([anchoring = QPointer<AnchoringModel>(m_anchoring)]() -> AnchorRuntime* {
        return anchoring && anchoring->status() == AnchoringModel::Status::Running ? anchoring->runtime() : nullptr;
    });
    auto* dashboard = new DashboardScreen(dashboardModel, m_relays, m_pages);
    m_anchoringScreen = new AnchoringScreen(m_anchoring, m_pages);
    // Each page: its label, an icon (the desktop theme's where it has one, the project's own
    // otherwise), and Ctrl+1… to reach it.
    struct Section
    {
        QString label;
        QWidget* page;
        const char* icon;
        const char* themeIcon;
    };
    const QList<Section> sections{{tr("Log in"), m_login, "login", "dialog-password"},
                                  {tr("Sign for another device"), m_sign, "sign", "document-edit"},
                                  {tr("Devices"), m_pairing, "devices", "computer"},
                                  {tr("History"), m_history, "history", "document-open-recent"},
                                  //: Navigation: the page that anchors files in Bitcoin.
                                  {tr("Anchoring"), m_anchoringScreen, "anchoring", "document-save"},
                                  {tr("Node dashboard"), dashboard, "dashboard", "utilities-system-monitor"},
                                  {tr("Settings"), m_settingsScreen, "settings", "preferences-system"},
                                  {tr("About"), about, "about", "help-about"}};
    m_nav->setIconSize(QSize(24, 24));
    m_nav->setSpacing(2);
    auto* view = menuBar()->findChild<QMenu*>(QStringLiteral("viewMenu"));
    for (int i = 0; i < sections.size(); ++i) {
        const Section& s = sections.at(i);
        const QIcon icon = navigationIcon(QLatin1String(s.icon), QLatin1String(s.themeIcon), palette());
        auto* item = new QListWidgetItem(icon, s.label, m_nav);
        item->setData(kIconNameRole, QStringList{QLatin1String(s.icon), QLatin1String(s.themeIcon)});
        //: Tooltip of a navigation entry: %1 the page, %2 its keyboard shortcut.
        item->setToolTip(tr("%1 (%2)").arg(
            s.label, QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)).toString(QKeySequence::NativeText)));
        m_pages->addWidget(s.page);
        if (view) {
            QAction* go = view->addAction(icon, s.label);
            go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
            connect(go, &QAction::triggered, m_nav, [this, i] {
                if (m_nav->isEnabled())
                    m_nav->setCurrentRow(i);
            });
        }
    }
    connect(m_nav, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_nav->setCurrentRow(0);
    // Back (leaving the login) is refused while the confirmation is pending.
    connect(m_login, &LoginScreen::backAllowedChanged, m_nav, &QWidget::setEnabled);

    connect(m_runtime.get(), &RelayRuntime::relayStateChanged, this,
            [this](const QString& url, const QString& state, const QString&) {
                m_settingsScreen->setRelayState(url, state);
                //: Status bar news: %1 is a relay's address, %2 its new state (connected, unreachable...).
                statusBar()->showMessage(tr("Relay %1: %2").arg(url, state), kStatusMessageMs);
            });
    const auto states = m_runtime->states();
    for (auto it = states.cbegin(); it != states.cend(); ++it)
        m_settingsScreen->setRelayState(it.key(), it->first);
    connect(m_pairing, &PairingScreen::offerRequested, this,
            [this] { m_pairingModel->offer(m_keys, m_member, m_settings.loginTimeoutSeconds); });
    connect(m_pairing, &PairingScreen::confirmed, m_pairingModel, &PairingModel::confirm);
    connect(m_pairingModel, &PairingModel::linkReady, m_pairing, &PairingScreen::showLink);
    connect(m_pairingModel, &PairingModel::requestReceived, m_pairing, &PairingScreen::showRequest);
    connect(m_settingsScreen, &SettingsScreen::saveRequested, this, [this](const Settings& s) {
        m_settings = s;
        m_signingModel->setPolicy(CoSignPolicy{m_member, m_settings.cosignMaxValiditySeconds});
        m_reviewSigning->setPolicy(CoSignPolicy{m_member, m_settings.cosignMaxValiditySeconds});
        m_push->setPolicy(CoSignPolicy{m_member, m_settings.cosignMaxValiditySeconds});
        m_settingsModel->save(s);
        m_login->setKnownServices(s.knownServices);
        m_anchoring->setSettings(s);
    });
    connect(m_settingsScreen, &SettingsScreen::testConnectionRequested, m_anchoring, &AnchoringModel::testConnection);
    connect(m_anchoring, &AnchoringModel::connectionTested, m_settingsScreen, &SettingsScreen::showConnectionResult);
    connect(m_anchoringScreen, &AnchoringScreen::settingsRequested, this,
            [this] { showPage(QStringLiteral("settingsScreen")); });
    connect(m_settingsModel, &SettingsModel::saved, m_settingsScreen, [this] { m_settingsScreen->showSaveResult({}); });
    connect(m_settingsModel, &SettingsModel::saveFailed, m_settingsScreen, &SettingsScreen::showSaveResult);
    buildStatusBar();
    refreshDevices();
    m_stack->addWidget(main);
}

void MainWindow::buildMenus()
{
    //: Menu bar: the File menu (& marks the keyboard accelerator).
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    //: File menu: go to the login page and start there.
    QAction* login = file->addAction(tr("&Log in…"));
    login->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(login, &QAction::triggered, this, [this] {
        if (m_nav && m_nav->isEnabled())
            showPage(QStringLiteral("loginScreen"));
    });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"));
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setShortcutContext(Qt::ApplicationShortcut);
    connect(quit, &QAction::triggered, this, [this] {
        m_quitting = true;
        close();
        QApplication::quit();
    });
    //: Menu bar: the View menu, one entry per page.
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    //: Menu bar: the Help menu.
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    //: Help menu: the About page.
    connect(help->addAction(tr("&About UserWallet")), &QAction::triggered, this,
            [this] { showPage(QStringLiteral("aboutScreen")); });
    //: Help menu: the checklist shown after the first run (relays, a second device, a backup).
    QAction* checklist = help->addAction(tr("&First steps…"));
    checklist->setObjectName(QStringLiteral("checklistAction"));
    checklist->setEnabled(false); // once unlocked
    connect(checklist, &QAction::triggered, this, &MainWindow::showChecklist);
    // The button that shows the menus a narrow window has no room for: Qt gives it no name.
    if (auto* more = menuBar()->findChild<QToolButton*>(QStringLiteral("qt_menubar_ext_button"))) {
        //: Accessible name and tooltip of the menu bar's button that shows the menus a narrow window hides.
        more->setAccessibleName(tr("More menus"));
        more->setToolTip(more->accessibleName());
    }
}

void MainWindow::buildStatusBar()
{
    // At a glance, each a button to its page: relays, node, anchoring, the unlocked profile.
    auto button = [this](const char* name, const QString& page) {
        auto* b = new QToolButton(statusBar());
        b->setObjectName(QLatin1String(name));
        b->setAutoRaise(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        connect(b, &QToolButton::clicked, this, [this, page] {
            if (m_nav && m_nav->isEnabled())
                showPage(page);
        });
        statusBar()->addPermanentWidget(b);
        return b;
    };
    m_relayStatus = button("relayStatus", QStringLiteral("settingsScreen"));
    //: Accessible name of the status bar's relay summary.
    m_relayStatus->setAccessibleName(tr("Relays"));
    m_nodeStatus = button("nodeStatus", QStringLiteral("anchoringScreen"));
    //: Accessible name of the status bar's node and anchoring summary.
    m_nodeStatus->setAccessibleName(tr("Node and anchoring"));
    m_queueStatus = button("queueStatus", QStringLiteral("anchoringScreen"));
    //: Accessible name of the status bar's anchoring queue (anchors not yet in a block).
    m_queueStatus->setAccessibleName(tr("Anchoring queue"));
    m_queueStatus->setVisible(false);
    m_profileStatus = button("profileStatus", QStringLiteral("pairingScreen"));
    //: Accessible name of the status bar's unlocked profile.
    m_profileStatus->setAccessibleName(tr("Unlocked profile"));
    connect(m_runtime.get(), &RelayRuntime::relayStateChanged, this, &MainWindow::refreshRelayStatus);
    refreshRelayStatus();
    m_nodeDetailsTimer = new QTimer(this);
    m_nodeDetailsTimer->setSingleShot(true);
    m_nodeDetailsTimer->setInterval(kNodeDetailsDelayMs);
    connect(m_nodeDetailsTimer, &QTimer::timeout, this, &MainWindow::refreshNodeDetails);
    connect(m_anchoring, &AnchoringModel::statusChanged, this,
            [this](AnchoringModel::Status status, const QString& text) { showNodeStatus(int(status), text); });
    showNodeStatus(int(m_anchoring->status()), m_anchoring->statusText());
}

void MainWindow::refreshRelayStatus()
{
    if (!m_relayStatus)
        return;
    const auto states = m_runtime->states();
    const QString connected = relayStateText(RelayConnection::State::Connected);
    int up = 0;
    QStringList lines;
    for (const QString& url : m_runtime->relayUrls()) {
        const QString state = states.value(url).first;
        up += state == connected ? 1 : 0;
        lines.append(QStringLiteral("%1 — %2").arg(
            url, state.isEmpty() ? relayStateText(RelayConnection::State::Connecting) : state));
    }
    const int all = int(m_runtime->relayUrls().size());
    m_relayStatus->setText(all == 0
                               //: Status bar: this profile has no relay set.
                               ? tr("No relay")
                               //: Status bar: %1 relays connected out of %2.
                               : tr("Relays: %1 of %2").arg(up).arg(all));
    m_relayStatus->setToolTip(lines.join(QLatin1Char('\n')));
}

void MainWindow::showNodeStatus(int status, const QString& text)
{
    if (!m_nodeStatus)
        return;
    switch (AnchoringModel::Status(status)) {
    case AnchoringModel::Status::NoNode:
        m_nodeStatus->setText(tr("No node configured"));
        break;
    case AnchoringModel::Status::Running:
        //: Status bar: the node is reachable and the anchoring service runs (its height follows).
        m_nodeStatus->setText(tr("Node: anchoring runs"));
        if (AnchorRuntime* runtime = m_anchoring->runtime(); runtime && runtime != m_watchedRuntime) {
            // A new anchoring core (first start, or a new node): follow its news.
            m_watchedRuntime = runtime;
            m_nodeSynced = false;
            auto later = [this] { m_nodeDetailsTimer->start(); };
            connect(runtime, &AnchorRuntime::tipChanged, this, later);
            connect(runtime, &AnchorRuntime::chainSynced, this, [this, later] {
                m_nodeSynced = true;
                later();
            });
            connect(runtime, &AnchorRuntime::enqueued, this, later);
            connect(runtime, &AnchorRuntime::anchorUpdated, this, later);
            connect(runtime, &AnchorRuntime::roundClosed, this, later);
        }
        m_nodeDetailsTimer->start();
        break;
    case AnchoringModel::Status::Failed:
        //: Status bar: the node or the anchoring service failed (the tooltip says why).
        m_nodeStatus->setText(tr("Node: problem"));
        break;
    default:
        //: Status bar: the anchoring service is starting or waits for the unlock.
        m_nodeStatus->setText(tr("Node: starting…"));
        break;
    }
    m_nodeStatus->setToolTip(text);
    if (AnchoringModel::Status(status) != AnchoringModel::Status::Running)
        m_queueStatus->setVisible(false);
}

void MainWindow::refreshNodeDetails()
{
    AnchorRuntime* runtime =
        m_anchoring->status() == AnchoringModel::Status::Running ? m_anchoring->runtime() : nullptr;
    if (!runtime)
        return;
    runtime->snapshot([self = QPointer<MainWindow>(this), runtime = QPointer<AnchorRuntime>(runtime)](QJsonObject o) {
        if (!self || !runtime || self->m_anchoring->runtime() != runtime.data() ||
            self->m_anchoring->status() != AnchoringModel::Status::Running)
            return; // an answer from a core that has since stopped
        const QJsonObject tip = o.value(QStringLiteral("tip")).toObject();
        if (!tip.isEmpty()) {
            const int height = tip.value(QStringLiteral("height")).toInt();
            self->m_nodeStatus->setText(self->m_nodeSynced
                                            //: Status bar: the node's height (the anchoring core follows it).
                                            ? tr("Node: block %L1, synced").arg(height)
                                            //: Status bar: the anchoring core is still catching up with the node.
                                            : tr("Node: block %L1, syncing…").arg(height));
        }
        // Waiting: digests for the next round, and anchors not yet in a block.
        int waiting = o.value(QStringLiteral("pending_digests")).toInt();
        const QJsonObject anchors = o.value(QStringLiteral("anchors")).toObject();
        for (const AnchorState state : {AnchorState::Queued, AnchorState::Signed, AnchorState::Broadcast})
            waiting += anchors.value(anchorStateToString(state)).toInt();
        self->m_queueStatus->setText(waiting == 0 ? tr("Anchoring: nothing waiting")
                                                  //: Status bar: digests and anchors not yet in a block.
                                                  : tr("Anchoring: %n waiting", "", waiting));
        self->m_queueStatus->setVisible(true);
    });
}

void MainWindow::refreshDevices()
{
    // The title names the profile's member and this device, so that two windows stand apart.
    const QStringList local = m_keys ? m_keys->pairs() : QStringList();
    const QString device = local.isEmpty() ? QString() : m_member.pairLabels().value(local.first());
    //: The window's title once unlocked: %1 the member, %2 this device's label.
    setWindowTitle(device.isEmpty() ? tr("UserWallet — %1").arg(m_member.id)
                                    : tr("UserWallet — %1 (%2)").arg(m_member.id, device));
    if (m_profileStatus) {
        m_profileStatus->setText(device.isEmpty() ? m_member.id : tr("%1 (%2)").arg(m_member.id, device));
        //: Tooltip of the status bar's profile: %1 the profile's name.
        m_profileStatus->setToolTip(tr("Profile %1, unlocked").arg(m_profile.name()));
    }
    m_devices->setMember(m_member, m_keys);
    m_loginModel->setMember(m_member);
    m_signingModel->setPolicy(CoSignPolicy{m_member, m_settings.cosignMaxValiditySeconds});
    m_reviewSigning->setPolicy(CoSignPolicy{m_member, m_settings.cosignMaxValiditySeconds});
    m_push->setPolicy(CoSignPolicy{m_member, m_settings.cosignMaxValiditySeconds});
    m_push->setPairLabels(m_member.pairLabels());
    m_pairing->setRequired(m_member.cardinaliteMinimale);
    m_checklistModel->setMember(m_member);
    //: The side panel: %1 the member's name (or id), %2 its id, %n the number of its devices.
    m_identityLabel->setText(tr("<b>%1</b><br>member %2<br>%n device(s)", nullptr, int(m_member.pairs.size()))
                                 .arg(m_member.name.isEmpty() ? m_member.id : m_member.name, m_member.id));
}

void MainWindow::showChecklist()
{
    if (!m_pages)
        return;
    if (!m_checklist) {
        auto* screen = new ChecklistScreen(m_checklistModel);
        m_checklist = centered(screen);
        m_stack->addWidget(m_checklist);
        QWidget* main = m_pages->parentWidget();
        connect(screen, &ChecklistScreen::finished, this, [this, main] { m_stack->setCurrentWidget(main); });
        connect(screen, &ChecklistScreen::pairingRequested, this,
                [this] { showPage(QStringLiteral("pairingScreen")); });
        connect(screen, &ChecklistScreen::settingsRequested, this,
                [this] { showPage(QStringLiteral("settingsScreen")); });
    }
    m_stack->setCurrentWidget(m_checklist);
}

void MainWindow::showPage(const QString& objectName)
{
    if (!m_pages)
        return;
    if (m_checklist && m_stack->currentWidget() == m_checklist)
        m_stack->setCurrentWidget(m_pages->parentWidget()); // a page asked for: the checklist steps aside
    for (int i = 0; i < m_pages->count(); ++i)
        if (m_pages->widget(i)->objectName() == objectName)
            m_nav->setCurrentRow(i);
}

void MainWindow::handleUrl(const QString& url)
{
    if (!m_pages) { // not unlocked yet: handled right after
        m_pendingUrls.append(url);
        return;
    }
    raise();
    activateWindow();
    const QUrl u(url.trimmed());
    if (u.scheme() == QLatin1String("userwallet") && u.host() == QLatin1String("login")) {
        // Both forms (service+callback, or a service's login request to fetch): the login screen
        // reads the link strictly and says why it refuses one.
        m_login->openLink(url.trimmed());
        showPage(QStringLiteral("loginScreen"));
    } else {
        // login-sign links and anything else: the signing screen parses strictly and says why it refuses.
        showPage(QStringLiteral("signScreen"));
        m_sign->openLink(url);
    }
}

void MainWindow::buildTray()
{
    m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/userwallet.svg")), this);
    m_tray->setObjectName(QStringLiteral("trayIcon"));
    //: Tooltip of the tray icon; %1 is the profile's name.
    m_tray->setToolTip(tr("UserWallet — %1").arg(m_profile.name()));
    auto* menu = new QMenu(this);
    //: Tray menu: shows the main window.
    menu->addAction(tr("Open UserWallet"), this, &MainWindow::showFromTray);
    //: Tray menu: shows the window of the logins that wait for this device.
    menu->addAction(tr("Logins waiting…"), this, [this] {
        if (m_review)
            m_review->present();
        else
            showFromTray(); // locked: unlock first
    });
    //: Tray menu, a check box: start the wallet (in the tray) when the user logs in to the desktop.
    m_autostartAction = menu->addAction(tr("Start at login"));
    m_autostartAction->setObjectName(QStringLiteral("autostartAction"));
    m_autostartAction->setCheckable(true);
    m_autostartAction->setChecked(autostart::isEnabled(m_profile.name()));
    connect(m_autostartAction, &QAction::toggled, this, [this](bool on) {
        auto done = autostart::setEnabled(m_profile.name(), on, QCoreApplication::applicationFilePath());
        if (!done) {
            const QSignalBlocker block(m_autostartAction);
            m_autostartAction->setChecked(!on);
            statusBar()->showMessage(done.error().message, kStatusMessageMs);
            return;
        }
        statusBar()->showMessage(on ? tr("UserWallet will start in the tray when you log in.")
                                    : tr("UserWallet will no longer start when you log in."),
                                 kStatusMessageMs);
    });
    menu->addSeparator();
    menu->addAction(findChild<QAction*>(QStringLiteral("quitAction"))); // the File menu's Quit

    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            showFromTray();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (m_review)
            m_review->present();
        else
            showFromTray();
    });
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray->show();
        // Hidden in the tray is still running: closing the last window does not quit.
        QApplication::setQuitOnLastWindowClosed(false);
    }
}

void MainWindow::startInTray()
{
    if (m_tray->isVisible())
        m_tray->showMessage(tr("UserWallet"),
                            //: Shown when the wallet starts in the tray at login.
                            tr("UserWallet is in the tray. Open it and unlock this device to be asked by your "
                               "other devices."),
                            QSystemTrayIcon::Information, 8000);
    else
        show();
}

void MainWindow::showFromTray()
{
    show();
    raise();
    activateWindow();
}

void MainWindow::notifyLogin(const QString& deviceLabel, const QString& service)
{
    //: Notification title: a login started on another device asks this one to sign.
    const QString title = tr("Login request");
    //: Notification: %1 the asking device's label, %2 the service.
    const QString text =
        tr("%1 is logging in to %2. Open to check it and type the number it shows.").arg(deviceLabel, service);
    m_lastNotification = {title, text};
    if (m_tray->isVisible()) {
        m_tray->showMessage(title, text, QSystemTrayIcon::Information, 30000);
    } else {
        // No tray to notify from: the review window itself comes up.
        m_review->present();
    }
    QApplication::alert(m_review.get());
}

void MainWindow::changeEvent(QEvent* event)
{
    // The desktop switched between light and dark: the project's own icons change ink.
    if (event->type() == QEvent::PaletteChange && m_nav) {
        auto* view = menuBar()->findChild<QMenu*>(QStringLiteral("viewMenu"));
        const QList<QAction*> goes = view ? view->actions() : QList<QAction*>{};
        for (int i = 0; i < m_nav->count(); ++i) {
            const QStringList names = m_nav->item(i)->data(kIconNameRole).toStringList();
            if (names.size() != 2)
                continue;
            const QIcon icon = navigationIcon(names.at(0), names.at(1), palette());
            m_nav->item(i)->setIcon(icon);
            if (i < goes.size())
                goes.at(i)->setIcon(icon);
        }
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_quitting && m_tray->isVisible()) {
        hide();
        event->ignore();
        if (!m_closedToTrayOnce) {
            m_closedToTrayOnce = true;
            m_tray->showMessage(tr("UserWallet"),
                                tr("UserWallet keeps running in the tray, so that your other devices can ask this "
                                   "one. Quit from the tray's menu."),
                                QSystemTrayIcon::Information, 8000);
        }
        return;
    }
    if (m_review)
        m_review->hide();
    QMainWindow::closeEvent(event);
}

} // namespace uw::ui
