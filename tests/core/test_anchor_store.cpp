// The anchoring store on real SQLite files: the indexed pick, locks, the anchor lifecycle
// in the store, digest uniqueness, reorg rollback, expired locks.
#include "anchor/AnchorStore.h"
#include "anchor/AnchorTx.h"
#include "bitcoin/Script.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "support/StatePrinting.h"
#include "support/TxJudge.h"

#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <mutex>

using namespace uw;

namespace {

QString digest(int i)
{
    return Sha256::hashHex(QByteArray::number(i));
}

QString fakeTxid(int i)
{
    return Sha256::hashHex(QByteArray(QByteArray("tx") + QByteArray::number(i)));
}

} // namespace

class TestAnchorStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void pickIsOneIndexedQuery();
    void picksSmallestSufficientConfirmedFirst();
    void lifecycleInTheStore();
    void unconfirmedChangeIsPickedOnce();
    void refusedTransactionReleasesTheLock();
    void digestsAreAnchoredOnce();
    void reorgRollsBackToTheForkPoint();
    void expiredLocksAreReleasedAndReported();
    void buildErrorLeavesNothingLocked();
    void recordErrorLeavesNothingLocked();
    void feeNeverBelowTheRate();
    void durableBatchSignsManyInOneCommit();
    void fanoutPickLocksItsCoin();
    void fanoutsAtOnceNeverShareACoin();
    void statesKeepTheirWords();
    void roundsTakeEachDigestOnce();
    void roundsCloseOldestFirstWithinTheirSize();
    void cleanupTestCase();

private:
    /// Records a transaction the store had signed, for bitcoinjs-lib's judgement (cleanupTestCase).
    Result<AnchorStore::Built> judged(const Utxo& spent, Result<AnchorStore::Built> built);
    test::TxJudge m_judge;
    QList<Utxo> utxos(int from, int n, std::int64_t value, std::optional<int> height = 100) const;
    Result<std::optional<Utxo>> pick(qint64 anchorId, std::int64_t minValue, std::int64_t now = 1000);
    QTemporaryDir* m_dir = nullptr;
    std::optional<AnchorStore> m_store;
    std::optional<btc::WalletKey> m_key;
};

Result<AnchorStore::Built> TestAnchorStore::judged(const Utxo& spent, Result<AnchorStore::Built> built)
{
    if (built.ok())
        m_judge.add(built->tx, {btc::TxOut{spent.value, spent.script}});
    return built;
}

// Every transaction these tests had the store sign (anchors and fan-outs, P2WPKH), judged by
// bitcoinjs-lib: the signer is not its own judge even where no node takes part.
void TestAnchorStore::cleanupTestCase()
{
    QVERIFY(m_judge.count() > 0);
    const QString why = m_judge.verifyAll();
    QVERIFY2(why.isEmpty(), qPrintable(why));
}

void TestAnchorStore::init()
{
    m_dir = new QTemporaryDir;
    m_store.emplace(AnchorStore::open(m_dir->path() + QStringLiteral("/anchor.sqlite")).value());
    m_key.emplace(
        btc::WalletKey::fromSecret(schnorr::generateSecretKey(), btc::KeyType::P2WPKH, btc::Network::Signet).value());
}

void TestAnchorStore::cleanup()
{
    m_store.reset();
    delete m_dir;
}

QList<Utxo> TestAnchorStore::utxos(int from, int n, std::int64_t value, std::optional<int> height) const
{
    QList<Utxo> out;
    for (int i = from; i < from + n; ++i)
        out.append(Utxo{0, fakeTxid(i), 0, value, m_key->script(), height, 0, {}, {}});
    return out;
}

Result<std::optional<Utxo>> TestAnchorStore::pick(qint64 anchorId, std::int64_t minValue, std::int64_t now)
{
    const QString d = m_store->anchor(anchorId)->digest;
    return m_store->pickSignRecord(anchorId, minValue, now, 600,
                                   [&](const Utxo& u) { return judged(u, anchorTx::build(u, d, *m_key, 1.0)); });
}

