// The anchoring store on real SQLite files: the indexed pick, locks, the anchor lifecycle
// in the store, digest uniqueness, reorg rollback, expired locks.
#include "anchor/AnchorStore.h"
#include "anchor/AnchorTx.h"
#include "bitcoin/Script.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

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
    void refusedTransactionReleasesTheLock();
    void digestsAreAnchoredOnce();
    void reorgRollsBackToTheForkPoint();
    void expiredLocksAreReleasedAndReported();
    void buildErrorLeavesNothingLocked();

private:
    QList<Utxo> utxos(int from, int n, std::int64_t value, std::optional<int> height = 100) const;
    Result<std::optional<Utxo>> pick(qint64 anchorId, std::int64_t minValue, std::int64_t now = 1000);
    QTemporaryDir* m_dir = nullptr;
    std::optional<AnchorStore> m_store;
    std::optional<btc::WalletKey> m_key;
};

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
                                   [&](const Utxo& u) { return anchorTx::build(u, d, *m_key, 1.0); });
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
    QCOMPARE(m_store->utxo(picked.id)->state, QStringLiteral("locked"));
    const AnchorRecord a = *m_store->anchor(id);
    QCOMPARE(a.state, QStringLiteral("signed"));
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
    QCOMPARE(m_store->anchor(id)->state, QStringLiteral("broadcast"));
    QCOMPARE(m_store->utxo(in.id)->state, QStringLiteral("spent_unconfirmed"));
    // The change is a new unspent UTXO, one deeper in the unconfirmed chain.
    const AnchorRecord a = *m_store->anchor(id);
    const auto change = m_store->utxoByOutpoint(a.txid, 1);
    QVERIFY(change);
    QCOMPARE(change->state, QStringLiteral("unspent"));
    QCOMPARE(change->chainDepth, 1);
    QVERIFY(!change->height);

    // A block confirms it.
    ChainBlock b{QString(64, QLatin1Char('b')), QString(64, QLatin1Char('a')), 101, 0, {}};
    ChainTx ctx{a.txid,
                {btc::OutPoint{btc::Txid::fromHex(in.txid).value(), 0}},
                btc::Transaction::deserialize(a.rawTx).value().outputs};
    b.txs.append(ctx);
    QVERIFY(m_store->setTip(100, QString(64, QLatin1Char('a')), QString(64, QLatin1Char('9'))).ok());
    QVERIFY(m_store->applyBlock(b, m_key->script()).ok());
    QCOMPARE(m_store->anchor(id)->state, QStringLiteral("confirmed"));
    QCOMPARE(*m_store->anchor(id)->height, 101);
    QCOMPARE(m_store->utxo(in.id)->state, QStringLiteral("spent"));
    QCOMPARE(m_store->utxoByOutpoint(a.txid, 1)->chainDepth, 0);
    QCOMPARE(*m_store->utxoByOutpoint(a.txid, 1)->height, 101);
    QCOMPARE(m_store->tip()->height, 101);
}

void TestAnchorStore::refusedTransactionReleasesTheLock()
{
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    const auto id = m_store->enqueue(digest(3), false, 1000).value().id;
    const Utxo in = pick(id, 1000).value().value();
    QVERIFY(m_store->releaseAndRequeue(id, QStringLiteral("min relay fee not met"), 1010, 5, 1001).ok());
    QCOMPARE(m_store->utxo(in.id)->state, QStringLiteral("unspent"));
    const AnchorRecord a = *m_store->anchor(id);
    QCOMPARE(a.state, QStringLiteral("queued"));
    QVERIFY(a.txid.isEmpty());
    QCOMPARE(a.error, QStringLiteral("min relay fee not met"));
    QVERIFY(m_store->dueAnchors(1005, 10).isEmpty()); // not before its retry time
    QCOMPARE(m_store->dueAnchors(1010, 10).size(), 1);
    // After the last attempt it fails, with its reason, and the UTXO is free.
    for (int i = 0; i < 4; ++i) {
        QVERIFY(pick(id, 1000, 1010).value());
        QVERIFY(m_store->releaseAndRequeue(id, QStringLiteral("still refused"), 1010, 5, 1010).ok());
    }
    QCOMPARE(m_store->anchor(id)->state, QStringLiteral("failed"));
    QCOMPARE(m_store->utxoStats().value(QStringLiteral("unspent")).count, 1);
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
    QCOMPARE(m_store->anchor(first.id)->state, QStringLiteral("queued"));
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
                          btc::Transaction::deserialize(a.rawTx).value().outputs}}};
    QVERIFY(m_store->applyBlock(b, m_key->script()).ok());
    QCOMPARE(m_store->anchor(id)->state, QStringLiteral("confirmed"));

    QVERIFY(m_store->rollbackTo(100).ok());
    QCOMPARE(m_store->anchor(id)->state, QStringLiteral("broadcast"));
    QVERIFY(!m_store->anchor(id)->height);
    QCOMPARE(m_store->utxo(in.id)->state, QStringLiteral("spent_unconfirmed"));
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
    QCOMPARE(m_store->utxoStats().value(QStringLiteral("unspent")).count, 1);
}

void TestAnchorStore::buildErrorLeavesNothingLocked()
{
    QVERIFY(m_store->importUtxos(utxos(0, 1, 100000)).ok());
    const auto id = m_store->enqueue(digest(9), false, 1000).value().id;
    auto r = m_store->pickSignRecord(id, 1000, 1000, 600, [](const Utxo&) -> Result<AnchorStore::Built> {
        return makeError(QStringLiteral("boom"), QStringLiteral("signing failed"));
    });
    QVERIFY(!r.ok());
    QCOMPARE(m_store->utxoStats().value(QStringLiteral("unspent")).count, 1);
    QCOMPARE(m_store->anchor(id)->state, QStringLiteral("queued"));
}

QTEST_GUILESS_MAIN(TestAnchorStore)
#include "test_anchor_store.moc"
