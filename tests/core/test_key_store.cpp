// Secret keys at rest: Argon2id + XChaCha20-Poly1305, wrong passphrases and damaged files.
#include "crypto/KeyFile.h"
#include "crypto/Schnorr.h"
#include "identity/KeyStore.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;

class TestKeyStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createAndUnlock();
    void secretNeverOnDiskInClear();
    void wrongPassphraseChangesNothing();
    void damagedFilesAreDetected_data();
    void damagedFilesAreDetected();
    void keyThatIsNotItsPublicKeyIsRefused();
    void strayFilesAreSkipped();
    void symlinkedFoldersAreRefused();
    void profilesAreSeparate();
    void memberDocumentRoundTrip();

private:
    static QByteArray fileHash(const QString& dir);
};

QByteArray TestKeyStore::fileHash(const QString& dir)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const QString& name : QDir(dir).entryList(QDir::Files, QDir::Name)) {
        QFile f(dir + QLatin1Char('/') + name);
        if (f.open(QIODevice::ReadOnly)) {
            h.addData(name.toUtf8());
            h.addData(f.readAll());
        }
    }
    return h.result();
}

void TestKeyStore::createAndUnlock()
{
    QTemporaryDir dir;
    KeyStore store(dir.path());
    const PairRef a = store.createPair("correct horse").value();
    const PairRef b = store.createPair("correct horse").value();
    QVERIFY(a.pair != b.pair);
    const KeyRing ring = store.unlock("correct horse").value();
    QCOMPARE(ring.pairs().size(), 2);
    QVERIFY(ring.contains(a.pair));
    QCOMPARE(toHex(schnorr::xOnlyPublicKey(*ring.secret(a.pair)).value()), a.pubkey);
    QCOMPARE(store.localPairs().size(), 2);
    const QFileInfo info(dir.path() + QLatin1Char('/') + a.pair + QStringLiteral(".key"));
    QCOMPARE(info.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
    QVERIFY(!store.createPair(QByteArray()).ok());
}

void TestKeyStore::secretNeverOnDiskInClear()
{
    QTemporaryDir dir;
    KeyStore store(dir.path());
    const PairRef a = store.createPair("pw").value();
    const KeyRing ring = store.unlock("pw").value();
    const QByteArray secret(reinterpret_cast<const char*>(ring.secret(a.pair)->data()), 32);
    QFile f(dir.path() + QLatin1Char('/') + a.pair + QStringLiteral(".key"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray contents = f.readAll();
    QVERIFY(!contents.contains(secret));
    QVERIFY(!contents.contains(secret.toHex()));
    QVERIFY(!contents.contains(secret.toBase64()));
}

void TestKeyStore::wrongPassphraseChangesNothing()
{
    QTemporaryDir dir;
    KeyStore store(dir.path());
    (void)store.createPair("right").value();
    const QByteArray before = fileHash(dir.path());
    for (const QByteArray& wrong : {QByteArray("wrong"), QByteArray(), QByteArray("right "), QByteArray("Right")}) {
        auto r = store.unlock(wrong);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("wrong_passphrase"));
    }
    QCOMPARE(fileHash(dir.path()), before);
    QVERIFY(store.unlock("right").ok());
}

void TestKeyStore::damagedFilesAreDetected_data()
{
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("code");
    QTest::newRow("flipped ciphertext bit") << QStringLiteral("ciphertext") << QStringLiteral("wrong_passphrase");
    QTest::newRow("edited public key") << QStringLiteral("pubkey") << QStringLiteral("wrong_passphrase");
    QTest::newRow("weakened kdf") << QStringLiteral("opslimit") << QStringLiteral("wrong_passphrase");
    QTest::newRow("costly opslimit") << QStringLiteral("opslimit-huge") << QStringLiteral("kdf_params_out_of_range");
    QTest::newRow("costly memlimit") << QStringLiteral("memlimit-huge") << QStringLiteral("kdf_params_out_of_range");
    QTest::newRow("truncated") << QStringLiteral("truncate") << QStringLiteral("corrupt_key_file");
    QTest::newRow("not json") << QStringLiteral("garbage") << QStringLiteral("corrupt_key_file");
}

void TestKeyStore::damagedFilesAreDetected()
{
    QFETCH(QString, damage);
    QFETCH(QString, code);
    QTemporaryDir dir;
    KeyStore store(dir.path());
    const PairRef a = store.createPair("pw").value();
    QFile f(dir.path() + QLatin1Char('/') + a.pair + QStringLiteral(".key"));
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray contents = f.readAll();
    if (damage == QLatin1String("ciphertext")) {
        const qsizetype at = contents.indexOf("\"ciphertext\": \"") + 20;
        contents[at] = contents[at] == '0' ? '1' : '0';
    } else if (damage == QLatin1String("pubkey")) {
        const QByteArray other = toHex(schnorr::xOnlyPublicKey(schnorr::generateSecretKey()).value()).toUtf8();
        contents.replace(a.pubkey.toUtf8(), other);
    } else if (damage == QLatin1String("opslimit")) {
        contents.replace("\"opslimit\": 3", "\"opslimit\": 2");
    } else if (damage == QLatin1String("opslimit-huge")) {
        QVERIFY(contents.contains("\"opslimit\": 3"));
        contents.replace("\"opslimit\": 3", "\"opslimit\": 13");
    } else if (damage == QLatin1String("memlimit-huge")) {
        QVERIFY(contents.contains("\"memlimit\": 67108864"));
        contents.replace("\"memlimit\": 67108864", "\"memlimit\": 2147483648");
    } else if (damage == QLatin1String("truncate")) {
        contents.truncate(contents.size() / 2);
    } else {
        contents = "\x00\x01garbage";
    }
    f.resize(0);
    f.write(contents);
    f.close();
    auto r = store.unlock("pw");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, code);
    if (code == QLatin1String("kdf_params_out_of_range")) {
        // Its own code, not a failed decryption: the parameters were refused before any
        // derivation (a derivation at 2 GiB would have been attempted, or failed otherwise).
        QVERIFY(r.error().message.contains(QStringLiteral("out of range (edited?)")));
    }
}

void TestKeyStore::keyThatIsNotItsPublicKeyIsRefused()
{
    // Sealed with the right passphrase but naming another key (a bug, or someone who knew the
    // passphrase): the header is authentic, the key inside is not the one it names, and it is
    // refused rather than used under that name.
    const KdfParams cheap{1, 8192};
    const SecretKey secret = schnorr::generateSecretKey();
    const QString own = toHex(schnorr::xOnlyPublicKey(secret).value());
    const QString other = toHex(schnorr::xOnlyPublicKey(schnorr::generateSecretKey()).value());
    const auto opened = KeyFile::open(KeyFile::seal(secret, "pw", QStringLiteral("p"), other, cheap).value(), "pw");
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, QStringLiteral("corrupt_key_file"));
    QVERIFY(KeyFile::open(KeyFile::seal(secret, "pw", QStringLiteral("p"), own, cheap).value(), "pw").ok());
}