void TestAnchorStore::pickIsOneIndexedQuery()
{
    QCOMPARE(m_store->importUtxos(utxos(0, 1000, 10000)).value(), 1000);
    // Bitcoin's rule, SQLite's plan: the pick must be an index range search, never a table scan.
    QSqlQuery plan(m_store->connection().db());
    QVERIFY(plan.prepare(QStringLiteral("EXPLAIN QUERY PLAN ") + AnchorStore::pickQuery()));
    plan.addBindValue(500);
    QVERIFY(plan.exec());
    QStringList details;
    while (plan.next())
        details.append(plan.value(3).toString());
    const QString all = details.join(QStringLiteral(" | "));
    QVERIFY2(all.contains(QStringLiteral("SEARCH utxos USING INDEX utxos_pick")), qPrintable(all));
    QVERIFY2(!all.contains(QStringLiteral("SCAN")) && !all.contains(QStringLiteral("TEMP B-TREE")), qPrintable(all));
}

void TestAnchorStore::picksSmallestSufficientConfirmedFirst()
{
    QVERIFY(
        m_store
            ->importUtxos(utxos(0, 1, 5000) + utxos(1, 1, 50000) + utxos(2, 1, 20000) + utxos(3, 1, 1000, std::nullopt))
            .ok());
    const auto id = m_store->enqueue(digest(1), false, 1000).value().id;
    const Utxo picked = pick(id, 10000).value().value();
    QCOMPARE(picked.value, 20000); // the smallest that is enough
    QCOMPARE(m_store->utxo(picked.id)->state, UtxoState::Locked);
    const AnchorRecord a = *m_store->anchor(id);
    QCOMPARE(a.stage, AnchorState::Signed);
    QCOMPARE(a.utxoId, picked.id);
    // The recorded transaction spends exactly the locked UTXO and carries the payload.
    const btc::Transaction tx = btc::Transaction::deserialize(a.rawTx).value();
    QCOMPARE(tx.inputs.size(), 1);
    QCOMPARE(tx.inputs[0].prevout.txid.hex(), picked.txid);
    QCOMPARE(anchorTx::digestOf(tx.outputs[0].script), std::optional<QString>(digest(1)));
    QCOMPARE(tx.txid().hex(), a.txid);
    QCOMPARE(a.fee + tx.outputs[1].value, picked.value);
}

void TestAnchorStore::lifecycleInTheStore()
{
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    const auto id = m_store->enqueue(digest(2), false, 1000).value().id;
    const Utxo in = pick(id, 1000).value().value();
    QVERIFY(m_store->markBroadcast(id, 1001).ok());
    QCOMPARE(m_store->anchor(id)->stage, AnchorState::Broadcast);
    QCOMPARE(m_store->utxo(in.id)->state, UtxoState::SpentUnconfirmed);
    // The change is a new unspent UTXO, one deeper in the unconfirmed chain.
    const AnchorRecord a = *m_store->anchor(id);
    const auto change = m_store->utxoByOutpoint(a.txid, 1);
    QVERIFY(change);
    QCOMPARE(change->state, UtxoState::Unspent);
    QCOMPARE(change->chainDepth, 1);
    QVERIFY(!change->height);

    // A block confirms it.
    ChainBlock b{QString(64, QLatin1Char('b')), QString(64, QLatin1Char('a')), 101, 0, {}, {}};
    ChainTx ctx{a.txid,
                {btc::OutPoint{btc::Txid::fromHex(in.txid).value(), 0}},
                btc::Transaction::deserialize(a.rawTx).value().outputs};
    b.txs.append(ctx);
    QVERIFY(m_store->setTip(100, QString(64, QLatin1Char('a')), QString(64, QLatin1Char('9'))).ok());
    QVERIFY(m_store->applyBlock(b, m_key->script()).ok());
    QCOMPARE(m_store->anchor(id)->stage, AnchorState::Confirmed);
    QCOMPARE(*m_store->anchor(id)->height, 101);
    QCOMPARE(m_store->utxo(in.id)->state, UtxoState::Spent);
    QCOMPARE(m_store->utxoByOutpoint(a.txid, 1)->chainDepth, 0);
    QCOMPARE(*m_store->utxoByOutpoint(a.txid, 1)->height, 101);
    QCOMPARE(m_store->tip()->height, 101);
}

void TestAnchorStore::unconfirmedChangeIsPickedOnce()
{
    // One coin: the first anchor spends it, the second its unconfirmed change; the third finds
    // nothing to spend (the change is locked), rather than the same change a second time.
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    const auto ids = m_store->enqueueMany({digest(12), digest(13), digest(14)}, false, 1000).value();
    QVERIFY(pick(ids[0].id, 1000).value());
    QVERIFY(m_store->markBroadcast(ids[0].id, 1001).ok());
    const Utxo change = pick(ids[1].id, 1000).value().value();
    QCOMPARE(change.chainDepth, 1);
    const auto third = pick(ids[2].id, 1000);
    QVERIFY2(third.ok(), qPrintable(third.ok() ? QString() : third.error().message));
    QVERIFY(!*third);
    QCOMPARE(m_store->anchor(ids[2].id)->stage, AnchorState::Queued);
}

