#include "screens/SettingsScreen.h"

#include "config/RelayList.h"
#include "crypto/PassphrasePolicy.h"
#include "crypto/SecretKey.h"
#include "models/BackupModel.h"
#include "widgets/StateColours.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace uw::ui {

SettingsScreen::SettingsScreen(const Settings& settings, QWidget* parent)
    : QWidget(parent), m_settings(settings), m_known(settings.knownServices)
{
    setObjectName(QStringLiteral("settingsScreen"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Settings"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);

    auto* relaysBox = new QGroupBox(tr("Relays"), this);
    auto* rl = new QVBoxLayout(relaysBox);
    m_relays = new QListWidget(relaysBox);
    m_relays->setObjectName(QStringLiteral("settingsRelaysList"));
    //: Accessible name of the list of relay addresses this profile uses.
    m_relays->setAccessibleName(tr("Relays in use"));
    for (const QString& u : settings.relayUrls) {
        auto* item = new QListWidgetItem(u, m_relays);
        item->setData(Qt::UserRole, u);
    }
    rl->addWidget(m_relays);
    auto* addRow = new QHBoxLayout;
    m_newRelay = new QLineEdit(relaysBox);
    m_newRelay->setObjectName(QStringLiteral("newRelayEdit"));
    m_newRelay->setPlaceholderText(QStringLiteral("wss://relay.example/ws"));
    //: Accessible name of the field where a relay's address is typed before Add.
    m_newRelay->setAccessibleName(tr("New relay address"));
    auto* add = new QPushButton(tr("Add"), relaysBox);
    add->setObjectName(QStringLiteral("addRelayButton"));
    auto* remove = new QPushButton(tr("Remove"), relaysBox);
    remove->setObjectName(QStringLiteral("removeRelayButton"));
    addRow->addWidget(m_newRelay);
    addRow->addWidget(add);
    addRow->addWidget(remove);
    rl->addLayout(addRow);
    layout->addWidget(relaysBox);

    auto* nodeBox = new QGroupBox(tr("Bitcoin node"), this);
    auto* nf = new QFormLayout(nodeBox);
    m_rpcUrl = new QLineEdit(settings.bitcoinRpcUrl.toString(), nodeBox);
    m_rpcUrl->setObjectName(QStringLiteral("rpcUrlEdit"));
    m_cookie = new QLineEdit(settings.bitcoinRpcCookie, nodeBox);
    m_cookie->setObjectName(QStringLiteral("cookieEdit"));
    m_mempool = new QLineEdit(settings.mempoolApiUrl.toString(), nodeBox);
    m_mempool->setObjectName(QStringLiteral("mempoolUrlEdit"));
    nf->addRow(tr("Bitcoin Core RPC URL:"), m_rpcUrl);
    //: Form label: the file Bitcoin Core writes with its RPC credentials (.cookie).
    nf->addRow(tr("RPC cookie file:"), m_cookie);
    nf->addRow(tr("or Esplora API URL:"), m_mempool);
    //: Placeholder of the Bitcoin Core RPC URL field: user and password may be written in the URL.
    m_rpcUrl->setPlaceholderText(tr("http://127.0.0.1:38332 (or http://user:password@host:port)"));
    //: Placeholder of the cookie file field.
    m_cookie->setPlaceholderText(tr("the node's .cookie file, when the URL holds no password"));
    m_mempool->setPlaceholderText(QStringLiteral("https://mempool.space/signet/api"));
    auto* testRow = new QHBoxLayout;
    //: Button: one real call to the node typed above, to check that it answers.
    m_testNode = new QPushButton(tr("Test connection"), nodeBox);
    m_testNode->setObjectName(QStringLiteral("testNodeButton"));
    m_nodeResult = new QLabel(nodeBox);
    m_nodeResult->setObjectName(QStringLiteral("nodeTestLabel"));
    m_nodeResult->setWordWrap(true);
    m_nodeResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    testRow->addWidget(m_testNode);
    testRow->addWidget(m_nodeResult, 1);
    nf->addRow(testRow);
    layout->addWidget(nodeBox);

    //: Settings group: the services the login screen offers by name.
    auto* knownBox = new QGroupBox(tr("Known services"), this);
    buildKnownServices(knownBox);
    layout->addWidget(knownBox);

    auto* general = new QGroupBox(tr("General"), this);
    auto* gf = new QFormLayout(general);
    m_timeout = new QSpinBox(general);
    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(Settings::kMinLoginTimeoutSeconds, Settings::kMaxLoginTimeoutSeconds);
    //: Unit after a number of seconds in a spin box (keep the leading space).
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(settings.loginTimeoutSeconds);
    m_maxValidity = new QSpinBox(general);
    m_maxValidity->setObjectName(QStringLiteral("maxValiditySpin"));
    m_maxValidity->setRange(Settings::kMinCosignValiditySeconds, Settings::kMaxCosignValiditySeconds);
    m_maxValidity->setSuffix(tr(" s"));
    m_maxValidity->setValue(settings.cosignMaxValiditySeconds);
    //: Tooltip of the longest validity a co-signed login may have.
    m_maxValidity->setToolTip(tr("This device refuses to sign a login that would stay valid longer than this."));
    m_language = new QComboBox(general);
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(settings.language)));
    //: Form label: how long a login waits for the other devices' signatures.
    gf->addRow(tr("Wait for the other devices:"), m_timeout);
    //: Form label: this device signs another device's login only if it expires within this many seconds.
    gf->addRow(tr("Sign logins valid for at most:"), m_maxValidity);
    gf->addRow(tr("Language (applies at the next start):"), m_language);
    layout->addWidget(general);

    auto* save = new QPushButton(tr("Save"), this);
    save->setObjectName(QStringLiteral("saveSettingsButton"));
    layout->addWidget(save, 0, Qt::AlignLeft);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("settingsStatusLabel"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addStretch();

    connect(add, &QPushButton::clicked, this, [this] {
        auto parsed = parseRelayList(m_newRelay->text());
        if (!parsed) {
            m_status->setText(parsed.error().message);
            return;
        }
        auto* item = new QListWidgetItem(parsed->first(), m_relays);
        item->setData(Qt::UserRole, parsed->first());
        m_newRelay->clear();
        m_status->clear();
    });
    connect(m_testNode, &QPushButton::clicked, this, [this] {
        m_testNode->setEnabled(false);
        m_nodeResult->setStyleSheet(QString());
        //: While the node is asked for its chain and height.
        m_nodeResult->setText(tr("Asking the node…"));
        BackendConfig backend{QUrl(m_rpcUrl->text().trimmed()), m_cookie->text().trimmed(),
                              QUrl(m_mempool->text().trimmed()), QUrl()};
        if (m_rpcUrl->text().trimmed().isEmpty())
            backend.bitcoinRpcUrl = QUrl();
        if (m_mempool->text().trimmed().isEmpty())
            backend.esploraUrl = QUrl();
        Q_EMIT testConnectionRequested(backend);
    });
    connect(remove, &QPushButton::clicked, this, [this] { delete m_relays->currentItem(); });
    connect(save, &QPushButton::clicked, this, [this] {
        Settings s = m_settings;
        s.relayUrls.clear();
        for (int i = 0; i < m_relays->count(); ++i)
            s.relayUrls.append(m_relays->item(i)->data(Qt::UserRole).toString());
        if (s.relayUrls.isEmpty()) {
            m_status->setText(tr("Keep at least one relay."));
            return;
        }
        s.bitcoinRpcUrl = QUrl(m_rpcUrl->text().trimmed());
        s.bitcoinRpcCookie = m_cookie->text().trimmed();
        s.mempoolApiUrl = QUrl(m_mempool->text().trimmed());
        s.loginTimeoutSeconds = m_timeout->value();
        s.cosignMaxValiditySeconds = m_maxValidity->value();
        s.language = m_language->currentData().toString();
        s.knownServices = m_known;
        m_settings = s;
        m_status->setStyleSheet(QString());
        //: The settings are being written to the profile's settings file.
        m_status->setText(tr("Saving…"));
        Q_EMIT saveRequested(s);
    });
}

void SettingsScreen::buildKnownServices(QWidget* box)
{
    auto* kl = new QVBoxLayout(box);
    m_knownTable = new QTableWidget(0, 2, box);
    m_knownTable->setObjectName(QStringLiteral("knownServicesTable"));
    //: Column of the known services table: the name the login screen lists.
    m_knownTable->setHorizontalHeaderLabels({tr("Name"),
                                             //: Column of the known services table: the request's address, or
                                             //: the service id and the callback.
                                             tr("Login request, or service and callback")});
    m_knownTable->horizontalHeader()->setStretchLastSection(true);
    m_knownTable->verticalHeader()->setVisible(false);
    m_knownTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_knownTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_knownTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_knownTable->setMaximumHeight(120);
    m_knownTable->setAccessibleName(tr("Known services"));
    kl->addWidget(m_knownTable);
    auto* form = new QFormLayout;
    m_knownName = new QLineEdit(box);
    m_knownName->setObjectName(QStringLiteral("knownNameEdit"));
    m_knownRequest = new QLineEdit(box);
    m_knownRequest->setObjectName(QStringLiteral("knownRequestEdit"));
    m_knownRequest->setPlaceholderText(QStringLiteral("https://service.example/login-request"));
    m_knownService = new QLineEdit(box);
    m_knownService->setObjectName(QStringLiteral("knownServiceEdit"));
    m_knownCallback = new QLineEdit(box);
    m_knownCallback->setObjectName(QStringLiteral("knownCallbackEdit"));
    m_knownCallback->setPlaceholderText(QStringLiteral("https://service.example/callback"));
    //: Form label of a known service: the name the login screen lists.
    form->addRow(tr("Name:"), m_knownName);
    //: Form label: the address of the service's login request (it says which members sign).
    form->addRow(tr("Login request URL:"), m_knownRequest);
    //: Form label: instead of a request, the service's id (this device's member alone signs).
    form->addRow(tr("or service id:"), m_knownService);
    //: Form label: with the service id, the URL that receives the proof.
    form->addRow(tr("and callback:"), m_knownCallback);
    kl->addLayout(form);
    auto* buttons = new QHBoxLayout;
    //: Button: adds the known service typed in the form.
    auto* add = new QPushButton(tr("Add service"), box);
    add->setObjectName(QStringLiteral("addKnownButton"));
    //: Button: replaces the selected known service with the form's.
    auto* update = new QPushButton(tr("Update"), box);
    update->setObjectName(QStringLiteral("updateKnownButton"));
    //: Button: removes the selected known service.
    auto* remove = new QPushButton(tr("Remove service"), box);
    remove->setObjectName(QStringLiteral("removeKnownButton"));
    buttons->addWidget(add);
    buttons->addWidget(update);
    buttons->addWidget(remove);
    buttons->addStretch();
    kl->addLayout(buttons);
    fillKnownServices();

    connect(m_knownTable, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row < 0 || row >= m_known.size())
            return;
        const KnownService& k = m_known.at(row);
        m_knownName->setText(k.name);
        m_knownRequest->setText(k.request.toString());
        m_knownService->setText(k.service);
        m_knownCallback->setText(k.callback.toString());
    });
    connect(add, &QPushButton::clicked, this, [this] {
        auto k = knownServiceFromForm();
        if (!k) {
            m_status->setStyleSheet(stateStyle(StateColour::Error, QApplication::palette()));
            m_status->setText(k.error().message);
            return;
        }
        m_known.append(*k);
        fillKnownServices();
        m_knownTable->selectRow(int(m_known.size()) - 1);
        m_status->setStyleSheet(QString());
        //: After a change of the known services: they reach the file with Save.
        m_status->setText(tr("Not saved yet: click Save."));
    });
    connect(update, &QPushButton::clicked, this, [this] {
        const int row = m_knownTable->currentRow();
        if (row < 0 || row >= m_known.size()) {
            m_status->setText(tr("Select the service to update in the table."));
            return;
        }
        auto k = knownServiceFromForm();
        if (!k) {
            m_status->setStyleSheet(stateStyle(StateColour::Error, QApplication::palette()));
            m_status->setText(k.error().message);
            return;
        }
        m_known[row] = *k;
        fillKnownServices();
        m_knownTable->selectRow(row);
        m_status->setStyleSheet(QString());
        m_status->setText(tr("Not saved yet: click Save."));
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_knownTable->currentRow();
        if (row < 0 || row >= m_known.size())
            return;
        m_known.removeAt(row);
        fillKnownServices();
        m_status->setStyleSheet(QString());
        m_status->setText(tr("Not saved yet: click Save."));
    });
}

