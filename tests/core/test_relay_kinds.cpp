// NIP-01's classes of kinds in the relay daemon: a replaceable or addressable event replaces the
// older one of its address, an older one arriving late is not stored, an ephemeral event reaches
// live subscribers and is never stored, regular events are all kept. The store on a real SQLite
// file; the delivery of an ephemeral event through the real daemon.
#include "crypto/Schnorr.h"
#include "relay/RelayPool.h"
#include "relay/server/RelayStore.h"
#include "support/Processes.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestRelayKinds : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void classes_data();
    void classes();
    void replaceableKeepsTheNewest();
    void equalTimesKeepTheLowestId();
    void addressableByDTag();
    void regularAndOtherAuthorsKept();
    void ephemeralDeliveredNeverStored();

private:
    NostrEvent event(int kind, std::int64_t createdAt, const QString& content, const QList<QStringList>& tags = {},
                     const SecretKey* key = nullptr) const;
    QList<QByteArray> all(const RelayStore& store, int kind) const;
    RelayStore openStore();

    QTemporaryDir m_dir;
    SecretKey m_key, m_other;
    int m_stores = 0;
};

void TestRelayKinds::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_key = schnorr::generateSecretKey();
    m_other = schnorr::generateSecretKey();
}

NostrEvent TestRelayKinds::event(int kind, std::int64_t createdAt, const QString& content,
                                 const QList<QStringList>& tags, const SecretKey* key) const
{
    NostrEvent e;
    e.kind = kind;
    e.createdAt = createdAt;
    e.tags = tags;
    e.content = content;
    if (!e.sign(key ? *key : m_key))
        qFatal("test fixture: signing failed");
    return e;
}

QList<QByteArray> TestRelayKinds::all(const RelayStore& store, int kind) const
{
    NostrFilter f;
    f.kinds.insert(kind);
    return store.query(f, 500, 2'000'000'000);
}

RelayStore TestRelayKinds::openStore()
{
    auto store = RelayStore::open(m_dir.filePath(QStringLiteral("kinds-%1.sqlite").arg(++m_stores)));
    if (!store)
        qFatal("test fixture: %s", qPrintable(store.error().message));
    return std::move(*store);
}

static QByteArray json(const NostrEvent& e)
{
    return QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact);
}

void TestRelayKinds::classes_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("expected");
    using K = RelayStore::KindClass;
    const QList<std::pair<int, K>> rows{{0, K::Replaceable},     {1, K::Regular},         {2, K::Regular},
                                        {3, K::Replaceable},     {9240, K::Regular},      {9999, K::Regular},
                                        {10000, K::Replaceable}, {19999, K::Replaceable}, {20000, K::Ephemeral},
                                        {29999, K::Ephemeral},   {30000, K::Addressable}, {39999, K::Addressable},
                                        {40000, K::Regular},     {65535, K::Regular}};
    for (const auto& [kind, cls] : rows)
        QTest::newRow(qPrintable(QString::number(kind))) << kind << int(cls);
}

void TestRelayKinds::classes()
{
    QFETCH(int, kind);
    QFETCH(int, expected);
    QCOMPARE(int(RelayStore::classify(kind)), expected);
}

void TestRelayKinds::replaceableKeepsTheNewest()
{
    RelayStore store = openStore();
    const NostrEvent v1 = event(0, 1000, QStringLiteral("{\"name\":\"old\"}"));
    const NostrEvent v2 = event(0, 2000, QStringLiteral("{\"name\":\"new\"}"));
    QCOMPARE(store.insert(v1, json(v1), 3000).value(), RelayStore::Insert::Stored);
    QCOMPARE(store.insert(v2, json(v2), 3000).value(), RelayStore::Insert::Stored);
    QCOMPARE(all(store, 0), QList<QByteArray>{json(v2)});
    // The old one arriving again (from another relay, a replay) does not come back.
    QCOMPARE(store.insert(v1, json(v1), 3000).value(), RelayStore::Insert::Superseded);
    QCOMPARE(all(store, 0), QList<QByteArray>{json(v2)});
    // The same for a kind of 10000-19999, and the tags of the replaced event are gone with it.
    const NostrEvent l1 = event(10002, 1000, QString(), {{QStringLiteral("r"), QStringLiteral("wss://a")}});
    const NostrEvent l2 = event(10002, 1001, QString(), {{QStringLiteral("r"), QStringLiteral("wss://b")}});
    QCOMPARE(store.insert(l1, json(l1), 3000).value(), RelayStore::Insert::Stored);
    QCOMPARE(store.insert(l2, json(l2), 3000).value(), RelayStore::Insert::Stored);
    NostrFilter byTag;
    byTag.tags.insert(QStringLiteral("r"), {QStringLiteral("wss://a")});
    QVERIFY(store.query(byTag, 500, 3000).isEmpty());
    QCOMPARE(store.count(), 2);
}