void TestAnchorStore::refusedTransactionReleasesTheLock()
{
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    const auto id = m_store->enqueue(digest(3), false, 1000).value().id;
    const Utxo in = pick(id, 1000).value().value();
    QVERIFY(m_store->releaseAndRequeue(id, QStringLiteral("min relay fee not met"), 1010, 5, 1001).ok());
    QCOMPARE(m_store->utxo(in.id)->state, UtxoState::Unspent);
    const AnchorRecord a = *m_store->anchor(id);
    QCOMPARE(a.stage, AnchorState::Queued);
    QVERIFY(a.txid.isEmpty());
    QCOMPARE(a.error, QStringLiteral("min relay fee not met"));
    QVERIFY(m_store->dueAnchors(1005, 10).isEmpty()); // not before its retry time
    QCOMPARE(m_store->dueAnchors(1010, 10).size(), 1);
    // After the last attempt it fails, with its reason, and the UTXO is free.
    for (int i = 0; i < 4; ++i) {
        QVERIFY(pick(id, 1000, 1010).value());
        QVERIFY(m_store->releaseAndRequeue(id, QStringLiteral("still refused"), 1010, 5, 1010).ok());
    }
    QCOMPARE(m_store->anchor(id)->stage, AnchorState::Failed);
    QCOMPARE(m_store->utxoStatsByState().value(UtxoState::Unspent).count, 1);
}

void TestAnchorStore::digestsAreAnchoredOnce()
{
    const auto first = m_store->enqueue(digest(4), false, 1000).value();
    QVERIFY(!first.existing);
    const auto again = m_store->enqueue(digest(4), false, 1001).value();
    QVERIFY(again.existing);
    QCOMPARE(again.id, first.id);
    const auto forced = m_store->enqueue(digest(4), true, 1002).value();
    QVERIFY(!forced.existing);
    QVERIFY(forced.id != first.id);
    // A failed anchor is queued again rather than duplicated.
    QVERIFY(m_store->markFailed(first.id, QStringLiteral("x"), 1003).ok());
    const auto retried = m_store->enqueue(digest(4), false, 1004).value();
    QCOMPARE(retried.id, first.id);
    QCOMPARE(m_store->anchor(first.id)->stage, AnchorState::Queued);
    const auto many = m_store->enqueueMany({digest(5), digest(6), digest(5)}, false, 1005).value();
    QCOMPARE(many.size(), 3);
    QCOMPARE(many[2].id, many[0].id);
}

void TestAnchorStore::reorgRollsBackToTheForkPoint()
{
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    QVERIFY(m_store->setTip(100, QString(64, QLatin1Char('a')), QString(64, QLatin1Char('9'))).ok());
    const auto id = m_store->enqueue(digest(7), false, 1000).value().id;
    const Utxo in = pick(id, 1000).value().value();
    QVERIFY(m_store->markBroadcast(id, 1001).ok());
    const AnchorRecord a = *m_store->anchor(id);
    ChainBlock b{QString(64, QLatin1Char('c')),
                 QString(64, QLatin1Char('a')),
                 101,
                 0,
                 {ChainTx{a.txid,
                          {btc::OutPoint{btc::Txid::fromHex(in.txid).value(), 0}},
                          btc::Transaction::deserialize(a.rawTx).value().outputs}},
                 {}};
    QVERIFY(m_store->applyBlock(b, m_key->script()).ok());
    QCOMPARE(m_store->anchor(id)->stage, AnchorState::Confirmed);

    QVERIFY(m_store->rollbackTo(100).ok());
    QCOMPARE(m_store->anchor(id)->stage, AnchorState::Broadcast);
    QVERIFY(!m_store->anchor(id)->height);
    QCOMPARE(m_store->utxo(in.id)->state, UtxoState::SpentUnconfirmed);
    QVERIFY(!m_store->utxoByOutpoint(a.txid, 1)->height);
    QCOMPARE(m_store->tip()->height, 100);
}

