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
#include <functional>

using namespace uw;
using namespace uw::test;

class TestAnchorCrash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedAtRandomMomentsAnchorsEachDigestOnce();
    void killedWhileRoundsFormAnchorsEachAcceptedDigestOnce();
};

namespace {
/// The random seed: UW_CRASH_SEED replays a run that failed (each test prints its seed, in the log
/// always, and again after its failure). A value that is not a seed stops the run: a replay that
/// silently used another seed would prove nothing.
quint32 crashSeed()
{
    const QString given = qEnvironmentVariable("UW_CRASH_SEED");
    bool ok = false;
    const quint32 fixed = given.toUInt(&ok);
    if (!given.isEmpty() && !ok)
        qFatal("UW_CRASH_SEED=\"%s\" is not a seed (a number from 0 to 4294967295)", qPrintable(given.left(40)));
    const quint32 seed = ok ? fixed : QRandomGenerator::global()->generate();
    qInfo("random seed %u (UW_CRASH_SEED=%u replays it)", seed, seed);
    return seed;
}

/// Says the seed again when the test has failed, as its scope ends: declared after the processes
/// the test starts, it speaks before they are stopped (a stop that fails is fatal).
struct SeedOnFailure
{
    quint32 seed;
    ~SeedOnFailure()
    {
        if (QTest::currentTestFailed())
            qWarning("%s failed with random seed %u: UW_CRASH_SEED=%u replays it", QTest::currentTestFunction(), seed,
                     seed);
    }
};

const QString kElsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");

/// The profile's wallet gets 20 mature coins on `node` and imports them (`cli` runs a command).
void fundWallet(DoubleProcess& node, const std::function<CliProcess*(const QStringList&)>& cli)
{
    std::unique_ptr<CliProcess> address(cli({QStringLiteral("address")}));
    QCOMPARE(address->waitForExit(), 0);
    node.rpc(QStringLiteral("generatetoaddress"),
             {20, address->lines().last().value(QStringLiteral("address")).toString()});
    node.rpc(QStringLiteral("generatetoaddress"), {100, kElsewhere});
    std::unique_ptr<CliProcess> sync(cli({QStringLiteral("utxo"), QStringLiteral("sync")}));
    QCOMPARE(sync->waitForExit(), 0);
    QCOMPARE(sync->lines().last().value(QStringLiteral("imported")).toInt(), 20);
}
} // namespace

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

    fundWallet(node, cli);
    if (QTest::currentTestFailed())
        return;

    QSet<QString> digests;
    QFile list(dir.path() + QStringLiteral("/digests.txt"));
    QVERIFY(list.open(QIODevice::WriteOnly));
    for (int i = 0; i < 200; ++i) {
        const QString d = Sha256::hashHex(QByteArray(QByteArray("crash test document ") + QByteArray::number(i)));
        digests.insert(d);
        list.write(d.toLatin1() + '\n');
    }
    list.close();

    const SeedOnFailure seed{crashSeed()};
    QRandomGenerator random(seed.seed);
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
            node.rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});
    }
    QVERIFY2(finished, "the anchoring never completed");
    QVERIFY2(kills >= 5, qPrintable(QStringLiteral("only %1 kills").arg(kills)));
    qInfo("%d rounds, %d processes killed with SIGKILL", rounds, kills);

    // Confirm everything, then count what the chain holds.
    node.rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});
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

