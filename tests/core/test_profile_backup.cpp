// The encrypted backup of a profile (identity/ProfileBackup, `userwallet-cli backup`): a profile made
// by the real CLI, exported while its SQLite store is open, restored into another folder where
// its keys unlock and sign; and every way a backup file can be wrong (passphrase, a flipped byte,
// cut short, weaker Argon2id parameters, a hostile archive, a huge file, a non-empty target),
// each refused in words with nothing written.
#include "crypto/KeyFile.h"
#include "crypto/Schnorr.h"
#include "identity/KeyStore.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"
#include "identity/ProfileBackup.h"
#include "identity/WalletStore.h"
#include "support/Processes.h"
#include "util/ProcessStats.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace uw;
using namespace uw::test;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kPassphrase = QByteArrayLiteral("test passphrase"); // the one tests/support gives the CLI

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

/// An archive as the format describes it (docs/PROTOCOL.md), for hostile contents.
QByteArray archiveOf(const QList<QPair<QByteArray, QByteArray>>& entries)
{
    QByteArray out("UWARCHV1");
    const auto u16 = [&](quint16 v) {
        v = qToBigEndian(v);
        out.append(reinterpret_cast<const char*>(&v), 2);
    };
    const auto u32 = [&](quint32 v) {
        v = qToBigEndian(v);
        out.append(reinterpret_cast<const char*>(&v), 4);
    };
    const auto u64 = [&](quint64 v) {
        v = qToBigEndian(v);
        out.append(reinterpret_cast<const char*>(&v), 8);
    };
    u32(quint32(entries.size()));
    for (const auto& [name, data] : entries) {
        u16(quint16(name.size()));
        out.append(name);
        u64(quint64(data.size()));
        out.append(data);
    }
    return out;
}

/// The cheapest parameters libsodium accepts: for archives made here, where the cost is not the point.
KdfParams cheap()
{
    return KdfParams{1, 8 * 1024 * 1024};
}

} // namespace

class TestProfileBackup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTripThroughTheCli();
    void restoresIntoAnEmptyFolder();
    void wrongPassphraseWritesNothing();
    void aFlippedByteIsRefused_data();
    void aFlippedByteIsRefused();
    void aTruncatedFileIsRefused_data();
    void aTruncatedFileIsRefused();
    void weakerKdfParametersAreRefused();
    void costlierKdfParametersAreRefusedBeforeDerivation();
    void aNonEmptyProfileIsNeverOverwritten();
    void aHugeFileIsRefusedUnread();
    void garbageIsNotABackup();
    void aHostileArchiveIsRefused_data();
    void aHostileArchiveIsRefused();
    void exportRefusesAProfileWithoutIdentity();

private:
    QString path(const QString& name) const { return m_dir.path() + QLatin1Char('/') + name; }
    Profile profileAt(const QString& name) const { return Profile::resolve({}, path(name)).value_or(Profile()); }
    /// Nothing at `name`, and no staging folder left beside it.
    void verifyNothingWritten(const QString& name) const;
    QString m_pair;
    QTemporaryDir m_dir;
    QString m_backup;
};

