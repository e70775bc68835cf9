// The durable nonce store: once per nonce, across restarts and across processes sharing a profile.
#include "identity/WalletStore.h"
#include "login/LoginValidation.h"
#include "login/Proof.h"
#include "support/TestIdentity.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestWalletStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nonceOnceAcrossRestarts();
    void nonceOnceAcrossProcesses();
    void history();
};

void TestWalletStore::nonceOnceAcrossRestarts()
{
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/wallet.sqlite");
    {
        WalletStore store = WalletStore::open(path).value();
        QVERIFY(!store.isNonceUsed(QStringLiteral("00112233445566778899aabbccddeeff")));
        QVERIFY(store.markNonceUsed(QStringLiteral("00112233445566778899aabbccddeeff"), QStringLiteral("h"), 1).ok());
        auto again = store.markNonceUsed(QStringLiteral("00112233445566778899aabbccddeeff"), QStringLiteral("h"), 2);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, QStringLiteral("nonce_used"));
    }
    WalletStore reopened = WalletStore::open(path).value();
    QVERIFY(reopened.isNonceUsed(QStringLiteral("00112233445566778899aabbccddeeff")));
    QCOMPARE(
        reopened.markNonceUsed(QStringLiteral("00112233445566778899aabbccddeeff"), QStringLiteral("h"), 3).error().code,
        QStringLiteral("nonce_used"));
    QVERIFY(reopened.markNonceUsed(QStringLiteral("ffeeddccbbaa99887766554433221100"), QStringLiteral("h"), 3).ok());
}

void TestWalletStore::nonceOnceAcrossProcesses()
{
    QTemporaryDir dir;
    const TestPair a = makePair();
    const Challenge c =
        makeChallenge({makeMember(QStringLiteral("alice"), 1, {a})}, QDateTime::currentSecsSinceEpoch());
    const Proof proof{c.message, c.hash, c.nonce(), signChallenge(c, QStringLiteral("alice"), makeRing({a})).value()};
    const QString proofPath = dir.path() + QStringLiteral("/proof.json");
    QFile f(proofPath);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(proof.toBytes());
    f.close();

    // Six processes race to mark the same nonce in the same profile.
    constexpr int kProcesses = 6;
    QList<QProcess*> procs;
    for (int i = 0; i < kProcesses; ++i) {
        auto* p = new QProcess(this);
        p->start(QStringLiteral(UW_CLI_PATH), {QStringLiteral("--data-dir"), dir.path() + QStringLiteral("/profile"),
                                               QStringLiteral("verify-proof"), proofPath, QStringLiteral("--mark")});
        procs.append(p);
    }
    int accepted = 0, replays = 0;
    for (QProcess* p : procs) {
        QVERIFY(p->waitForFinished(60000));
        const QByteArray out = p->readAllStandardOutput();
        if (p->exitCode() == 0) {
            QCOMPARE(out.trimmed(), QByteArray("{\"valid\":true}"));
            ++accepted;
        } else {
            QVERIFY2(out.contains("\"code\":\"nonce_used\""), out.constData());
            ++replays;
        }
    }
    QCOMPARE(accepted, 1);
    QCOMPARE(replays, kProcesses - 1);
    qDeleteAll(procs);
}

void TestWalletStore::history()
{
    QTemporaryDir dir;
    WalletStore store = WalletStore::open(dir.path() + QStringLiteral("/w.sqlite")).value();
    QVERIFY(store
                .recordLogin(
                    LoginRecord{10, QStringLiteral("svc"), QStringLiteral("h1"), QStringLiteral("success"), QString()})
                .ok());
    QVERIFY(store
                .recordLogin(LoginRecord{20, QStringLiteral("svc"), QStringLiteral("h2"), QStringLiteral("failure"),
                                         QStringLiteral("refused")})
                .ok());
    const auto h = store.history();
    QCOMPARE(h.size(), 2);
    QCOMPARE(h[0].hash, QStringLiteral("h2")); // newest first
    QCOMPARE(h[0].reason, QStringLiteral("refused"));
}

QTEST_GUILESS_MAIN(TestWalletStore)
#include "test_wallet_store.moc"