void TestKeyStore::strayFilesAreSkipped()
{
    QTemporaryDir dir;
    KeyStore store(dir.path());
    const PairRef a = store.createPair("pw").value();
    const QByteArray real = [&] {
        QFile f(dir.path() + QLatin1Char('/') + a.pair + QStringLiteral(".key"));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    QVERIFY(!real.isEmpty());
    const auto put = [&](const QString& name, const QByteArray& bytes) {
        QFile f(dir.path() + QLatin1Char('/') + name);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    QVERIFY(put(QStringLiteral("notes.txt"), "my notes\n"));
    QVERIFY(put(QStringLiteral("0-truncated.key"), real.left(real.size() / 2)));
    QVERIFY(put(QStringLiteral("1-empty.key"), QByteArray()));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^skipping 0-truncated\\.key: ")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^skipping 1-empty\\.key: ")));
    auto ring = store.unlock("pw");
    QVERIFY2(ring.ok(), qPrintable(ring.ok() ? QString() : ring.error().message));
    QVERIFY(!ring->isEmpty());
    QCOMPARE(store.localPairs().size(), 1);
    QCOMPARE(store.localPairs().first().pubkey, a.pubkey);

    // Only stray files left: the unlock fails, naming the file.
    QVERIFY(QFile::remove(dir.path() + QLatin1Char('/') + a.pair + QStringLiteral(".key")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^skipping ")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^skipping ")));
    auto none = store.unlock("pw");
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, QStringLiteral("corrupt_key_file"));
    QVERIFY(none.error().message.contains(QStringLiteral("0-truncated.key")));
}

