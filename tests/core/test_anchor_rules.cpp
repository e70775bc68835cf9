// Rules of the anchoring service, against the Bitcoin Core double in this process: the fee rate is
// the node's estimate, never below the configured floor; a transaction recovered from an earlier
// run is sent as it is, never re-signed with another input because the node says its input is gone.
#include "anchor/AnchorService.h"
#include "anchor/AnchorTx.h"
#include "chain/BitcoinCoreRpc.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "double/CoreDouble.h"
#include "support/StatePrinting.h"
#include "support/TxJudge.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestAnchorRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void rateIsTheEstimateAboveTheFloor_data();
    void rateIsTheEstimateAboveTheFloor();
    void recoveredTransactionIsNeverReSigned();

private:
    TxJudge m_judge; ///< what the store signed outside the node, judged by bitcoinjs-lib
    /// The node (estimatesmartfee answers `estimateBtcPerKvb`, 0: no estimate), its client and the store.
    void makeNode(double estimateBtcPerKvb);
    std::unique_ptr<AnchorService> makeService(double floorSatPerVb);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CoreDouble> m_node;
    std::unique_ptr<BitcoinCoreRpc> m_backend;
    std::optional<AnchorStore> m_store;
    std::optional<btc::WalletKey> m_key;
};

void TestAnchorRules::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_key.emplace(
        btc::WalletKey::fromSecret(schnorr::generateSecretKey(), btc::KeyType::P2TR, btc::Network::Signet).value());
    m_store.emplace(AnchorStore::open(m_dir->filePath(QStringLiteral("anchor.sqlite"))).value());
}

void TestAnchorRules::cleanup()
{
    m_backend.reset();
    m_node.reset();
    m_store.reset();
    m_dir.reset();
}

void TestAnchorRules::makeNode(double estimateBtcPerKvb)
{
    CoreDouble::Options o;
    o.feeRateBtcPerKvb = estimateBtcPerKvb;
    o.cookie = QStringLiteral("__cookie__:test");
    m_node = std::make_unique<CoreDouble>(o);
    QVERIFY(m_node->listen());
    QFile cookie(m_dir->filePath(QStringLiteral(".cookie")));
    QVERIFY(cookie.open(QIODevice::WriteOnly));
    cookie.write(o.cookie.toUtf8());
    m_backend = std::make_unique<BitcoinCoreRpc>(QUrl(m_node->url()), cookie.fileName());
}

std::unique_ptr<AnchorService> TestAnchorRules::makeService(double floorSatPerVb)
{
    AnchorService::Options options;
    options.feeFloorSatPerVb = floorSatPerVb;
    return std::make_unique<AnchorService>(&*m_store, m_backend.get(), *m_key, SystemClock::instance(), options);
}

void TestAnchorRules::rateIsTheEstimateAboveTheFloor_data()
{
    QTest::addColumn<double>("estimateBtcPerKvb");
    QTest::addColumn<double>("expectedSatPerVb"); // with a floor of 2 sat/vB
    QTest::newRow("estimate above the floor") << 0.00005 << 5.0;
    QTest::newRow("estimate below the floor") << 0.000002 << 2.0;
    QTest::newRow("no estimate") << 0.0 << 2.0;
}

void TestAnchorRules::rateIsTheEstimateAboveTheFloor()
{
    QFETCH(double, estimateBtcPerKvb);
    QFETCH(double, expectedSatPerVb);
    makeNode(estimateBtcPerKvb);
    const auto service = makeService(2.0);
    QSignalSpy idle(service.get(), &AnchorService::idle);
    service->start(); // asks the node for its estimate; its answer makes the service look for work
    QVERIFY(idle.wait(10000));
    QCOMPARE(service->feeRate(), expectedSatPerVb);
}

void TestAnchorRules::recoveredTransactionIsNeverReSigned()
{
    // An earlier run signed and recorded an anchor, then stopped. This node has never seen its
    // input (another node, a pruned mempool): it answers "inputs missing or spent" (-25). The
    // transaction may still be ours and confirmed elsewhere, so it waits for the chain follower;
    // taking the second coin would make a second, different anchoring transaction.
    makeNode(0);
    QList<Utxo> coins;
    for (int i = 0; i < 2; ++i)
        coins.append(Utxo{0, Sha256::hashHex(QByteArray::number(i)), 0, 100000, m_key->script(), 100, 0, {}, {}});
    QVERIFY(m_store->importUtxos(coins).ok());
    const QString digest = Sha256::hashHex("document");
    const qint64 id = m_store->enqueue(digest, false, QDateTime::currentSecsSinceEpoch()).value().id;
    QVERIFY(m_store
                ->pickSignRecord(id, 1000, QDateTime::currentSecsSinceEpoch(), 600,
                                 [&](const Utxo& u) {
                                     auto built = anchorTx::build(u, digest, *m_key, 1.0);
                                     if (built.ok())
                                         m_judge.add(built->tx, {btc::TxOut{u.value, u.script}});
                                     return built;
                                 })
                .value());
    // The recovered transaction is one the node never accepts (its input is unknown there), so
    // bitcoinjs-lib judges it here.
    QCOMPARE(m_judge.count(), 1);
    const QString why = m_judge.verifyAll();
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const AnchorRecord recovered = *m_store->anchor(id);

    const auto service = makeService(1.0);
    QSignalSpy updated(service.get(), &AnchorService::anchorUpdated);
    service->start();
    QVERIFY(updated.wait(10000));
    const AnchorRecord after = *m_store->anchor(id);
    QVERIFY2(after.error.contains(QStringLiteral("missingorspent")), qPrintable(after.error));
    QCOMPARE(after.stage, AnchorState::Signed);
    QCOMPARE(after.txid, recovered.txid);
    QCOMPARE(after.rawTx, recovered.rawTx);
    QCOMPARE(m_store->utxoStatsByState().value(UtxoState::Unspent).count, 1); // the other coin, untouched
}

QTEST_GUILESS_MAIN(TestAnchorRules)
#include "test_anchor_rules.moc"
