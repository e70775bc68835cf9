// When each device of a member was last seen acting (core/devices/DeviceActivity): one
// subscription by the devices' keys to a real relay daemon, stored events then live ones, the
// latest per key; what a hostile relay claims counts only as far as a device's signature goes;
// and the profile's own record of what it saw (core/identity/WalletStore), which outlives the
// relays' expiry of login events.
#include "devices/DeviceActivity.h"
#include "identity/WalletStore.h"
#include "support/HostileRelay.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {

using PerRelay = QMap<QString, bool>;

NostrEvent eventBy(const TestPair& by, int kind, std::int64_t at, const QString& content = QStringLiteral("{}"))
{
    NostrEvent e;
    e.kind = kind;
    e.createdAt = at;
    e.tags = {{QStringLiteral("h"), QString(64, QLatin1Char('a'))},
              {QStringLiteral("expiration"), QString::number(QDateTime::currentSecsSinceEpoch() + 3600)}};
    e.content = content;
    if (!e.sign(*by.secret).ok())
        qFatal("cannot sign");
    return e;
}

QHash<QString, DeviceAct> byKey(const QList<DeviceAct>& acts)
{
    QHash<QString, DeviceAct> out;
    for (const DeviceAct& a : acts)
        out.insert(a.pubkey, a);
    return out;
}

} // namespace

class TestDeviceActivity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void latestActOfEachDeviceThenLiveOnes();
    void aRelaysClaimsCountOnlyAsFarAsASignature();
    void theProfileRemembersTheLatest();

private:
    void publish(const QList<NostrEvent>& events);

    QTemporaryDir m_dir;
    std::unique_ptr<RelayProcess> m_relay;
};

void TestDeviceActivity::initTestCase()
{
    m_relay = std::make_unique<RelayProcess>(m_dir.path() + QStringLiteral("/relay.sqlite"));
    QVERIFY(m_relay->start());
}

void TestDeviceActivity::cleanupTestCase()
{
    m_relay.reset();
}

void TestDeviceActivity::publish(const QList<NostrEvent>& events)
{
    RelayPool pool({m_relay->url()});
    pool.start();
    QSignalSpy done(&pool, &RelayPool::publishFinished);
    for (const NostrEvent& e : events)
        pool.publish(e);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), events.size(), 15000);
    for (const auto& answer : std::as_const(done))
        QVERIFY(answer.at(1).value<PerRelay>().value(m_relay->url()));
    pool.stop();
}

void TestDeviceActivity::latestActOfEachDeviceThenLiveOnes()
{
    const TestPair a = makePair(), b = makePair(), c = makePair(), stranger = makePair();
    const std::int64_t now = QDateTime::currentSecsSinceEpoch();
    const NostrEvent aDoc = eventBy(a, kinds::MemberDocument, now - 7200);
    const NostrEvent aLogin = eventBy(a, kinds::LoginMessage, now - 3600);
    const NostrEvent bSigned = eventBy(b, kinds::LoginSignature, now - 1800);
    const NostrEvent bRefused = eventBy(b, kinds::LoginDecline, now - 600);
    publish(
        {aDoc, aLogin, bSigned, bRefused, eventBy(stranger, kinds::LoginSignature, now - 10), eventBy(a, 1, now - 5)});

    RelayPool pool({m_relay->url()});
    pool.start();
    DeviceActivityWatch watch(&pool, SystemClock::instance());
    QSignalSpy seen(&watch, &DeviceActivityWatch::seen);
    QSignalSpy loaded(&watch, &DeviceActivityWatch::loaded);
    watch.watch({a.pubkey, b.pubkey, c.pubkey}, 10000);
    QVERIFY(loaded.wait(15000));
    QCOMPARE(loaded.at(0).at(0).toInt(), 1); // the relay sent all it holds
    // The stored acts come in one batch, the latest per device only; c did nothing.
    QCOMPARE(seen.size(), 1);
    const auto first = byKey(seen.at(0).at(0).value<QList<DeviceAct>>());
    QCOMPARE(first.size(), 2);
    QCOMPARE(first.value(a.pubkey), (DeviceAct{a.pubkey, now - 3600, kinds::LoginMessage, aLogin.id}));
    QCOMPARE(first.value(b.pubkey), (DeviceAct{b.pubkey, now - 600, kinds::LoginDecline, bRefused.id}));
    QCOMPARE(watch.latest(), first);

    // Live: an older act changes nothing, a newer one comes at once.
    const NostrEvent cSigned = eventBy(c, kinds::LoginSignature, now);
    publish({eventBy(b, kinds::LoginSignature, now - 5000), cSigned});
    QTRY_COMPARE_WITH_TIMEOUT(seen.size(), 2, 15000); // it may come while publish() waits for the OK
    QCOMPARE(seen.at(1).at(0).value<QList<DeviceAct>>(),
             (QList<DeviceAct>{DeviceAct{c.pubkey, now, kinds::LoginSignature, cSigned.id}}));
    QCOMPARE(watch.latest().value(b.pubkey).eventId, bRefused.id);

    // Another set of devices: a watch of its own.
    watch.watch({a.pubkey}, 10000);
    QVERIFY(loaded.wait(15000));
    QCOMPARE(watch.latest().keys(), QList<QString>{a.pubkey});
    pool.stop();
}