void SettingsScreen::fillKnownServices()
{
    const QSignalBlocker quiet(m_knownTable);
    m_knownTable->setRowCount(int(m_known.size()));
    for (int i = 0; i < m_known.size(); ++i) {
        const KnownService& k = m_known.at(i);
        m_knownTable->setItem(i, 0, new QTableWidgetItem(k.name));
        const QString target =
            k.isRequest() ? k.request.toString() : QStringLiteral("%1 \u2192 %2").arg(k.service, k.callback.toString());
        m_knownTable->setItem(i, 1, new QTableWidgetItem(target));
    }
}

Result<KnownService> SettingsScreen::knownServiceFromForm() const
{
    KnownService k;
    k.name = m_knownName->text().trimmed();
    k.service = m_knownService->text().trimmed();
    const QString callback = m_knownCallback->text().trimmed();
    const QString request = m_knownRequest->text().trimmed();
    k.callback = callback.isEmpty() ? QUrl() : QUrl(callback, QUrl::StrictMode);
    k.request = request.isEmpty() ? QUrl() : QUrl(request, QUrl::StrictMode);
    if (!request.isEmpty() && !k.request.isValid())
        k.request = QUrl(QStringLiteral("invalid:")); // not empty: refused as a request below
    if (auto ok = k.check(); !ok)
        return ok.error();
    return k;
}

