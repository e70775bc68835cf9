// Crash safety: a `userwallet-cli anchor` process anchoring 200 digests is killed with SIGKILL
// at random moments and restarted until it is done. Every digest must be anchored exactly
// once, no UTXO spent twice, no lock left behind.
#include "anchor/AnchorStore.h"
#include "anchor/AnchorTx.h"
#include "crypto/Sha256.h"
#include "identity/Profile.h"
#include "support/Processes.h"
#include "support/StatePrinting.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestAnchorCrash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedAtRandomMomentsAnchorsEachDigestOnce();
};

void TestAnchorCrash::killedAtRandomMomentsAnchorsEachDigestOnce()
{
    QTemporaryDir dir;
    DoubleProcess node(dir.path() + QStringLiteral("/.cookie"));
    QVERIFY(node.start());
    const QHash<QString, QString> env{{QStringLiteral("BITCOIN_RPC_URL"), node.url()},
                                      {QStringLiteral("BITCOIN_RPC_COOKIE"), node.cookieFile()}};
    const QString dataDir = dir.path() + QStringLiteral("/wallet");
    const QStringList profile{QStringLiteral("--data-dir"), dataDir};
    auto cli = [&](const QStringList& args) {
        auto* p = new CliProcess(profile + args, {}, this, env);
        p->start();
        return p;
    };

    // A wallet with 20 mature coins.
    std::unique_ptr<CliProcess> address(cli({QStringLiteral("address")}));
    QCOMPARE(address->waitForExit(), 0);
    const QString walletAddress = address->lines().last().value(QStringLiteral("address")).toString();
    node.rpc(QStringLiteral("generatetoaddress"), {20, walletAddress});
    node.rpc(QStringLiteral("generatetoaddress"), {100, QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")});
    std::unique_ptr<CliProcess> sync(cli({QStringLiteral("utxo"), QStringLiteral("sync")}));
    QCOMPARE(sync->waitForExit(), 0);
    QCOMPARE(sync->lines().last().value(QStringLiteral("imported")).toInt(), 20);

    QSet<QString> digests;
    QFile list(dir.path() + QStringLiteral("/digests.txt"));
    QVERIFY(list.open(QIODevice::WriteOnly));
    for (int i = 0; i < 200; ++i) {
        const QString d = Sha256::hashHex(QByteArray(QByteArray("crash test document ") + QByteArray::number(i)));
        digests.insert(d);
        list.write(d.toLatin1() + '\n');
    }
    list.close();

    const quint32 seed = QRandomGenerator::global()->generate();
    qInfo("random seed %u", seed);
    QRandomGenerator random(seed);
    int kills = 0, rounds = 0;
    bool finished = false;
    while (!finished && rounds < 300) {
        ++rounds;
        std::unique_ptr<CliProcess> run(cli({QStringLiteral("anchor"), QStringLiteral("--digests-file"),
                                             list.fileName(), QStringLiteral("--poll-ms"), QStringLiteral("100")}));
        // Kill after a random number of signatures: at a random point of the pipeline
        // (after signing, during or after the broadcast, while recording the result).
        const int signatures = int(random.bounded(1, 16));
        const bool done = QTest::qWaitFor(
            [&] {
                int seen = 0;
                for (const QJsonObject& l : run->lines())
                    seen += l.value(QStringLiteral("state")).toString() == QLatin1String("signed") ? 1 : 0;
                return seen >= signatures || run->process().state() == QProcess::NotRunning;
            },
            60000);
        QVERIFY(done);
        if (run->process().state() != QProcess::NotRunning) {
            run->process().kill();
            ++kills;
        }
        const int code = run->waitForExit();
        finished = code == 0 && run->process().exitStatus() == QProcess::NormalExit;
        if (rounds % 3 == 0)
            node.rpc(QStringLiteral("generatetoaddress"),
                     {1, QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")});
    }
    QVERIFY2(finished, "the anchoring never completed");
    QVERIFY2(kills >= 5, qPrintable(QStringLiteral("only %1 kills").arg(kills)));
    qInfo("%d rounds, %d processes killed with SIGKILL", rounds, kills);

    // Confirm everything, then count what the chain holds.
    node.rpc(QStringLiteral("generatetoaddress"), {1, QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")});
    std::unique_ptr<CliProcess> confirm(
        cli({QStringLiteral("anchor"), QStringLiteral("--digests-file"), list.fileName(), QStringLiteral("--wait"),
             QStringLiteral("1"), QStringLiteral("--poll-ms"), QStringLiteral("100"), QStringLiteral("--timeout"),
             QStringLiteral("60")}));
    QCOMPARE(confirm->waitForExit(90000), 0);
    QCOMPARE(node.rpc(QStringLiteral("getrawmempool")).toArray().size(), 0);

    QHash<QString, int> anchoredTimes;
    QSet<QString> spentOutpoints;
    const int height = node.rpc(QStringLiteral("getblockcount")).toInt();
    for (int h = 1; h <= height; ++h) {
        const QJsonObject block =
            node.rpc(QStringLiteral("getblock"), {node.rpc(QStringLiteral("getblockhash"), {h}), 2}).toObject();
        for (const QJsonValue& tv : block.value(QStringLiteral("tx")).toArray()) {
            for (const QJsonValue& in : tv.toObject().value(QStringLiteral("vin")).toArray()) {
                const QString outpoint = in.toObject().value(QStringLiteral("txid")).toString() + QLatin1Char(':') +
                                         QString::number(in.toObject().value(QStringLiteral("vout")).toInt());
                if (in.toObject().contains(QStringLiteral("txid"))) {
                    QVERIFY2(!spentOutpoints.contains(outpoint), qPrintable(outpoint));
                    spentOutpoints.insert(outpoint);
                }
            }
            for (const QJsonValue& out : tv.toObject().value(QStringLiteral("vout")).toArray()) {
                const QByteArray script = QByteArray::fromHex(out.toObject()
                                                                  .value(QStringLiteral("scriptPubKey"))
                                                                  .toObject()
                                                                  .value(QStringLiteral("hex"))
                                                                  .toString()
                                                                  .toLatin1());
                if (const auto d = anchorTx::digestOf(script))
                    ++anchoredTimes[*d];
            }
        }
    }
    QCOMPARE(anchoredTimes.size(), 200);
    for (auto it = anchoredTimes.cbegin(); it != anchoredTimes.cend(); ++it) {
        QVERIFY(digests.contains(it.key()));
        QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("%1 anchored %2 times").arg(it.key()).arg(it.value())));
    }

    // The store agrees: everything confirmed, no lock left, no expired lock.
    AnchorStore store = AnchorStore::open(Profile::resolve({}, dataDir).value().anchorDatabase()).value();
    QCOMPARE(store.anchorCountsByState().value(AnchorState::Confirmed), 200);
    QCOMPARE(store.utxoStatsByState().value(UtxoState::Locked).count, 0);
    QCOMPARE(store.expiredLockCount(QDateTime::currentSecsSinceEpoch() + 100000), 0);
}

QTEST_GUILESS_MAIN(TestAnchorCrash)
#include "test_anchor_crash.moc"
