// BackupModel (ui/models): the GUI's face of the profile backup. The work runs off the GUI thread
// (the call returns at once, busy until the answer), a round trip restores a profile whose key
// unlocks, and the refusals come back as signals with the core's code and words.
#include "identity/KeyStore.h"
#include "identity/MemberDocument.h"
#include "models/BackupModel.h"
#include "support/Processes.h"

#include <QFileInfo>
#include <QSignalSpy>
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

QTEST_MAIN(TestBackupModel)
#include "test_backup_model.moc"