void TestKeyStore::symlinkedFoldersAreRefused()
{
    QTemporaryDir base;
    const QString target = base.path() + QStringLiteral("/elsewhere");
    QVERIFY(QDir().mkpath(target));
    QVERIFY(QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                              QFileDevice::ReadOther | QFileDevice::ExeOther));
    const QFileDevice::Permissions before = QFile::permissions(target);

    // The profile folder itself is a link.
    QVERIFY(QFile::link(target, base.path() + QStringLiteral("/linked")));
    const Profile linked = Profile::resolve(QStringLiteral("linked"), base.path() + QStringLiteral("/linked")).value();
    auto r = linked.ensureExists();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("symlinked_profile"));
    QVERIFY(r.error().message.contains(QStringLiteral("symbolic link")));

    // A real profile folder whose keys/ is a link.
    QVERIFY(QDir().mkpath(base.path() + QStringLiteral("/real")));
    QVERIFY(QFile::link(target, base.path() + QStringLiteral("/real/keys")));
    const Profile real = Profile::resolve(QStringLiteral("real"), base.path() + QStringLiteral("/real")).value();
    r = real.ensureExists();
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("symlinked_profile"));

    // The target was neither chmod'ed nor written to, and KeyStore refuses the link too.
    QCOMPARE(QFile::permissions(target), before);
    KeyStore store(real.keysDir());
    auto created = store.createPair("pw");
    QVERIFY(!created.ok());
    QCOMPARE(created.error().code, QStringLiteral("symlinked_profile"));
    auto unlocked = store.unlock("pw");
    QVERIFY(!unlocked.ok());
    QCOMPARE(unlocked.error().code, QStringLiteral("symlinked_profile"));
    QVERIFY(QDir(target).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
}

void TestKeyStore::profilesAreSeparate()
{
    QTemporaryDir base;
    const Profile d1 = Profile::resolve(QStringLiteral("device1"), base.path() + QStringLiteral("/d1")).value();
    const Profile d2 = Profile::resolve(QStringLiteral("device2"), base.path() + QStringLiteral("/d2")).value();
    QVERIFY(d1.ensureExists().ok());
    QVERIFY(d2.ensureExists().ok());
    QVERIFY(d1.keysDir() != d2.keysDir());
    QVERIFY(!Profile::resolve(QStringLiteral("../escape"), QString()).ok());
    QVERIFY(!Profile::resolve(QStringLiteral(".hidden"), QString()).ok());
    const Profile named = Profile::resolve(QStringLiteral("device1"), QString()).value();
    QVERIFY(named.dataDir().endsWith(QStringLiteral("/userwallet/profiles/device1")));
}

void TestKeyStore::memberDocumentRoundTrip()
{
    QTemporaryDir dir;
    KeyStore store(dir.path());
    const PairRef a = store.createPair("pw").value();
    const MemberDocument doc{QStringLiteral("alice"), QStringLiteral("Alice Martin"), 2, {a}};
    const QString path = dir.path() + QStringLiteral("/member.json");
    QVERIFY(doc.save(path).ok());
    QCOMPARE(MemberDocument::load(path).value(), doc);
    QVERIFY(!MemberDocument::load(dir.path() + QStringLiteral("/none.json")).ok());
    QCOMPARE(MemberDocument::load(dir.path() + QStringLiteral("/none.json")).error().code,
             QStringLiteral("not_initialized"));
}

QTEST_GUILESS_MAIN(TestKeyStore)
#include "test_key_store.moc"
