// The anchoring wallet's key file on a real disk: created once with owner-only permissions,
// opened again to the same address, refused when missing, with the wrong passphrase or damaged.
#include "anchor/AnchorWallet.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <sodium.h>

using namespace uw;

namespace {

/// The cheapest key derivation the key file accepts: these tests are about the file, not Argon2id.
const KdfParams kFast{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

AnchorWallet::Passphrase passphrase(const QByteArray& text, int* asked = nullptr)
{
    return [text, asked]() -> Result<SecretBytes> {
        if (asked)
            ++*asked;
        return SecretBytes(QByteArray(text));
    };
}

} // namespace

class TestAnchorWallet : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createdOnceThenOpened_data();
    void createdOnceThenOpened();
    void missingIsRefusedWithoutAskingThePassphrase();
    void wrongPassphraseAndDamagedFile();
    void passphraseErrorCreatesNothing();
};

void TestAnchorWallet::createdOnceThenOpened_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("scriptPrefix");
    QTest::newRow("P2WPKH signet") << int(btc::KeyType::P2WPKH) << QStringLiteral("tb1q") << QStringLiteral("0014");
    QTest::newRow("P2TR signet") << int(btc::KeyType::P2TR) << QStringLiteral("tb1p") << QStringLiteral("5120");
}

void TestAnchorWallet::createdOnceThenOpened()
{
    QFETCH(int, type);
    QFETCH(QString, prefix);
    QFETCH(QString, scriptPrefix);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("anchor-wallet.key"));
    const AnchorWallet::Options options{path, btc::KeyType(type), btc::Network::Signet, AnchorWallet::IfMissing::Create,
                                        kFast};
    const AnchorWallet created = AnchorWallet::open(options, passphrase("pw")).value();
    QVERIFY(created.created());
    QVERIFY2(created.address().startsWith(prefix), qPrintable(created.address()));
    QVERIFY(QString::fromLatin1(created.script().toHex()).startsWith(scriptPrefix));
    QCOMPARE(created.network(), btc::Network::Signet);
    QCOMPARE(created.type(), btc::KeyType(type));
    // Readable and writable by its owner only.
    QCOMPARE(QFileInfo(path).permissions() &
                 ~(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser),
             QFileDevice::Permissions());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray sealed = f.readAll();
    QCOMPARE(KeyFile::readHeader(sealed).value().pairId, AnchorWallet::keyFileLabel());

    // Opened again, even when asked to create: the same key, the file untouched.
    int asked = 0;
    const AnchorWallet again = AnchorWallet::open(options, passphrase("pw", &asked)).value();
    QVERIFY(!again.created());
    QCOMPARE(asked, 1);
    QCOMPARE(again.address(), created.address());
    QCOMPARE(again.script(), created.script());
    f.seek(0);
    QCOMPARE(f.readAll(), sealed);
}

void TestAnchorWallet::missingIsRefusedWithoutAskingThePassphrase()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("anchor-wallet.key"));
    int asked = 0;
    auto r =
        AnchorWallet::open({path, btc::KeyType::P2WPKH, btc::Network::Signet, AnchorWallet::IfMissing::Refuse, kFast},
                           passphrase("pw", &asked));
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("no_wallet"));
    QCOMPARE(asked, 0);
    QVERIFY(!QFileInfo::exists(path));
}

void TestAnchorWallet::wrongPassphraseAndDamagedFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("anchor-wallet.key"));
    AnchorWallet::Options options{path, btc::KeyType::P2WPKH, btc::Network::Signet, AnchorWallet::IfMissing::Create,
                                  kFast};
    QVERIFY(AnchorWallet::open(options, passphrase("right")).ok());
    auto wrong = AnchorWallet::open(options, passphrase("wrong"));
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().code, QStringLiteral("wrong_passphrase"));

    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("{\"not\":\"a key file\"}");
    f.close();
    auto damaged = AnchorWallet::open(options, passphrase("right"));
    QVERIFY(!damaged);
    QCOMPARE(damaged.error().code, QStringLiteral("corrupt_key_file"));
}

void TestAnchorWallet::passphraseErrorCreatesNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("anchor-wallet.key"));
    auto r = AnchorWallet::open(
        {path, btc::KeyType::P2WPKH, btc::Network::Signet, AnchorWallet::IfMissing::Create, kFast},
        []() -> Result<SecretBytes> { return makeError(QStringLiteral("no_passphrase"), QStringLiteral("none")); });
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("no_passphrase"));
    QVERIFY(!QFileInfo::exists(path));
}

QTEST_GUILESS_MAIN(TestAnchorWallet)
#include "test_anchor_wallet.moc"
