#include "screens/WelcomeScreen.h"

#include "crypto/PassphrasePolicy.h"
#include "crypto/SecretKey.h"
#include "models/BackupModel.h"
#include "widgets/StateColours.h"

#include <QApplication>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace uw::ui {

namespace {

// The refusal below names the minimum; PassphrasePolicy is the rule the CLI applies too.
static_assert(PassphrasePolicy::kMinimumLength == 8, "\"at least 8 characters\" is in the translations");

QLineEdit* passwordField(const QString& objectName, QWidget* parent)
{
    auto* e = new QLineEdit(parent);
    e->setEchoMode(QLineEdit::Password);
    e->setObjectName(objectName);
    return e;
}

} // namespace

WelcomeScreen::WelcomeScreen(bool hasIdentity, QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("welcomeScreen"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Welcome to UserWallet"), this);
    title->setObjectName(QStringLiteral("welcomeTitle"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    auto* intro = new QLabel(
        hasIdentity ? tr("This device holds an identity. Unlock it with its passphrase.")
                    //: The first run's two sentences: what a member and a device are.
                    : tr("A member is you as services know you: a person or an organisation, holding one or more "
                         "devices. A device is this computer's keys, which sign for the member."),
        this);
    intro->setObjectName(QStringLiteral("welcomeIntro"));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    setMaximumWidth(640); // a form, not a spreadsheet: MainWindow centres it
    if (!hasIdentity) {
        //: The first run: above the three tabs (create, join, restore).
        auto* choose = new QLabel(tr("Start in one of three ways:"), this);
        choose->setObjectName(QStringLiteral("welcomeChoose"));
        layout->addWidget(choose);
    }
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("welcomeTabs"));
    m_tabs->tabBar()->setExpanding(true);
    if (hasIdentity) {
        m_tabs->addTab(buildUnlock(), tr("Unlock"));
    } else {
        //: Tab of the welcome screen: a new member, whose first device this is.
        m_tabs->addTab(buildCreate(), tr("Create a new member"));
        //: Tab of the welcome screen: add this device to a member that exists on another device.
        m_tabs->addTab(buildJoin(), tr("Join from another device"));
    }
    m_tabs->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    layout->addWidget(m_tabs);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("welcomeStatus"));
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Status"));
    layout->addWidget(m_status);
    layout->addStretch();
}

QWidget* WelcomeScreen::buildCreate()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_memberId = new QLineEdit(page);
    m_memberId->setObjectName(QStringLiteral("memberIdEdit"));
    m_memberId->setPlaceholderText(tr("e.g. alice"));
    m_name = new QLineEdit(page);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_cardinality = new QSpinBox(page);
    m_cardinality->setObjectName(QStringLiteral("cardinalitySpin"));
    m_cardinality->setRange(1, 10);
    m_cardinality->setMaximumWidth(80);
    m_cardinality->setToolTip(tr("How many of your devices must sign each login (cardinalite_minimale)."));
    m_newPass = passwordField(QStringLiteral("newPassphraseEdit"), page);
    m_newPass2 = passwordField(QStringLiteral("repeatPassphraseEdit"), page);
    m_strength = new QProgressBar(page);
    m_strength->setObjectName(QStringLiteral("strengthBar"));
    m_strength->setRange(0, 4);
    m_strength->setTextVisible(false);
    m_strength->setAccessibleName(tr("Passphrase strength"));
    m_strengthLabel = new QLabel(page);
    m_strengthLabel->setObjectName(QStringLiteral("strengthLabel"));
    auto* create = new QPushButton(tr("Create"), page);
    create->setObjectName(QStringLiteral("createButton"));
    create->setDefault(true);
    m_strength->setMaximumWidth(160);
    auto* strengthRow = new QHBoxLayout;
    strengthRow->addWidget(m_strength);
    strengthRow->addWidget(m_strengthLabel);
    strengthRow->addStretch();
    auto* hint = new QLabel(tr("For your first device: this makes the member and this device's keys."), page);
    hint->setWordWrap(true);
    form->addRow(hint);
    //: Form label: the member's identifier, the same on all of the member's devices.
    form->addRow(tr("Member id:"), m_memberId);
    form->addRow(tr("Display name:"), m_name);
    //: Form label: how many of the member's devices must sign each login.
    form->addRow(tr("Devices required to log in:"), m_cardinality);
    form->addRow(tr("Passphrase:"), m_newPass);
    form->addRow(tr("Repeat the passphrase:"), m_newPass2);
    form->addRow(tr("Strength:"), strengthRow);
    form->addRow(QString(), create);
    connect(m_newPass, &QLineEdit::textChanged, this, &WelcomeScreen::updateStrength);
    connect(create, &QPushButton::clicked, this, [this] {
        if (m_memberId->text().trimmed().isEmpty())
            return showError(tr("Enter a member id."));
        if (!PassphrasePolicy::check(m_newPass->text()))
            return showError(tr("The passphrase must have at least 8 characters."));
        if (m_newPass->text() != m_newPass2->text())
            return showError(tr("The two passphrases differ."));
        QString pass = m_newPass->text();
        m_newPass->clear(); // cleared at once: the text lives only in the request
        m_newPass2->clear();
        Q_EMIT createRequested(m_memberId->text().trimmed(), m_name->text().trimmed(), m_cardinality->value(), pass);
        wipeString(pass);
    });
    updateStrength();
    return page;
}

