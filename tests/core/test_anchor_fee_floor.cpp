// The anchoring service's fee rate: the node's estimate, never below the configured floor (a
// quiet node may estimate less than anything relays), and the floor when the node has none.
#include "anchor/AnchorService.h"
#include "chain/BitcoinCoreRpc.h"
#include "crypto/Schnorr.h"
#include "double/CoreDouble.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestAnchorFeeFloor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rateIsTheEstimateAboveTheFloor_data();
    void rateIsTheEstimateAboveTheFloor();
};

void TestAnchorFeeFloor::rateIsTheEstimateAboveTheFloor_data()
{
    QTest::addColumn<double>("estimateBtcPerKvb"); // what estimatesmartfee answers (0: no estimate)
    QTest::addColumn<double>("expectedSatPerVb");  // with a floor of 2 sat/vB
    QTest::newRow("estimate above the floor") << 0.00005 << 5.0;
    QTest::newRow("estimate below the floor") << 0.000002 << 2.0;
    QTest::newRow("no estimate") << 0.0 << 2.0;
}

void TestAnchorFeeFloor::rateIsTheEstimateAboveTheFloor()
{
    QFETCH(double, estimateBtcPerKvb);
    QFETCH(double, expectedSatPerVb);
    QTemporaryDir dir;
    CoreDouble::Options o;
    o.feeRateBtcPerKvb = estimateBtcPerKvb;
    o.cookie = QStringLiteral("__cookie__:test");
    CoreDouble node(o);
    QVERIFY(node.listen());
    QFile cookie(dir.path() + QStringLiteral("/.cookie"));
    QVERIFY(cookie.open(QIODevice::WriteOnly));
    cookie.write(o.cookie.toUtf8());
    cookie.close();
    BitcoinCoreRpc backend(QUrl(node.url()), cookie.fileName());
    AnchorStore store = AnchorStore::open(dir.path() + QStringLiteral("/anchor.sqlite")).value();
    AnchorService::Options options;
    options.feeFloorSatPerVb = 2.0;
    AnchorService service(
        &store, &backend,
        btc::WalletKey::fromSecret(schnorr::generateSecretKey(), btc::KeyType::P2TR, btc::Network::Signet).value(),
        SystemClock::instance(), options);
    QSignalSpy idle(&service, &AnchorService::idle);
    service.start(); // asks the node for its estimate; its answer makes the service look for work
    QVERIFY(idle.wait(10000));
    QCOMPARE(service.feeRate(), expectedSatPerVb);
}

QTEST_GUILESS_MAIN(TestAnchorFeeFloor)
#include "test_anchor_fee_floor.moc"