void TestAnchorCrash::killedWhileRoundsFormAnchorsEachAcceptedDigestOnce()
{
    // Ten batches of 20 digests, each given to `anchor --round` once, the process killed with
    // SIGKILL after a random number of output lines (before, during or after the commit of the
    // batch, the round, the signature, the broadcast). Every digest the command acknowledged
    // ("queued": committed) must end in exactly one confirmed round whose root is on the chain
    // once, without ever being given again.
    QTemporaryDir dir;
    DoubleProcess node(dir.path() + QStringLiteral("/.cookie"));
    QVERIFY(node.start());
    const QHash<QString, QString> env{{QStringLiteral("BITCOIN_RPC_URL"), node.url()},
                                      {QStringLiteral("BITCOIN_RPC_COOKIE"), node.cookieFile()}};
    const QString dataDir = dir.path() + QStringLiteral("/wallet");
    auto cli = [&](const QStringList& args) {
        auto* p = new CliProcess(QStringList{QStringLiteral("--data-dir"), dataDir} + args, {}, this, env);
        p->start();
        return p;
    };
    const QString& elsewhere = kElsewhere;
    fundWallet(node, cli);
    if (QTest::currentTestFailed())
        return;

    const SeedOnFailure seed{crashSeed()};
    QRandomGenerator random(seed.seed);
    QSet<QString> given, acknowledged;
    int kills = 0;
    for (int batch = 0; batch < 10; ++batch) {
        QFile list(dir.path() + QStringLiteral("/batch%1.txt").arg(batch));
        QVERIFY(list.open(QIODevice::WriteOnly));
        for (int i = 0; i < 20; ++i) {
            const QString d =
                Sha256::hashHex(QByteArray(QByteArray("round crash document ") + QByteArray::number(batch * 20 + i)));
            given.insert(d);
            list.write(d.toLatin1() + '\n');
        }
        list.close();
        std::unique_ptr<CliProcess> run(
            cli({QStringLiteral("anchor"), QStringLiteral("--round"), QStringLiteral("--digests-file"), list.fileName(),
                 QStringLiteral("--poll-ms"), QStringLiteral("100")}));
        // One run in five or so is killed at once (before or while it commits the batch: its
        // digests may or may not be there, and only acknowledged ones must be); the others after
        // 1 to 44 lines (queued, round, signed, broadcast...).
        const int lines = std::max(0, int(random.bounded(-10, 45)));
        QVERIFY(QTest::qWaitFor(
            [&] { return run->lines().size() >= lines || run->process().state() == QProcess::NotRunning; }, 60000));
        if (run->process().state() != QProcess::NotRunning) {
            run->process().kill();
            ++kills;
        }
        run->waitForExit();
        for (const QJsonObject& l : run->lines())
            if (l.value(QStringLiteral("event")) == QStringLiteral("queued"))
                acknowledged.insert(l.value(QStringLiteral("digest")).toString());
        if (batch % 3 == 2)
            node.rpc(QStringLiteral("generatetoaddress"), {1, elsewhere});
    }
    QVERIFY2(kills >= 5, qPrintable(QStringLiteral("only %1 kills").arg(kills)));
    qInfo("%d of 200 digests acknowledged, %d processes killed with SIGKILL", int(acknowledged.size()), kills);

    const QString database = Profile::resolve({}, dataDir).value().anchorDatabase();
    {
        // Before anything is given again: every acknowledged digest is in the store.
        AnchorStore store = AnchorStore::open(database).value();
        for (const QString& d : std::as_const(acknowledged))
            QVERIFY2(store.digestStatus(d), qPrintable(d));
    }

    // One more run with one new digest drains whatever waits (rounds left open, transactions
    // signed but not sent), then everything is confirmed.
    const QString last = Sha256::hashHex("round crash: the last document");
    given.insert(last);
    for (int attempt = 0; attempt < 2; ++attempt) {
        node.rpc(QStringLiteral("generatetoaddress"), {1, elsewhere});
        std::unique_ptr<CliProcess> drain(
            cli({QStringLiteral("anchor"), QStringLiteral("--round"), QStringLiteral("--digest"), last,
                 QStringLiteral("--wait"), QStringLiteral("1"), QStringLiteral("--poll-ms"), QStringLiteral("100"),
                 QStringLiteral("--timeout"), QStringLiteral("60")}));
        QVERIFY(QTest::qWaitFor(
            [&] {
                // Mine while it waits, so that its round and any other broadcast confirm.
                if (!node.rpc(QStringLiteral("getrawmempool")).toArray().isEmpty())
                    node.rpc(QStringLiteral("generatetoaddress"), {1, elsewhere});
                return drain->process().state() == QProcess::NotRunning;
            },
            90000));
        QCOMPARE(drain->waitForExit(), 0);
    }
    QCOMPARE(node.rpc(QStringLiteral("getrawmempool")).toArray().size(), 0);

    // The chain: each root once, no outpoint spent twice.
    QHash<QString, int> roots;
    QSet<QString> spent;
    const int height = node.rpc(QStringLiteral("getblockcount")).toInt();
    for (int h = 1; h <= height; ++h) {
        const QJsonObject block =
            node.rpc(QStringLiteral("getblock"), {node.rpc(QStringLiteral("getblockhash"), {h}), 2}).toObject();
        for (const QJsonValue& tv : block.value(QStringLiteral("tx")).toArray()) {
            for (const QJsonValue& in : tv.toObject().value(QStringLiteral("vin")).toArray())
                if (in.toObject().contains(QStringLiteral("txid"))) {
                    const QString outpoint = in.toObject().value(QStringLiteral("txid")).toString() + QLatin1Char(':') +
                                             QString::number(in.toObject().value(QStringLiteral("vout")).toInt());
                    QVERIFY2(!spent.contains(outpoint), qPrintable(outpoint));
                    spent.insert(outpoint);
                }
            for (const QJsonValue& out : tv.toObject().value(QStringLiteral("vout")).toArray())
                if (const auto d = anchorTx::digestOf(QByteArray::fromHex(out.toObject()
                                                                              .value(QStringLiteral("scriptPubKey"))
                                                                              .toObject()
                                                                              .value(QStringLiteral("hex"))
                                                                              .toString()
                                                                              .toLatin1())))
                    ++roots[*d];
        }
    }

    // The store: each digest in one round, the round confirmed, its root on the chain once and
    // equal to the root of its leaves (recomputed here, pairwise SHA-256, odd node promoted).
    AnchorStore store = AnchorStore::open(database).value();
    QVERIFY(store.digestStatus(last));
    QSet<qint64> rounds;
    int inStore = 0;
    for (const QString& d : std::as_const(given)) {
        const auto st = store.digestStatus(d);
        if (!st) {
            QVERIFY2(!acknowledged.contains(d), qPrintable(d));
            continue;
        }
        ++inStore;
        QVERIFY2(st->round != 0, qPrintable(d));
        QCOMPARE(st->state, AnchorState::Confirmed);
        rounds.insert(st->round);
    }
    QVERIFY(inStore >= acknowledged.size());
    int leavesSeen = 0;
    for (qint64 r : std::as_const(rounds)) {
        QList<QByteArray> level = store.roundLeaves(r)->leaves;
        leavesSeen += int(level.size());
        while (level.size() > 1) {
            QList<QByteArray> up;
            for (qsizetype i = 0; i + 1 < level.size(); i += 2)
                up.append(QByteArray::fromHex(Sha256::hashHex(QByteArray(level[i] + level[i + 1])).toLatin1()));
            if (level.size() % 2)
                up.append(level.last());
            level = up;
        }
        const QString root = QString::fromLatin1(level.first().toHex());
        QCOMPARE(store.anchor(r)->digest, root);
        QVERIFY2(roots.value(root) == 1,
                 qPrintable(QStringLiteral("root %1 on the chain %2 times").arg(root).arg(roots.value(root))));
    }
    QCOMPARE(leavesSeen, inStore); // no digest in two rounds
    QCOMPARE(store.pendingDigestCount(), 0);
    QCOMPARE(store.utxoStatsByState().value(UtxoState::Locked).count, 0);
}

QTEST_GUILESS_MAIN(TestAnchorCrash)
#include "test_anchor_crash.moc"
