// BackupModel (ui/models) and the screens that use it (Settings: Export a backup; the welcome
// screen: Restore from a backup, then Unlock): the GUI's face of the profile backup. The work runs off the GUI thread
// (the call returns at once, busy until the answer), a round trip restores a profile whose key
// unlocks, and the refusals come back as signals with the core's code and words.
#include "identity/KeyStore.h"
#include "identity/MemberDocument.h"
#include "identity/ProfileBackup.h"
#include "models/BackupModel.h"
#include "screens/SettingsScreen.h"
#include "screens/WelcomeScreen.h"
#include "support/Processes.h"

#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace uw;
using namespace uw::test;
using namespace uw::ui;

class TestBackupModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exportThenRestoreOffTheGuiThread();
    void refusalsComeBackAsSignals();
    void settingsExportsABackup();
    void welcomeScreenRestoresThenUnlocks();

private:
    Profile profileAt(const QString& name) const
    {
        return Profile::resolve({}, m_dir.path() + QLatin1Char('/') + name).value_or(Profile());
    }
    QTemporaryDir m_dir;
};

void TestBackupModel::initTestCase()
{
    int code = -1;
    (void)runCli({QStringLiteral("--data-dir"), profileAt(QStringLiteral("src")).dataDir(), QStringLiteral("init"),
                  QStringLiteral("--member"), QStringLiteral("alice")},
                 {}, &code);
    QCOMPARE(code, 0);
}

void TestBackupModel::exportThenRestoreOffTheGuiThread()
{
    const QString file = m_dir.filePath(QStringLiteral("alice.uwbackup"));
    BackupModel source(profileAt(QStringLiteral("src")));
    QSignalSpy exported(&source, &BackupModel::exported);
    QSignalSpy failed(&source, &BackupModel::failed);
    source.exportTo(file, QStringLiteral("backup passphrase"));
    // The call returned before the work (two Argon2id derivations) was done: it runs on a worker.
    QVERIFY(source.isBusy());
    QCOMPARE(exported.count(), 0);
    // A second request while the first runs is refused, not queued behind it.
    source.exportTo(file, QStringLiteral("backup passphrase"));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("busy"));
    QVERIFY(exported.wait(30000));
    QVERIFY(!source.isBusy());
    QCOMPARE(exported.first().at(0).toString(), file);
    QVERIFY(exported.first().at(1).toStringList().contains(QStringLiteral("member.json")));
    QCOMPARE(exported.first().at(2).toLongLong(), QFileInfo(file).size());

    BackupModel target(profileAt(QStringLiteral("restored")));
    QSignalSpy restored(&target, &BackupModel::restored);
    target.restoreFrom(file, QStringLiteral("backup passphrase"));
    QVERIFY(target.isBusy());
    QVERIFY(restored.wait(30000));
    QVERIFY(!target.isBusy());
    QVERIFY(MemberDocument::load(target.profile().memberFile()).ok());
    // The key files keep their own passphrase (the CLI's), not the backup's.
    auto ring = KeyStore(target.profile().keysDir()).unlock(QByteArrayLiteral("test passphrase"));
    QVERIFY(ring.ok());
    QCOMPARE(ring->pairs().size(), 1);
}

void TestBackupModel::refusalsComeBackAsSignals()
{
    const QString file = m_dir.filePath(QStringLiteral("alice.uwbackup"));
    QVERIFY(QFileInfo::exists(file));
    BackupModel wrong(profileAt(QStringLiteral("wrong")));
    QSignalSpy failed(&wrong, &BackupModel::failed);
    wrong.restoreFrom(file, QStringLiteral("not the passphrase"));
    QVERIFY(failed.wait(30000));
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("wrong_passphrase"));
    QVERIFY(!failed.first().at(1).toString().isEmpty());
    QVERIFY(!QFileInfo::exists(wrong.profile().dataDir()));

    // The profile restored by the previous case is not empty any more.
    BackupModel occupied(profileAt(QStringLiteral("restored")));
    QSignalSpy refused(&occupied, &BackupModel::failed);
    occupied.restoreFrom(file, QStringLiteral("backup passphrase"));
    QVERIFY(refused.wait(30000));
    QCOMPARE(refused.first().at(0).toString(), QStringLiteral("profile_not_empty"));

    // A profile without an identity has nothing to export.
    BackupModel blank(profileAt(QStringLiteral("blank")));
    QSignalSpy nothing(&blank, &BackupModel::failed);
    blank.exportTo(m_dir.filePath(QStringLiteral("blank.uwbackup")), QStringLiteral("backup passphrase"));
    QVERIFY(nothing.wait(30000));
    QCOMPARE(nothing.first().at(0).toString(), QStringLiteral("no_identity"));
}