void TestRelayKinds::equalTimesKeepTheLowestId()
{
    RelayStore store = openStore();
    NostrEvent a = event(3, 1000, QStringLiteral("a"));
    NostrEvent b = event(3, 1000, QStringLiteral("b"));
    if (b.id < a.id)
        std::swap(a, b); // a has the lower id
    QCOMPARE(store.insert(b, json(b), 2000).value(), RelayStore::Insert::Stored);
    QCOMPARE(store.insert(a, json(a), 2000).value(), RelayStore::Insert::Stored);
    QCOMPARE(store.insert(b, json(b), 2000).value(), RelayStore::Insert::Superseded);
    QCOMPARE(all(store, 3), QList<QByteArray>{json(a)});
}

void TestRelayKinds::addressableByDTag()
{
    RelayStore store = openStore();
    auto d = [](const QString& v) { return QList<QStringList>{{QStringLiteral("d"), v}}; };
    const NostrEvent a1 = event(30023, 1000, QStringLiteral("a1"), d(QStringLiteral("a")));
    const NostrEvent b1 = event(30023, 1000, QStringLiteral("b1"), d(QStringLiteral("b")));
    const NostrEvent a2 = event(30023, 1500, QStringLiteral("a2"), d(QStringLiteral("a")));
    const NostrEvent none1 = event(30023, 1000, QStringLiteral("no d 1"));
    const NostrEvent empty2 = event(30023, 1200, QStringLiteral("empty d 2"), d(QString()));
    const NostrEvent otherKind = event(30024, 900, QStringLiteral("other kind"), d(QStringLiteral("a")));
    for (const NostrEvent* e : {&a1, &b1, &a2, &none1, &empty2, &otherKind}) {
        const auto r = store.insert(*e, json(*e), 2000);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(*r, RelayStore::Insert::Stored);
    }
    // a2 replaced a1; "no d tag" and d = "" are one address, so empty2 replaced none1.
    QCOMPARE(all(store, 30023), (QList<QByteArray>{json(a2), json(empty2), json(b1)}));
    QCOMPARE(all(store, 30024), QList<QByteArray>{json(otherKind)});
    QCOMPARE(store.insert(a1, json(a1), 2000).value(), RelayStore::Insert::Superseded);
}

void TestRelayKinds::regularAndOtherAuthorsKept()
{
    RelayStore store = openStore();
    const NostrEvent r1 = event(1, 1000, QStringLiteral("one"));
    const NostrEvent r2 = event(1, 2000, QStringLiteral("two"));
    const NostrEvent mine = event(0, 1000, QStringLiteral("mine"));
    const NostrEvent theirs = event(0, 500, QStringLiteral("theirs"), {}, &m_other);
    for (const NostrEvent* e : {&r1, &r2, &mine, &theirs})
        QCOMPARE(store.insert(*e, json(*e), 3000).value(), RelayStore::Insert::Stored);
    QCOMPARE(all(store, 1).size(), 2);
    QCOMPARE(all(store, 0).size(), 2); // one replaceable per author
    QCOMPARE(store.insert(r1, json(r1), 3000).value(), RelayStore::Insert::Duplicate);
}

void TestRelayKinds::ephemeralDeliveredNeverStored()
{
    RelayStore store = openStore();
    const NostrEvent eph = event(20001, 1000, QStringLiteral("now or never"));
    QCOMPARE(store.insert(eph, json(eph), 2000).value(), RelayStore::Insert::Ephemeral);
    QCOMPARE(store.count(), 0);

    // Through the daemon: a live subscriber gets it; a REQ made afterwards does not.
    RelayProcess relay(m_dir.filePath(QStringLiteral("daemon.sqlite")));
    QVERIFY(relay.start());
    RelayPool listener({relay.url()}), publisher({relay.url()}), later({relay.url()});
    QSignalSpy received(&listener, &RelayPool::eventReceived);
    QSignalSpy eose(&listener, &RelayPool::endOfStoredEvents);
    QSignalSpy published(&publisher, &RelayPool::publishFinished);
    listener.start();
    publisher.start();
    NostrFilter f;
    f.kinds.insert(20001);
    listener.subscribe(QStringLiteral("live"), {f});
    QVERIFY(eose.wait(10000));
    const NostrEvent live = event(20001, QDateTime::currentSecsSinceEpoch(), QStringLiteral("live"));
    QTRY_COMPARE_WITH_TIMEOUT(publisher.connectedCount(), 1, 10000);
    publisher.publish(live);
    QVERIFY(published.wait(10000));
    using PerRelay = QMap<QString, bool>;
    QCOMPARE(published.at(0).at(1).value<PerRelay>().value(relay.url()), true);
    QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, 10000);
    QCOMPARE(received.at(0).at(1).value<NostrEvent>(), live);

    QSignalSpy laterReceived(&later, &RelayPool::eventReceived);
    QSignalSpy laterEose(&later, &RelayPool::endOfStoredEvents);
    later.start();
    later.subscribe(QStringLiteral("after"), {f});
    QVERIFY(laterEose.wait(10000));
    QCOMPARE(laterReceived.count(), 0);
}

QTEST_GUILESS_MAIN(TestRelayKinds)
#include "test_relay_kinds.moc"