void TestAnchorStore::expiredLocksAreReleasedAndReported()
{
    QVERIFY(m_store->importUtxos(utxos(0, 2, 100000)).ok());
    const auto signedId = m_store->enqueue(digest(8), false, 1000).value().id;
    QVERIFY(pick(signedId, 1000, 1000).value());
    // A lock whose anchor never got a transaction (a crash between the two, or a foreign worker).
    QSqlQuery q(m_store->connection().db());
    QVERIFY(q.exec(QStringLiteral(
        "UPDATE utxos SET state = 'locked', locked_until = 1500, anchor_id = 999 WHERE state = 'unspent'")));
    QCOMPARE(m_store->expiredLockCount(1000), 0);
    QCOMPARE(m_store->expiredLockCount(2000), 2);
    // Only the orphan lock is released: the signed transaction keeps its input (it is re-sent, never re-signed).
    QCOMPARE(m_store->releaseExpiredLocks(2000), 1);
    QCOMPARE(m_store->expiredLockCount(2000), 1);
    QCOMPARE(m_store->utxoStatsByState().value(UtxoState::Unspent).count, 1);
}

void TestAnchorStore::buildErrorLeavesNothingLocked()
{
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    const auto id = m_store->enqueue(digest(9), false, 1000).value().id;
    auto r = m_store->pickSignRecord(id, 1000, 1000, 600, [](const Utxo&) -> Result<AnchorStore::Built> {
        return makeError(QStringLiteral("boom"), QStringLiteral("signing failed"));
    });
    QVERIFY(!r.ok());
    QCOMPARE(m_store->utxoStatsByState().value(UtxoState::Unspent).count, 1);
    QCOMPARE(m_store->anchor(id)->stage, AnchorState::Queued);
}

void TestAnchorStore::recordErrorLeavesNothingLocked()
{
    // The lock and the signed transaction are one commit: when the record fails (here, an anchor
    // the store does not know), the coin is not left locked for a transaction nobody kept.
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    const QString d = digest(10);
    auto r = m_store->pickSignRecord(4242, 1000, 1000, 600,
                                     [&](const Utxo& u) { return judged(u, anchorTx::build(u, d, *m_key, 1.0)); });
    QVERIFY(!r.ok());
    QCOMPARE(m_store->utxoStatsByState().value(UtxoState::Unspent).count, 1);
    QCOMPARE(m_store->utxoStatsByState().value(UtxoState::Locked).count, 0);
}

void TestAnchorStore::feeNeverBelowTheRate()
{
    // A rate whose fee ends in half a satoshi: the fee is rounded up, never below what the rate
    // asks for the largest size the transaction can have.
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    const auto id = m_store->enqueue(digest(11), false, 1000).value().id;
    const double worst = double(anchorTx::maxVsize(*m_key, 1));
    const double rate = (worst + 0.5) / worst;
    QVERIFY(m_store
                ->pickSignRecord(id, 1000, 1000, 600,
                                 [&](const Utxo& u) { return judged(u, anchorTx::build(u, digest(11), *m_key, rate)); })
                .value());
    const AnchorRecord a = *m_store->anchor(id);
    QVERIFY2(double(a.fee) >= rate * worst && double(a.fee) >= rate * double(a.vsize),
             qPrintable(QStringLiteral("fee %1 for %2 vB at %3 sat/vB").arg(a.fee).arg(a.vsize).arg(rate)));
}