QWidget* WelcomeScreen::buildUnlock()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_unlockPass = passwordField(QStringLiteral("unlockPassphraseEdit"), page);
    auto* unlock = new QPushButton(tr("Unlock"), page);
    unlock->setObjectName(QStringLiteral("unlockButton"));
    unlock->setDefault(true);
    form->addRow(tr("Passphrase:"), m_unlockPass);
    form->addRow(QString(), unlock);
    auto go = [this] {
        QString pass = m_unlockPass->text();
        m_unlockPass->clear();
        Q_EMIT unlockRequested(pass);
        wipeString(pass);
    };
    connect(unlock, &QPushButton::clicked, this, go);
    connect(m_unlockPass, &QLineEdit::returnPressed, this, go);
    return page;
}

QWidget* WelcomeScreen::buildJoin()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_joinLink = new QLineEdit(page);
    m_joinLink->setObjectName(QStringLiteral("joinLinkEdit"));
    m_joinLink->setPlaceholderText(QStringLiteral("userwallet://pair?code=…"));
    m_joinPass = passwordField(QStringLiteral("joinPassphraseEdit"), page);
    auto* join = new QPushButton(tr("Join"), page);
    join->setObjectName(QStringLiteral("joinButton"));
    m_joinFingerprint = new QLabel(page);
    m_joinFingerprint->setObjectName(QStringLiteral("joinFingerprintLabel"));
    m_joinFingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* hint = new QLabel(tr("The member has a device already: there, on the Devices page, create a pairing "
                               "link, then paste it here."),
                            page);
    hint->setWordWrap(true);
    form->addRow(hint);
    form->addRow(tr("Pairing link:"), m_joinLink);
    form->addRow(tr("Passphrase for this device:"), m_joinPass);
    form->addRow(QString(), join);
    form->addRow(m_joinFingerprint);
    connect(join, &QPushButton::clicked, this, [this] {
        if (!PassphrasePolicy::check(m_joinPass->text()))
            return showError(tr("The passphrase must have at least 8 characters."));
        QString pass = m_joinPass->text();
        m_joinPass->clear();
        Q_EMIT joinRequested(m_joinLink->text().trimmed(), pass);
        wipeString(pass);
    });
    return page;
}