void TestDeviceActivity::aRelaysClaimsCountOnlyAsFarAsASignature()
{
    const TestPair a = makePair(), b = makePair(), mallory = makePair();
    const std::int64_t now = QDateTime::currentSecsSinceEpoch();
    // a's own key, a day ahead: a device cannot look active for ever.
    const NostrEvent ahead = eventBy(a, kinds::LoginSignature, now + 24 * 3600);
    // "a, just now", signed by mallory: the id is a's event's, the signature is not a's.
    NostrEvent forged = eventBy(mallory, kinds::LoginSignature, now);
    forged.pubkey = a.pubkey;
    forged.id = forged.computeId();
    const NostrEvent genuine = eventBy(b, kinds::LoginSignature, now - 100);

    HostileRelay hostile;
    QVERIFY(hostile.listen());
    hostile.replays = {ahead, forged, genuine};
    hostile.floodFrames = 20;
    RelayPool pool({hostile.url()});
    pool.start();
    DeviceActivityWatch watch(&pool, SystemClock::instance());
    QSignalSpy loaded(&watch, &DeviceActivityWatch::loaded);
    watch.watch({a.pubkey, b.pubkey}, 10000);
    QVERIFY(loaded.wait(15000));
    QVERIFY(loaded.at(0).at(2).toInt() >= 1); // the event from the future, set aside
    QCOMPARE(watch.latest().size(), 1);
    QCOMPARE(watch.latest().value(b.pubkey).eventId, genuine.id);
    QVERIFY(!watch.latest().contains(a.pubkey));
    pool.stop();
}

void TestDeviceActivity::theProfileRemembersTheLatest()
{
    const QString path = m_dir.path() + QStringLiteral("/wallet.sqlite");
    const QString a(64, QLatin1Char('a')), b(64, QLatin1Char('b'));
    {
        auto store = WalletStore::open(path);
        QVERIFY(store.ok());
        QVERIFY(store->activity().isEmpty());
        QVERIFY(store
                    ->recordActivity({DeviceAct{a, 100, kinds::LoginSignature, QStringLiteral("e2")},
                                      DeviceAct{b, 10, kinds::MemberDocument, QStringLiteral("e1")}})
                    .ok());
        // An older act, and one of the same second with a larger id, change nothing; a newer one does.
        QVERIFY(store
                    ->recordActivity({DeviceAct{a, 50, kinds::LoginMessage, QStringLiteral("e0")},
                                      DeviceAct{a, 100, kinds::LoginMessage, QStringLiteral("e9")},
                                      DeviceAct{b, 20, kinds::LoginDecline, QStringLiteral("e3")}})
                    .ok());
    }
    auto reopened = WalletStore::open(path);
    QVERIFY(reopened.ok());
    const auto acts = byKey(reopened->activity());
    QCOMPARE(acts.size(), 2);
    QCOMPARE(acts.value(a), (DeviceAct{a, 100, kinds::LoginSignature, QStringLiteral("e2")}));
    QCOMPARE(acts.value(b), (DeviceAct{b, 20, kinds::LoginDecline, QStringLiteral("e3")}));
    // The same rule in memory.
    QHash<QString, DeviceAct> latest;
    QVERIFY(DeviceActivityWatch::keepLatest(latest, DeviceAct{a, 100, 1, QStringLiteral("e5")}));
    QVERIFY(!DeviceActivityWatch::keepLatest(latest, DeviceAct{a, 99, 1, QStringLiteral("e1")}));
    QVERIFY(!DeviceActivityWatch::keepLatest(latest, DeviceAct{a, 100, 1, QStringLiteral("e6")}));
    QVERIFY(DeviceActivityWatch::keepLatest(latest, DeviceAct{a, 100, 1, QStringLiteral("e4")}));
}

QTEST_GUILESS_MAIN(TestDeviceActivity)
#include "test_device_activity.moc"