void TestAnchorStore::durableBatchSignsManyInOneCommit()
{
    QVERIFY(m_store->importUtxos(utxos(0, 5, 100000)).ok());
    const auto ids = m_store->enqueueMany({digest(20), digest(21), digest(22), digest(23)}, false, 1000).value();
    // Another connection to the same file, as the dashboard or the CLI has.
    AnchorStore other = AnchorStore::open(m_dir->path() + QStringLiteral("/anchor.sqlite")).value();
    QList<Utxo> picked;
    const auto batch = m_store->durableBatch([&] {
        for (int i : {0, 2, 3})
            picked.append(pick(ids[i].id, 1000).value().value());
        // One pick that fails in the middle is undone alone.
        const auto failed = m_store->pickSignRecord(ids[1].id, 1000, 1000, 600, [](const Utxo&) {
            return Result<AnchorStore::Built>(makeError(QStringLiteral("boom"), QStringLiteral("signing failed")));
        });
        QVERIFY(!failed.ok());
        QVERIFY(m_store->anchor(ids[1].id)->stage == AnchorState::Queued);
        // Nothing of the batch is visible outside it before its commit (nothing may be sent yet).
        QCOMPARE(other.anchor(ids[0].id)->stage, AnchorState::Queued);
        QCOMPARE(other.utxoStatsByState().value(UtxoState::Locked).count, 0);
        QVERIFY(!m_store->durableBatch([] {}).ok()); // no nesting
    });
    QVERIFY2(batch.ok(), batch.ok() ? "" : qPrintable(batch.error().message));
    QCOMPARE(picked.size(), 3);
    for (int i : {0, 2, 3}) {
        const AnchorRecord a = *other.anchor(ids[i].id);
        QCOMPARE(a.stage, AnchorState::Signed);
        QCOMPARE(btc::Transaction::deserialize(a.rawTx).value().txid().hex(), a.txid);
    }
    QCOMPARE(other.anchor(ids[1].id)->stage, AnchorState::Queued);
    // Three coins locked, each to its own anchor; the failed pick's coin is free.
    QCOMPARE(other.utxoStatsByState().value(UtxoState::Locked).count, 3);
    QCOMPARE(other.utxoStatsByState().value(UtxoState::Unspent).count, 2);
    QCOMPARE(QSet<qint64>({picked[0].id, picked[1].id, picked[2].id}).size(), 3);
    // Commits after the batch are NORMAL again; a pick outside a batch is its own transaction.
    QSqlQuery sync(m_store->connection().db());
    QVERIFY(sync.exec(QStringLiteral("PRAGMA synchronous")) && sync.next());
    QCOMPARE(sync.value(0).toInt(), 1); // NORMAL
    QVERIFY(pick(ids[1].id, 1000).value().has_value());
    QCOMPARE(other.anchor(ids[1].id)->stage, AnchorState::Signed);
}

void TestAnchorStore::fanoutPickLocksItsCoin()
{
    QVERIFY(m_store->importUtxos(utxos(0, 1, 300000) + utxos(1, 1, 200000) + utxos(2, 1, 50000, std::nullopt)).ok());
    auto fanout = [&](AnchorStore& store) {
        return store.pickLockMaintenance(100000, 1000, 600, [&](const Utxo& u) {
            return judged(u, anchorTx::buildFanout(u, 2, 50000, *m_key, 1.0));
        });
    };
    // A second process on the same database, while the first fan-out is in flight (locked, not recorded).
    AnchorStore other = AnchorStore::open(m_dir->path() + QStringLiteral("/anchor.sqlite")).value();
    const auto first = fanout(*m_store).value().value();
    QCOMPARE(first.utxo.value, 300000); // the largest
    QCOMPARE(first.built.tx.inputs[0].prevout.txid.hex(), first.utxo.txid);
    QCOMPARE(m_store->utxo(first.utxo.id)->state, UtxoState::Locked);
    const auto second = fanout(other).value().value();
    QCOMPARE(second.utxo.value, 200000); // not the one in flight
    QVERIFY(!fanout(other).value());     // nothing else is confirmed and large enough
    // An anchor cannot take them either: only the unconfirmed coin is left.
    const auto id = m_store->enqueue(digest(10), false, 1000).value().id;
    QCOMPARE(pick(id, 1000).value().value().value, 50000);

    // A refused fan-out gives its coin back; a recorded one spends it.
    QVERIFY(other.releaseMaintenanceLock(second.utxo.id).ok());
    QCOMPARE(m_store->utxo(second.utxo.id)->state, UtxoState::Unspent);
    const QString txid = first.built.tx.txid().hex();
    QVERIFY(m_store
                ->recordMaintenanceSpend(first.utxo.id, txid,
                                         {Utxo{0, txid, 0, 50000, m_key->script(), std::nullopt, 1, {}, {}}})
                .ok());
    QCOMPARE(m_store->utxo(first.utxo.id)->state, UtxoState::SpentUnconfirmed);
    QCOMPARE(m_store->utxo(first.utxo.id)->spendingTxid, txid);
    QCOMPARE(m_store->utxoByOutpoint(txid, 0)->state, UtxoState::Unspent);
    // An anchor's input is never recorded as a fan-out's.
    const Utxo anchored = *m_store->utxo(m_store->anchor(id)->utxoId);
    QVERIFY(!m_store->recordMaintenanceSpend(anchored.id, txid, {}).ok());
    QCOMPARE(m_store->utxo(anchored.id)->state, UtxoState::Locked);

    // A fan-out that died before recording: its lock expires and is released like an orphan anchor lock.
    const auto lost = fanout(*m_store).value().value();
    QCOMPARE(m_store->releaseExpiredLocks(1000 + 601), 1);
    QCOMPARE(m_store->utxo(lost.utxo.id)->state, UtxoState::Unspent);
}