QWidget* WelcomeScreen::buildRestore()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_restoreFile = new QLineEdit(page);
    m_restoreFile->setObjectName(QStringLiteral("restoreFileEdit"));
    auto* browse = new QPushButton(tr("Browse…"), page);
    browse->setObjectName(QStringLiteral("restoreBrowseButton"));
    //: Accessible name of the button that picks the backup file to restore.
    browse->setAccessibleName(tr("Choose the backup file"));
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_restoreFile);
    fileRow->addWidget(browse);
    m_restorePass = passwordField(QStringLiteral("restorePassphraseEdit"), page);
    auto* restore = new QPushButton(tr("Restore"), page);
    restore->setObjectName(QStringLiteral("restoreButton"));
    auto* hint = new QLabel(tr("A backup made on this or another computer (Settings, Export a backup). The "
                               "restored keys keep the passphrase they had."),
                            page);
    hint->setWordWrap(true);
    form->addRow(hint);
    //: Form label: the encrypted backup file of a profile.
    form->addRow(tr("Backup file:"), fileRow);
    m_restoreFile->setAccessibleName(tr("Backup file"));
    form->addRow(tr("Passphrase of the backup:"), m_restorePass);
    form->addRow(QString(), restore);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Restore from a backup"), QString(),
                                                          tr("UserWallet backups (*.uwbackup);;All files (*)"));
        if (!file.isEmpty())
            m_restoreFile->setText(file);
    });
    connect(restore, &QPushButton::clicked, this, [this] {
        if (!m_backup)
            return;
        if (m_restoreFile->text().trimmed().isEmpty())
            return showError(tr("Choose the backup file."));
        if (m_restorePass->text().isEmpty())
            return showError(tr("Enter the passphrase of the backup."));
        QString pass = m_restorePass->text();
        m_restorePass->clear();
        setBusy(true, tr("Restoring the backup…"));
        m_backup->restoreFrom(m_restoreFile->text().trimmed(), pass);
        wipeString(pass);
    });
    return page;
}

void WelcomeScreen::setBackupModel(BackupModel* model)
{
    if (m_backup || !model || !m_memberId)
        return; // once, and only on the first-run screen (not on an identity's unlock form)
    m_backup = model;
    //: Tab of the welcome screen: make this profile from an encrypted backup file.
    m_tabs->addTab(buildRestore(), tr("Restore from a backup"));
    connect(model, &BackupModel::failed, this, [this](const QString&, const QString& reason) { showError(reason); });
    connect(model, &BackupModel::restored, this, [this] {
        // The profile holds an identity now: the only thing left to do is to unlock it.
        while (m_tabs->count() > 0) {
            QWidget* page = m_tabs->widget(0);
            m_tabs->removeTab(0);
            page->deleteLater();
        }
        m_memberId = m_name = m_newPass = m_newPass2 = m_joinLink = m_joinPass = m_restoreFile = m_restorePass =
            nullptr;
        m_cardinality = nullptr;
        m_strength = nullptr;
        m_strengthLabel = m_joinFingerprint = nullptr;
        m_tabs->addTab(buildUnlock(), tr("Unlock"));
        setBusy(false, tr("The backup is restored. Unlock it with the passphrase of its keys."));
        Q_EMIT backupRestored();
    });
}

void WelcomeScreen::updateStrength()
{
    const int s = PassphrasePolicy::strength(m_newPass->text());
    m_strength->setValue(s);
    static const char* const words[] = {QT_TR_NOOP("empty"), QT_TR_NOOP("weak"), QT_TR_NOOP("fair"), QT_TR_NOOP("good"),
                                        QT_TR_NOOP("strong")};
    m_strengthLabel->setText(tr(words[s]));
}

void WelcomeScreen::setBusy(bool busy, const QString& message)
{
    m_tabs->setEnabled(!busy);
    m_status->setStyleSheet(QString());
    m_status->setText(message);
}

void WelcomeScreen::showError(const QString& message)
{
    m_tabs->setEnabled(true);
    m_status->setStyleSheet(stateStyle(StateColour::Error, QApplication::palette()));
    m_status->setText(message);
}

void WelcomeScreen::showJoinFingerprint(const QString& fingerprint)
{
    if (!m_joinFingerprint)
        return; // the join form is gone (a backup was restored instead)
    m_joinFingerprint->setText(
        //: %1 is the fingerprint of this device's new key, as XXXX-XXXX-XXXX-XXXX.
        tr("This device's fingerprint: <b>%1</b> — check that the other device shows the same, and confirm there.")
            .arg(fingerprint));
}

} // namespace uw::ui