void TestBackupModel::settingsExportsABackup()
{
    BackupModel model(profileAt(QStringLiteral("src")));
    SettingsScreen screen(Settings{});
    QVERIFY(!screen.findChild<QPushButton*>(QStringLiteral("exportBackupButton"))); // no model, no box
    screen.setBackupModel(&model);
    screen.show();
    auto* file = screen.findChild<QLineEdit*>(QStringLiteral("backupFileEdit"));
    auto* pass = screen.findChild<QLineEdit*>(QStringLiteral("backupPassphraseEdit"));
    auto* pass2 = screen.findChild<QLineEdit*>(QStringLiteral("backupRepeatPassphraseEdit"));
    auto* button = screen.findChild<QPushButton*>(QStringLiteral("exportBackupButton"));
    auto* status = screen.findChild<QLabel*>(QStringLiteral("backupStatusLabel"));
    QVERIFY(file && pass && pass2 && button && status);
    const QString target = m_dir.filePath(QStringLiteral("from-settings.uwbackup"));
    file->setText(target);

    // Two different passphrases: said, nothing written.
    pass->setText(QStringLiteral("backup passphrase"));
    pass2->setText(QStringLiteral("backup passphrasf"));
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(status->text().contains(QStringLiteral("differ")));
    QVERIFY(!QFileInfo::exists(target));

    pass2->setText(QStringLiteral("backup passphrase"));
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(pass->text().isEmpty() && pass2->text().isEmpty()); // cleared as soon as used
    QVERIFY(!button->isEnabled());                              // while the worker writes
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), 30000);
    QVERIFY2(status->text().contains(target), qPrintable(status->text()));
    QVERIFY(
        ProfileBackup::restore(target, QByteArrayLiteral("backup passphrase"), profileAt(QStringLiteral("s2"))).ok());
}

void TestBackupModel::welcomeScreenRestoresThenUnlocks()
{
    const QString file = m_dir.filePath(QStringLiteral("alice.uwbackup"));
    BackupModel model(profileAt(QStringLiteral("welcome")));
    WelcomeScreen screen(false);
    auto* tabs = screen.findChild<QTabWidget*>(QStringLiteral("welcomeTabs"));
    QVERIFY(tabs);
    QCOMPARE(tabs->count(), 2);
    screen.setBackupModel(&model);
    QCOMPARE(tabs->count(), 3);
    screen.show();
    tabs->setCurrentIndex(2);
    auto* fileEdit = screen.findChild<QLineEdit*>(QStringLiteral("restoreFileEdit"));
    auto* pass = screen.findChild<QLineEdit*>(QStringLiteral("restorePassphraseEdit"));
    auto* restore = screen.findChild<QPushButton*>(QStringLiteral("restoreButton"));
    auto* status = screen.findChild<QLabel*>(QStringLiteral("welcomeStatus"));
    QVERIFY(fileEdit && pass && restore && status);
    fileEdit->setText(file);

    // A wrong passphrase: the core's sentence, the form usable again, no profile.
    pass->setText(QStringLiteral("not the passphrase"));
    QTest::mouseClick(restore, Qt::LeftButton);
    QVERIFY(!tabs->isEnabled()); // busy while the worker derives the key
    QTRY_VERIFY_WITH_TIMEOUT(tabs->isEnabled(), 30000);
    QVERIFY2(status->text().contains(QStringLiteral("Wrong passphrase")), qPrintable(status->text()));
    QVERIFY(!QFileInfo::exists(model.profile().dataDir()));

    QSignalSpy restored(&screen, &WelcomeScreen::backupRestored);
    pass->setText(QStringLiteral("backup passphrase"));
    QTest::mouseClick(restore, Qt::LeftButton);
    QVERIFY(restored.wait(30000));
    QVERIFY(model.profile().isInitialized());
    // Only Unlock is left, and it asks for the keys' own passphrase.
    QCOMPARE(tabs->count(), 1);
    auto* unlockPass = screen.findChild<QLineEdit*>(QStringLiteral("unlockPassphraseEdit"));
    auto* unlock = screen.findChild<QPushButton*>(QStringLiteral("unlockButton"));
    QVERIFY(unlockPass && unlock);
    QSignalSpy unlockAsked(&screen, &WelcomeScreen::unlockRequested);
    unlockPass->setText(QStringLiteral("test passphrase"));
    QTest::mouseClick(unlock, Qt::LeftButton);
    QCOMPARE(unlockAsked.count(), 1);
    QCOMPARE(unlockAsked.first().at(0).toString(), QStringLiteral("test passphrase"));
    screen.showJoinFingerprint(QStringLiteral("ABCD-EF01")); // the join form is gone: ignored, no crash
}

QTEST_MAIN(TestBackupModel)
#include "test_backup_model.moc"