void TestAnchorStore::fanoutsAtOnceNeverShareACoin()
{
    constexpr int kThreads = 6, kEach = 10, kCoins = 40;
    QVERIFY(m_store->importUtxos(utxos(0, kCoins, 100000)).ok());
    const QString path = m_dir->path() + QStringLiteral("/anchor.sqlite");
    std::mutex mutex;
    QList<qint64> taken;
    QStringList errors;
    int empty = 0;
    QList<QThread*> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.append(QThread::create([&] {
            auto store = AnchorStore::open(path); // its own connection, as another process would have
            if (!store) {
                const std::lock_guard lock(mutex);
                errors.append(store.error().message);
                return;
            }
            for (int i = 0; i < kEach; ++i) {
                auto r = store->pickLockMaintenance(60000, 1000, 600, [&](const Utxo& u) {
                    return judged(u, anchorTx::buildFanout(u, 1, 50000, *m_key, 1.0));
                });
                const std::lock_guard lock(mutex);
                if (!r)
                    errors.append(r.error().message);
                else if (!*r)
                    ++empty;
                else
                    taken.append((*r)->utxo.id);
            }
        }));
    for (QThread* t : std::as_const(threads))
        t->start();
    for (QThread* t : std::as_const(threads)) {
        QVERIFY(t->wait(60000));
        delete t;
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QStringLiteral("; "))));
    QCOMPARE(taken.size(), kCoins);
    QCOMPARE(QSet<qint64>(taken.cbegin(), taken.cend()).size(), kCoins); // each coin taken once
    QCOMPARE(empty, kThreads * kEach - kCoins);
    QCOMPARE(m_store->utxoStatsByState().value(UtxoState::Locked).count, kCoins);
}

void TestAnchorStore::statesKeepTheirWords()
{
    // Stored databases, the CLI's JSON and scripts read these words: they never change.
    const QList<std::pair<AnchorState, QString>> anchorWords{{AnchorState::Queued, QStringLiteral("queued")},
                                                             {AnchorState::Signed, QStringLiteral("signed")},
                                                             {AnchorState::Broadcast, QStringLiteral("broadcast")},
                                                             {AnchorState::Confirmed, QStringLiteral("confirmed")},
                                                             {AnchorState::Failed, QStringLiteral("failed")}};
    QCOMPARE(qsizetype(kAnchorStates.size()), anchorWords.size());
    for (const auto& [state, word] : anchorWords) {
        QCOMPARE(anchorStateToString(state), word);
        QCOMPARE(anchorStateFromString(word), std::optional(state));
    }
    const QList<std::pair<UtxoState, QString>> utxoWords{
        {UtxoState::Unspent, QStringLiteral("unspent")},
        {UtxoState::Locked, QStringLiteral("locked")},
        {UtxoState::SpentUnconfirmed, QStringLiteral("spent_unconfirmed")},
        {UtxoState::Spent, QStringLiteral("spent")}};
    QCOMPARE(qsizetype(kUtxoStates.size()), utxoWords.size());
    for (const auto& [state, word] : utxoWords) {
        QCOMPARE(utxoStateToString(state), word);
        QCOMPARE(utxoStateFromString(word), std::optional(state));
    }
    for (const QString& other : {QStringLiteral("Queued"), QStringLiteral(""), QStringLiteral("spent "),
                                 QStringLiteral("unspent"), QStringLiteral("archived")})
        QVERIFY2(!anchorStateFromString(other), qPrintable(other));
    QVERIFY(!utxoStateFromString(u"queued"));
    QVERIFY(!utxoStateFromString(u"Locked"));

    // The store writes exactly these words...
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    const auto id = m_store->enqueue(digest(11), false, 1000).value().id;
    const Utxo in = pick(id, 1000).value().value();
    QSqlQuery q(m_store->connection().db());
    QVERIFY(q.exec(QStringLiteral("SELECT state FROM anchors WHERE id = %1").arg(id)) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("signed"));
    QVERIFY(q.exec(QStringLiteral("SELECT state FROM utxos WHERE id = %1").arg(in.id)) && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("locked"));
    QCOMPARE(m_store->anchorCounts().value(QStringLiteral("signed")), 1); // the text view core/status reads
    QCOMPARE(m_store->utxoStats().value(QStringLiteral("locked")).count, 1);
    // ...and reads a word it does not know without acting on it.
    QVERIFY(q.exec(QStringLiteral("UPDATE anchors SET state = 'archived' WHERE id = %1").arg(id)));
    QCOMPARE(m_store->anchor(id)->stage, AnchorState::Failed);
    QVERIFY(!m_store->anchorCountsByState().contains(AnchorState::Signed));
    QVERIFY(m_store->dueAnchors(2000, 10).isEmpty());
}