void TestProfileBackup::initTestCase()
{
    QVERIFY(m_dir.isValid());
    int code = -1;
    const QJsonObject created = runCli({QStringLiteral("--data-dir"), path(QStringLiteral("src")),
                                        QStringLiteral("init"), QStringLiteral("--member"), QStringLiteral("alice"),
                                        QStringLiteral("--label"), QStringLiteral("laptop")},
                                       {}, &code);
    QCOMPARE(code, 0);
    m_pair = created.value(QStringLiteral("pair")).toString();
    QVERIFY(!m_pair.isEmpty());
    // The anchoring wallet's key (a second kind of key file) through the CLI as well.
    (void)runCli({QStringLiteral("--data-dir"), path(QStringLiteral("src")), QStringLiteral("address")}, {}, &code);
    QCOMPARE(code, 0);

    // The wallet store holds a login, and stays open (WAL, not checkpointed) while the CLI exports.
    auto store = WalletStore::open(path(QStringLiteral("src/wallet.sqlite")));
    QVERIFY(store.ok());
    QVERIFY(
        store
            ->recordLogin(LoginRecord{
                1'700'000'000, QStringLiteral("service.example"), QStringLiteral("ab"), QStringLiteral("success"), {}})
            .ok());
    QVERIFY(store->markNonceUsed(QStringLiteral("nonce-1"), QStringLiteral("ab"), 1'700'000'000).ok());

    m_backup = path(QStringLiteral("alice.uwbackup"));
    const QJsonObject exported = runCli({QStringLiteral("--data-dir"), path(QStringLiteral("src")),
                                         QStringLiteral("backup"), QStringLiteral("export"), m_backup},
                                        {}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(exported.value(QStringLiteral("event")).toString(), QStringLiteral("backup_exported"));
    const QStringList files = exported.value(QStringLiteral("files")).toVariant().toStringList();
    QVERIFY(files.contains(QStringLiteral("member.json")));
    QVERIFY(files.contains(QStringLiteral("keys/") + m_pair + QStringLiteral(".key")));
    QVERIFY(files.contains(QStringLiteral("anchor-wallet.key")));
    QVERIFY(files.contains(QStringLiteral("wallet.sqlite")));
    QCOMPARE(QFileInfo(m_backup).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
    // The scratch space of the snapshot is gone.
    QCOMPARE(
        QDir(path(QStringLiteral("src"))).entryList({QStringLiteral(".backup-*")}, QDir::AllEntries | QDir::Hidden),
        QStringList());
    // Nothing of the profile is readable in the file.
    const QByteArray sealed = readAll(m_backup);
    QVERIFY(sealed.startsWith("UWBACKUP"));
    QVERIFY(!sealed.contains("alice"));
    QVERIFY(!sealed.contains(m_pair.toLatin1()));
    QVERIFY(!sealed.contains("service.example"));
}

void TestProfileBackup::roundTripThroughTheCli()
{
    const QString target = path(QStringLiteral("restored"));
    int code = -1;
    const QJsonObject restored =
        runCli({QStringLiteral("--data-dir"), target, QStringLiteral("backup"), QStringLiteral("restore"), m_backup},
               {}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(restored.value(QStringLiteral("event")).toString(), QStringLiteral("backup_restored"));

    // The restored profile is the same member to the CLI.
    const QJsonObject before = runCli(
        {QStringLiteral("--data-dir"), path(QStringLiteral("src")), QStringLiteral("member"), QStringLiteral("show")},
        {}, &code);
    QCOMPARE(code, 0);
    const QJsonObject after =
        runCli({QStringLiteral("--data-dir"), target, QStringLiteral("member"), QStringLiteral("show")}, {}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(after, before);

    // Its key unlocks and signs for the member's public key.
    const Profile profile = profileAt(QStringLiteral("restored"));
    auto member = MemberDocument::load(profile.memberFile());
    QVERIFY(member.ok());
    auto ring = KeyStore(profile.keysDir()).unlock(kPassphrase);
    QVERIFY2(ring.ok(), ring.ok() ? "" : qPrintable(ring.error().message));
    QVERIFY(ring->contains(m_pair));
    const QByteArray message = QByteArrayLiteral("a login challenge");
    auto signature = schnorr::sign(*ring->secret(m_pair), message);
    QVERIFY(signature.ok());
    const auto pub = fromHex<32>(member->pairs.first().pubkey);
    QVERIFY(pub.has_value());
    QVERIFY(schnorr::verify(*pub, message, *signature));
    // The anchoring wallet's key file opens too.
    auto anchorKey = KeyFile::read(profile.anchorKeyFile());
    QVERIFY(anchorKey.ok());
    QVERIFY(KeyFile::open(*anchorKey, kPassphrase).ok());
    // The login history and the used nonce came along.
    auto store = WalletStore::open(profile.walletDatabase());
    QVERIFY(store.ok());
    QCOMPARE(store->history().size(), 1);
    QCOMPARE(store->history().first().service, QStringLiteral("service.example"));
    QVERIFY(store->isNonceUsed(QStringLiteral("nonce-1")));

    // Owner only: the folder, keys/ and every key file.
    const auto others = QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                        QFileDevice::WriteOther | QFileDevice::ExeGroup | QFileDevice::ExeOther;
    const QStringList owned{target, profile.keysDir(), profile.keysDir() + QLatin1Char('/') + m_pair + ".key"_L1,
                            profile.anchorKeyFile(), profile.memberFile()};
    for (const QString& p : owned)
        QVERIFY2((QFileInfo(p).permissions() & others) == QFileDevice::Permissions(), qPrintable(p));
    // No staging folder is left beside it.
    QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral(".*.restore-*")}, QDir::AllEntries | QDir::Hidden),
             QStringList());
}

void TestProfileBackup::restoresIntoAnEmptyFolder()
{
    QVERIFY(QDir().mkpath(path(QStringLiteral("empty"))));
    auto restored = ProfileBackup::restore(m_backup, kPassphrase, profileAt(QStringLiteral("empty")));
    QVERIFY2(restored.ok(), restored.ok() ? "" : qPrintable(restored.error().message));
    QVERIFY(MemberDocument::load(profileAt(QStringLiteral("empty")).memberFile()).ok());
}

void TestProfileBackup::verifyNothingWritten(const QString& name) const
{
    QVERIFY2(!QFileInfo::exists(path(name)), qPrintable(name));
    QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral(".*.restore-*")}, QDir::AllEntries | QDir::Hidden),
             QStringList());
}

void TestProfileBackup::wrongPassphraseWritesNothing()
{
    CliProcess cli({QStringLiteral("--data-dir"), path(QStringLiteral("wrong")), QStringLiteral("backup"),
                    QStringLiteral("restore"), m_backup},
                   {}, nullptr, {{QStringLiteral("USERWALLET_PASSPHRASE"), QStringLiteral("not the passphrase")}});
    cli.start();
    QCOMPARE(cli.waitForExit(), 1);
    QCOMPARE(cli.lines().last().value(QStringLiteral("error")).toString(), QStringLiteral("wrong_passphrase"));
    QVERIFY(cli.stderrText().contains("Wrong passphrase"));
    verifyNothingWritten(QStringLiteral("wrong"));
}

void TestProfileBackup::aFlippedByteIsRefused_data()
{
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("code");
    const int size = int(QFileInfo(m_backup).size());
    QTest::newRow("magic") << 0 << QStringLiteral("not_a_backup");
    QTest::newRow("version") << 9 << QStringLiteral("backup_version");
    QTest::newRow("kdf algorithm") << 10 << QStringLiteral("not_a_backup");
    QTest::newRow("salt") << 30 << QStringLiteral("wrong_passphrase");
    QTest::newRow("nonce") << 50 << QStringLiteral("wrong_passphrase");
    QTest::newRow("length") << 64 << QStringLiteral("corrupt_backup");
    QTest::newRow("first ciphertext byte") << 72 << QStringLiteral("wrong_passphrase");
    QTest::newRow("middle of the ciphertext") << size / 2 << QStringLiteral("wrong_passphrase");
    QTest::newRow("tag") << size - 1 << QStringLiteral("wrong_passphrase");
}

void TestProfileBackup::aFlippedByteIsRefused()
{
    QFETCH(int, offset);
    QFETCH(QString, code);
    QByteArray bytes = readAll(m_backup);
    bytes[offset] = char(bytes[offset] ^ 0x01);
    const QString altered = path(QStringLiteral("flipped.uwbackup"));
    QVERIFY(writeAll(altered, bytes));
    auto restored = ProfileBackup::restore(altered, kPassphrase, profileAt(QStringLiteral("flipped")));
    QVERIFY(!restored.ok());
    QCOMPARE(restored.error().code, code);
    QVERIFY(!restored.error().message.isEmpty());
    verifyNothingWritten(QStringLiteral("flipped"));
}

void TestProfileBackup::aTruncatedFileIsRefused_data()
{
    QTest::addColumn<int>("keep");
    QTest::addColumn<QString>("code");
    const int size = int(QFileInfo(m_backup).size());
    QTest::newRow("empty") << 0 << QStringLiteral("not_a_backup");
    QTest::newRow("magic only") << 8 << QStringLiteral("backup_truncated");
    QTest::newRow("inside the header") << 40 << QStringLiteral("backup_truncated");
    QTest::newRow("header only") << 72 << QStringLiteral("backup_truncated");
    QTest::newRow("half") << size / 2 << QStringLiteral("backup_truncated");
    QTest::newRow("last byte missing") << size - 1 << QStringLiteral("backup_truncated");
}

void TestProfileBackup::aTruncatedFileIsRefused()
{
    QFETCH(int, keep);
    QFETCH(QString, code);
    const QString cut = path(QStringLiteral("cut.uwbackup"));
    QVERIFY(writeAll(cut, readAll(m_backup).left(keep)));
    auto restored = ProfileBackup::restore(cut, kPassphrase, profileAt(QStringLiteral("cut")));
    QVERIFY(!restored.ok());
    QCOMPARE(restored.error().code, code);
    verifyNothingWritten(QStringLiteral("cut"));
}

void TestProfileBackup::weakerKdfParametersAreRefused()
{
    // An attacker who lowers the cost (to guess faster at the next export's passphrase, or to
    // pass off a file of theirs) changes the authenticated header: authentication fails.
    QByteArray bytes = readAll(m_backup);
    QCOMPARE(qFromBigEndian<quint32>(bytes.constData() + 12), quint32(KdfParams::standard().opsLimit));
    for (const auto& [offset, weaker] :
         {std::pair{12, QByteArray::fromHex("00000001")}, std::pair{16, QByteArray::fromHex("0000000000800000")}}) {
        QByteArray edited = bytes;
        edited.replace(offset, weaker.size(), weaker);
        const QString file = path(QStringLiteral("weaker.uwbackup"));
        QVERIFY(writeAll(file, edited));
        auto restored = ProfileBackup::restore(file, kPassphrase, profileAt(QStringLiteral("weaker")));
        QVERIFY(!restored.ok());
        QCOMPARE(restored.error().code, QStringLiteral("wrong_passphrase"));
        verifyNothingWritten(QStringLiteral("weaker"));
    }
}

void TestProfileBackup::costlierKdfParametersAreRefusedBeforeDerivation()
{
    // 2 GiB of Argon2id memory asked by the file itself: refused before any derivation.
    QByteArray bytes = readAll(m_backup);
    bytes.replace(16, 8, QByteArray::fromHex("0000000080000000"));
    const QString file = path(QStringLiteral("costly.uwbackup"));
    QVERIFY(writeAll(file, bytes));
    auto restored = ProfileBackup::restore(file, kPassphrase, profileAt(QStringLiteral("costly")));
    QVERIFY(!restored.ok());
    QCOMPARE(restored.error().code, QStringLiteral("kdf_params_out_of_range"));
    verifyNothingWritten(QStringLiteral("costly"));
}

void TestProfileBackup::aNonEmptyProfileIsNeverOverwritten()
{
    const QString target = path(QStringLiteral("occupied"));
    QVERIFY(QDir().mkpath(target));
    QVERIFY(writeAll(target + QStringLiteral("/member.json"), QByteArrayLiteral("{\"id\":\"bob\"}")));
    auto restored = ProfileBackup::restore(m_backup, kPassphrase, profileAt(QStringLiteral("occupied")));
    QVERIFY(!restored.ok());
    QCOMPARE(restored.error().code, QStringLiteral("profile_not_empty"));
    QCOMPARE(readAll(target + QStringLiteral("/member.json")), QByteArrayLiteral("{\"id\":\"bob\"}"));
    QCOMPARE(QDir(target).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{QStringLiteral("member.json")});

    // Through the CLI too, with the same words.
    int code = -1;
    const QJsonObject cli =
        runCli({QStringLiteral("--data-dir"), target, QStringLiteral("backup"), QStringLiteral("restore"), m_backup},
               {}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(cli.value(QStringLiteral("error")).toString(), QStringLiteral("profile_not_empty"));
    QCOMPARE(readAll(target + QStringLiteral("/member.json")), QByteArrayLiteral("{\"id\":\"bob\"}"));

    // A hidden file alone is enough to count as occupied.
    const QString hidden = path(QStringLiteral("hidden"));
    QVERIFY(QDir().mkpath(hidden));
    QVERIFY(writeAll(hidden + QStringLiteral("/.lock"), QByteArrayLiteral("x")));
    QCOMPARE(ProfileBackup::restore(m_backup, kPassphrase, profileAt(QStringLiteral("hidden"))).error().code,
             QStringLiteral("profile_not_empty"));
}

void TestProfileBackup::aHugeFileIsRefusedUnread()
{
    // A sparse 300 MiB file that starts like a backup: refused by its size, never read.
    const QString huge = path(QStringLiteral("huge.uwbackup"));
    {
        QFile f(huge);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.write(readAll(m_backup).left(ProfileBackup::kHeaderBytes)) == ProfileBackup::kHeaderBytes);
        QVERIFY(f.resize(300ll * 1024 * 1024));
    }
    const long before = processStats::rssKb();
    auto restored = ProfileBackup::restore(huge, kPassphrase, profileAt(QStringLiteral("huge")));
    QVERIFY(!restored.ok());
    QCOMPARE(restored.error().code, QStringLiteral("backup_too_large"));
    QVERIFY2(processStats::rssKb() - before < 32 * 1024, "the huge file was read");
    verifyNothingWritten(QStringLiteral("huge"));

    // A header that claims 250 MiB of ciphertext over a short file: cut short, before any derivation.
    QByteArray lying = readAll(m_backup);
    lying.replace(64, 8, QByteArray::fromHex("000000000FA00000"));
    QVERIFY(writeAll(huge, lying));
    restored = ProfileBackup::restore(huge, kPassphrase, profileAt(QStringLiteral("huge")));
    QVERIFY(!restored.ok());
    QCOMPARE(restored.error().code, QStringLiteral("backup_truncated"));
    verifyNothingWritten(QStringLiteral("huge"));
}

void TestProfileBackup::garbageIsNotABackup()
{
    const QString garbage = path(QStringLiteral("garbage.bin"));
    QByteArray noise(1024 * 1024, '\0');
    for (qsizetype i = 0; i < noise.size(); ++i)
        noise[i] = char((i * 2654435761u) >> 13);
    QVERIFY(writeAll(garbage, noise));
    int code = -1;
    const QJsonObject cli = runCli({QStringLiteral("--data-dir"), path(QStringLiteral("garbage")),
                                    QStringLiteral("backup"), QStringLiteral("restore"), garbage},
                                   {}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(cli.value(QStringLiteral("error")).toString(), QStringLiteral("not_a_backup"));
    verifyNothingWritten(QStringLiteral("garbage"));
    // A key file is not a backup either.
    QCOMPARE(ProfileBackup::open(readAll(profileAt(QStringLiteral("src")).anchorKeyFile()), kPassphrase).error().code,
             QStringLiteral("not_a_backup"));
    // Nor is a missing file.
    QCOMPARE(ProfileBackup::restore(path(QStringLiteral("absent.uwbackup")), kPassphrase,
                                    profileAt(QStringLiteral("garbage")))
                 .error()
                 .code,
             QStringLiteral("not_found"));
}

void TestProfileBackup::aHostileArchiveIsRefused_data()
{
    // Sealed with the right passphrase (an attacker who knows it, or a buggy writer): the archive
    // itself is still checked before anything is written.
    QTest::addColumn<QByteArray>("archive");
    const QByteArray member = readAll(profileAt(QStringLiteral("src")).memberFile());
    const QByteArray key = readAll(profileAt(QStringLiteral("src")).keysDir() + QLatin1Char('/') + m_pair + ".key"_L1);
    using E = QList<QPair<QByteArray, QByteArray>>;
    QTest::newRow("path out of the profile") << archiveOf(E{{"member.json", member}, {"../evil", "x"}});
    QTest::newRow("absolute path") << archiveOf(E{{"member.json", member}, {"/tmp/evil", "x"}});
    QTest::newRow("key outside keys/") << archiveOf(E{{"member.json", member}, {"keys/../../evil.key", key}});
    QTest::newRow("unknown file") << archiveOf(E{{"member.json", member}, {"autostart.desktop", "x"}});
    QTest::newRow("duplicate") << archiveOf(E{{"member.json", member}, {"member.json", member}});
    QTest::newRow("no member document") << archiveOf(E{{"keys/" + m_pair.toLatin1() + ".key", key}});
    QTest::newRow("member document that does not load") << archiveOf(E{{"member.json", "{\"id\":"}});
    QTest::newRow("key file under another pair's name")
        << archiveOf(E{{"member.json", member}, {"keys/00000000-0000-0000-0000-000000000000.key", key}});
    QTest::newRow("not a key file") << archiveOf(E{{"member.json", member}, {"anchor-wallet.key", "{}"}});
    QTest::newRow("not a database") << archiveOf(E{{"member.json", member}, {"wallet.sqlite", "not sqlite"}});
    QByteArray cut = archiveOf(E{{"member.json", member}});
    cut.chop(1);
    QTest::newRow("entry cut short") << cut;
    QTest::newRow("bytes after the last entry") << archiveOf(E{{"member.json", member}}) + "x";
    QTest::newRow("no entries") << archiveOf(E{});
}

void TestProfileBackup::aHostileArchiveIsRefused()
{
    QFETCH(QByteArray, archive);
    auto sealed = ProfileBackup::seal(archive, kPassphrase, cheap());
    QVERIFY(sealed.ok());
    const QString file = path(QStringLiteral("hostile.uwbackup"));
    QVERIFY(writeAll(file, *sealed));
    // One target per row: a row that wrongly succeeds cannot make the next one fail for another reason.
    const QString target =
        QStringLiteral("hostile-%1").arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'));
    auto restored = ProfileBackup::restore(file, kPassphrase, profileAt(target));
    QVERIFY(!restored.ok());
    QCOMPARE(restored.error().code, QStringLiteral("corrupt_backup"));
    verifyNothingWritten(target);
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("evil"))));
    QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/evil")));
}

void TestProfileBackup::exportRefusesAProfileWithoutIdentity()
{
    QVERIFY(QDir().mkpath(path(QStringLiteral("blank"))));
    auto exported = ProfileBackup::exportTo(profileAt(QStringLiteral("blank")), path(QStringLiteral("blank.uwbackup")),
                                            kPassphrase, cheap());
    QVERIFY(!exported.ok());
    QCOMPARE(exported.error().code, QStringLiteral("no_identity"));
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("blank.uwbackup"))));
}

QTEST_GUILESS_MAIN(TestProfileBackup)
#include "test_profile_backup.moc"