void SettingsScreen::showSaveResult(const QString& error)
{
    m_status->setStyleSheet(error.isEmpty() ? QString() : stateStyle(StateColour::Error, QApplication::palette()));
    //: The settings reached the profile's settings file.
    m_status->setText(error.isEmpty() ? tr("Saved.") : tr("The settings were not saved: %1").arg(error));
}

void SettingsScreen::showConnectionResult(bool ok, const QString& sentence)
{
    m_testNode->setEnabled(true);
    m_nodeResult->setStyleSheet(ok ? stateStyle(StateColour::Good, QApplication::palette())
                                   : stateStyle(StateColour::Error, QApplication::palette()));
    m_nodeResult->setText(sentence);
}

void SettingsScreen::setRelayState(const QString& url, const QString& state)
{
    for (int i = 0; i < m_relays->count(); ++i)
        if (m_relays->item(i)->data(Qt::UserRole).toString() == url)
            m_relays->item(i)->setText(QStringLiteral("%1 — %2").arg(url, state));
}

void SettingsScreen::setBackupModel(BackupModel* model)
{
    if (m_backup || !model)
        return;
    m_backup = model;
    auto* box = new QGroupBox(tr("Backup"), this);
    box->setObjectName(QStringLiteral("backupBox"));
    auto* form = new QFormLayout(box);
    auto* hint = new QLabel(tr("One encrypted file with this profile's identity, keys, settings and history. Keep "
                               "it away from this computer; its passphrase protects it."),
                            box);
    hint->setWordWrap(true);
    m_backupFile = new QLineEdit(box);
    m_backupFile->setObjectName(QStringLiteral("backupFileEdit"));
    m_backupFile->setAccessibleName(tr("Backup file"));
    auto* browse = new QPushButton(tr("Browse…"), box);
    browse->setObjectName(QStringLiteral("backupBrowseButton"));
    //: Accessible name of the button that picks where the backup file is written.
    browse->setAccessibleName(tr("Choose where to write the backup"));
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_backupFile);
    fileRow->addWidget(browse);
    m_backupPass = new QLineEdit(box);
    m_backupPass->setEchoMode(QLineEdit::Password);
    m_backupPass->setObjectName(QStringLiteral("backupPassphraseEdit"));
    m_backupPass2 = new QLineEdit(box);
    m_backupPass2->setEchoMode(QLineEdit::Password);
    m_backupPass2->setObjectName(QStringLiteral("backupRepeatPassphraseEdit"));
    m_exportBackup = new QPushButton(tr("Export a backup"), box);
    m_exportBackup->setObjectName(QStringLiteral("exportBackupButton"));
    m_backupStatus = new QLabel(box);
    m_backupStatus->setObjectName(QStringLiteral("backupStatusLabel"));
    m_backupStatus->setWordWrap(true);
    m_backupStatus->setAccessibleName(tr("Backup status"));
    form->addRow(hint);
    form->addRow(tr("Backup file:"), fileRow);
    form->addRow(tr("Passphrase of the backup:"), m_backupPass);
    form->addRow(tr("Repeat the passphrase:"), m_backupPass2);
    form->addRow(QString(), m_exportBackup);
    form->addRow(m_backupStatus);
    auto* column = static_cast<QVBoxLayout*>(layout());
    column->insertWidget(column->count() - 1, box); // above the closing stretch

    const auto say = [this](const QString& text, bool error) {
        m_backupStatus->setStyleSheet(error ? stateStyle(StateColour::Error, QApplication::palette()) : QString());
        m_backupStatus->setText(text);
    };
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getSaveFileName(this, tr("Export a backup"), QStringLiteral("userwallet.uwbackup"),
                                         tr("UserWallet backups (*.uwbackup);;All files (*)"));
        if (!file.isEmpty())
            m_backupFile->setText(file);
    });
    connect(m_exportBackup, &QPushButton::clicked, this, [this, say] {
        if (m_backupFile->text().trimmed().isEmpty())
            return say(tr("Choose where to write the backup."), true);
        if (!PassphrasePolicy::check(m_backupPass->text()))
            return say(tr("The passphrase must have at least 8 characters."), true);
        if (m_backupPass->text() != m_backupPass2->text())
            return say(tr("The two passphrases differ."), true);
        QString pass = m_backupPass->text();
        m_backupPass->clear();
        m_backupPass2->clear();
        m_exportBackup->setEnabled(false);
        say(tr("Writing the backup…"), false);
        m_backup->exportTo(m_backupFile->text().trimmed(), pass);
        wipeString(pass);
    });
    connect(model, &BackupModel::exported, this, [this, say](const QString& file, const QStringList& files) {
        m_exportBackup->setEnabled(true);
        //: %1 is the backup file, %n the number of files of the profile it holds.
        say(tr("Backup written to %1 (%n file(s)), read back and checked.", nullptr, int(files.size())).arg(file),
            false);
    });
    connect(model, &BackupModel::failed, this, [this, say](const QString&, const QString& reason) {
        m_exportBackup->setEnabled(true);
        say(reason, true);
    });
}

} // namespace uw::ui