void TestAnchorStore::roundsTakeEachDigestOnce()
{
    const QString d1 = digest(1), d2 = digest(2), alone = digest(3);
    const qint64 single = m_store->enqueue(alone, false, 1000)->id;

    int added = -1;
    auto accepted = m_store->acceptDigests({d1, d2, d1, alone}, 1000, &added);
    QVERIFY2(accepted, qPrintable(accepted.ok() ? QString() : accepted.error().message));
    QCOMPARE(added, 2); // d1 once, and the digest already anchored alone not at all
    QCOMPARE(accepted->size(), 4);
    QCOMPARE(accepted->at(0).round, 0); // waiting for its round
    QCOMPARE(accepted->at(2).digest, d1);
    QCOMPARE(accepted->at(3).round, single);
    QCOMPARE(m_store->pendingDigestCount(), 2);

    const auto round = m_store->closeRound(100, 1010);
    QVERIFY(round && *round);
    // The round's anchor commits to SHA-256(d1 || d2), the two leaves in the order accepted.
    const auto a = m_store->anchor(**round);
    QVERIFY(a);
    QCOMPARE(a->digest,
             Sha256::hashHex(QByteArray(QByteArray::fromHex(d1.toLatin1()) + QByteArray::fromHex(d2.toLatin1()))));
    QCOMPARE(a->leaves, 2);
    QCOMPARE(a->stage, AnchorState::Queued);
    QCOMPARE(m_store->pendingDigestCount(), 0);
    QCOMPARE(m_store->digestStatus(d2)->round, **round);
    QCOMPARE(m_store->membership(d2)->leaf, 1);
    QCOMPARE(m_store->roundLeaves(**round)->leaves,
             (QList<QByteArray>{QByteArray::fromHex(d1.toLatin1()), QByteArray::fromHex(d2.toLatin1())}));
    QCOMPARE(m_store->roundLeaves(single)->leaves, QList<QByteArray>{QByteArray::fromHex(alone.toLatin1())});
    QVERIFY(!m_store->closeRound(100, 1020).value()); // nothing waits

    // Given again, alone or in a round, it is where it was: no second transaction.
    QCOMPARE(m_store->acceptDigests({d1}, 1030, &added)->first().round, **round);
    QCOMPARE(added, 0);
    const auto again = m_store->enqueue(d2, false, 1030);
    QVERIFY(again && again->existing);
    QCOMPARE(again->id, **round);
    QVERIFY(!m_store->digestStatus(digest(99)));
}

void TestAnchorStore::roundsCloseOldestFirstWithinTheirSize()
{
    QVERIFY(m_store->acceptDigests({digest(10), digest(11), digest(12)}, 1000));
    QVERIFY(m_store->acceptDigests({digest(13), digest(14)}, 1001));
    QCOMPARE(m_store->oldestPendingAt(), std::optional<std::int64_t>(1000));
    const qint64 first = m_store->closeRound(2, 1100)->value();
    const qint64 second = m_store->closeRound(2, 1100)->value();
    const qint64 third = m_store->closeRound(2, 1100)->value();
    QCOMPARE(m_store->roundLeaves(first)->leaves.size(), 2);
    QCOMPARE(m_store->membership(digest(10))->round, first);
    QCOMPARE(m_store->membership(digest(12))->round, second);
    QCOMPARE(m_store->membership(digest(14))->round, third);
    QCOMPARE(m_store->membership(digest(14))->leaf, 0);
    // A round of one commits to the digest itself: the payload of a digest anchored alone.
    QCOMPARE(m_store->anchor(third)->digest, digest(14));
    QVERIFY(!m_store->oldestPendingAt());
}

QTEST_GUILESS_MAIN(TestAnchorStore)
#include "test_anchor_store.moc"
