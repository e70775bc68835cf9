// The relay pool against real relay daemons: OK collection, timeouts, reconnection with
// back-off, subscriptions restored, events handed out once whichever relay sent them; and
// the tracker of a batch's OK answers, and pairing's report of what each relay answered.
#include "config/RelayList.h"
#include "crypto/Schnorr.h"
#include "devices/LoginEvents.h"
#include "devices/Pairing.h"
#include "devices/RelayLoginTransport.h"
#include "login/LoginValidation.h"
#include "relay/PublishTracker.h"
#include "relay/RelayPool.h"
#include "support/HostileRelay.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace uw;
using namespace uw::test;

Q_DECLARE_METATYPE(uw::RelayConnection::State)

namespace {

/// A relay that stores and answers queries but never pushes live events: only the
/// collection loop's re-query can find what is published after a subscription.
class LazyRelay : public QObject
{
public:
    LazyRelay() : m_server(QStringLiteral("lazy"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket* s = m_server.nextPendingConnection()) {
                s->setParent(this);
                connect(s, &QWebSocket::textMessageReceived, this, [this, s](const QString& text) { onText(s, text); });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()); }
    int reqs = 0;

private:
    static QString frame(const QJsonArray& a)
    {
        return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
    }
    void onText(QWebSocket* s, const QString& text)
    {
        const QJsonArray f = QJsonDocument::fromJson(text.toUtf8()).array();
        if (f.at(0).toString() == QLatin1String("EVENT")) {
            m_events.append(NostrEvent::fromJson(f.at(1).toObject()).value());
            s->sendTextMessage(frame({QStringLiteral("OK"), m_events.last().id, true, QString()}));
        } else if (f.at(0).toString() == QLatin1String("REQ")) {
            ++reqs;
            const NostrFilter filter = NostrFilter::fromJson(f.at(2).toObject()).value();
            for (const NostrEvent& e : std::as_const(m_events))
                if (filter.matches(e))
                    s->sendTextMessage(frame({QStringLiteral("EVENT"), f.at(1), e.toJson()}));
            s->sendTextMessage(frame({QStringLiteral("EOSE"), f.at(1)}));
        }
    }
    QWebSocketServer m_server;
    QList<NostrEvent> m_events;
};

/// A relay that refuses every event (OK false, with its reason) and stores nothing.
class RefusingRelay : public QObject
{
public:
    static constexpr const char* kReason = "blocked: this relay accepts no event";

    RefusingRelay() : m_server(QStringLiteral("refusing"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket* s = m_server.nextPendingConnection()) {
                s->setParent(this);
                connect(s, &QWebSocket::textMessageReceived, this, [s](const QString& text) {
                    const QJsonArray f = QJsonDocument::fromJson(text.toUtf8()).array();
                    QJsonArray answer;
                    if (f.at(0).toString() == QLatin1String("EVENT"))
                        answer = {QStringLiteral("OK"), f.at(1).toObject().value(QStringLiteral("id")), false,
                                  QString::fromLatin1(kReason)};
                    else if (f.at(0).toString() == QLatin1String("REQ"))
                        answer = {QStringLiteral("EOSE"), f.at(1)};
                    if (!answer.isEmpty())
                        s->sendTextMessage(QString::fromUtf8(QJsonDocument(answer).toJson(QJsonDocument::Compact)));
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()); }

private:
    QWebSocketServer m_server;
};

/// A relay that answers every REQ with the frames it was given, written byte for byte, then EOSE.
class ScriptedRelay : public QObject
{
public:
    ScriptedRelay() : m_server(QStringLiteral("scripted"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket* s = m_server.nextPendingConnection()) {
                s->setParent(this);
                connect(s, &QWebSocket::textMessageReceived, this, [this, s](const QString& text) {
                    const QJsonArray f = QJsonDocument::fromJson(text.toUtf8()).array();
                    if (f.at(0).toString() != QLatin1String("REQ"))
                        return;
                    const QByteArray sub = QJsonDocument(QJsonArray{f.at(1)}).toJson(QJsonDocument::Compact);
                    for (const QByteArray& event : std::as_const(events))
                        s->sendTextMessage(
                            QString::fromUtf8("[\"EVENT\"," + sub.mid(1).chopped(1) + ',' + event + ']'));
                    s->sendTextMessage(QString::fromUtf8("[\"EOSE\"," + sub.mid(1).chopped(1) + ']'));
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort()); }
    QList<QByteArray> events; ///< event objects as JSON text

private:
    QWebSocketServer m_server;
};

/// Device 1 of member "alice" offers a pairing through a relay daemon and a relay that refuses
/// every event; device 2 answers through the daemon alone.
struct PairingStage
{
    explicit PairingStage(const QString& dbPath) : relay(dbPath) {}

    /// Starts the relays and both devices; true once device 1 has received device 2's request.
    bool requestReceived(const RelayPool::Options& options = {})
    {
        if (!relay.start() || !refusing.listen())
            return false;
        pool1 = std::make_unique<RelayPool>(QStringList{relay.url(), refusing.url()}, options);
        pool2 = std::make_unique<RelayPool>(QStringList{relay.url()});
        const MemberDocument alice{QStringLiteral("alice"), QStringLiteral("Alice"), 1, {PairRef{d1.pair, d1.pubkey}}};
        offer = std::make_unique<PairingOffer>(pool1.get(), std::make_shared<KeyRing>(makeRing({d1})), alice,
                                               SystemClock::instance());
        join = std::make_unique<PairingJoin>(pool2.get(), SystemClock::instance());
        paired = std::make_unique<QSignalSpy>(offer.get(), &PairingOffer::paired);
        failed = std::make_unique<QSignalSpy>(offer.get(), &PairingOffer::failed);
        QSignalSpy request(offer.get(), &PairingOffer::requestReceived);
        pool1->start();
        pool2->start();
        if (!QTest::qWaitFor([this] { return pool1->connectedCount() == 2; }, 10000))
            return false;
        join->start(offer->start(30000), 30000);
        return request.wait(10000);
    }

    RelayProcess relay;
    RefusingRelay refusing;
    const TestPair d1 = makePair();
    std::unique_ptr<RelayPool> pool1, pool2;
    std::unique_ptr<PairingOffer> offer;
    std::unique_ptr<PairingJoin> join;
    std::unique_ptr<QSignalSpy> paired, failed;
};

} // namespace

class TestRelayPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void backoffGrowsWithJitter();
    void relayListParsing();
    void publishCollectsEachRelay();
    void silentRelayTimesOut();
    void eventsHandedOutOnce();
    void reconnectsAndRestoresSubscriptions();
    void requeryFindsWhatPushMissed();
    void publishTrackerStates();
    void pairingReportsEachRelay();
    void pairingRefusedNamesEachRelay();
    void eventsAreReadStrictly();
    void forgedEventsFromAHostileRelayAreDropped();

private:
    NostrEvent event(const QString& content) const;
    QTemporaryDir m_dir;
    SecretKey m_key;
};

void TestRelayPool::initTestCase()
{
    qRegisterMetaType<uw::RelayConnection::State>();
    m_key = schnorr::generateSecretKey();
}

NostrEvent TestRelayPool::event(const QString& content) const
{
    NostrEvent e;
    e.kind = 1;
    e.createdAt = QDateTime::currentSecsSinceEpoch();
    e.tags = {{QStringLiteral("h"), QStringLiteral("pool")}};
    e.content = content;
    (void)e.sign(m_key);
    return e;
}

void TestRelayPool::backoffGrowsWithJitter()
{
    const RelayConnection::Backoff b{500, 30000};
    for (int attempt = 0; attempt < 12; ++attempt) {
        const qint64 ceiling = std::min<qint64>(30000, 500LL << attempt);
        const qint64 low = RelayConnection::reconnectDelayMs(attempt, b, 0);
        const qint64 high = RelayConnection::reconnectDelayMs(attempt, b, quint32(ceiling / 2));
        QCOMPARE(low, ceiling / 2);
        QCOMPARE(high, ceiling);
        const qint64 mid = RelayConnection::reconnectDelayMs(attempt, b, 123456789u);
        QVERIFY(mid >= low && mid <= high);
    }
    QCOMPARE(RelayConnection::reconnectDelayMs(1000, b, 0), 15000);
}

void TestRelayPool::relayListParsing()
{
    QCOMPARE(parseRelayList(QStringLiteral("ws://a:1, wss://b.example/ws/,ws://a:1")).value(),
             (QStringList{QStringLiteral("ws://a:1"), QStringLiteral("wss://b.example/ws/")}));
    for (const char* bad : {"", "http://a:1", "ws://", "not a url", "ws://a:1,ftp://b"}) {
        auto r = parseRelayList(QString::fromLatin1(bad));
        QVERIFY2(!r.ok(), bad);
        QVERIFY(!r.error().message.isEmpty());
    }
}

void TestRelayPool::publishCollectsEachRelay()
{
    RelayProcess a(m_dir.path() + QStringLiteral("/a.sqlite")), b(m_dir.path() + QStringLiteral("/b.sqlite"));
    QVERIFY(a.start() && b.start());
    QTcpServer closedPort;
    QVERIFY(closedPort.listen(QHostAddress::LocalHost));
    const QString dead = QStringLiteral("ws://127.0.0.1:%1").arg(closedPort.serverPort());
    closedPort.close();

    RelayPool pool({a.url(), b.url(), dead});
    QSignalSpy finished(&pool, &RelayPool::publishFinished);
    pool.start();
    const NostrEvent e = event(QStringLiteral("hello"));
    pool.publish(e);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toString(), e.id);
    using PerRelay = QMap<QString, bool>;
    const auto perRelay = finished.first().at(1).value<PerRelay>();
    QCOMPARE(perRelay.value(a.url()), true);
    QCOMPARE(perRelay.value(b.url()), true);
    QCOMPARE(perRelay.value(dead, true), false);
    using Messages = QMap<QString, QString>;
    QVERIFY(finished.first().at(2).value<Messages>().value(dead).startsWith(QStringLiteral("unreachable")));
}

void TestRelayPool::silentRelayTimesOut()
{
    // Accepts the WebSocket and never answers.
    QWebSocketServer silent(QStringLiteral("silent"), QWebSocketServer::NonSecureMode);
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    RelayPool::Options opts;
    opts.publishTimeoutMs = 300;
    const QString url = QStringLiteral("ws://127.0.0.1:%1").arg(silent.serverPort());
    RelayPool pool({url}, opts);
    QSignalSpy finished(&pool, &RelayPool::publishFinished);
    pool.start();
    pool.publish(event(QStringLiteral("into the void")));
    QVERIFY(finished.wait(10000));
    using PerRelay = QMap<QString, bool>;
    using Messages = QMap<QString, QString>;
    QCOMPARE(finished.first().at(1).value<PerRelay>().value(url, true), false);
    QCOMPARE(finished.first().at(2).value<Messages>().value(url), QStringLiteral("no answer in time"));
}

void TestRelayPool::eventsHandedOutOnce()
{
    RelayProcess a(m_dir.path() + QStringLiteral("/c.sqlite")), b(m_dir.path() + QStringLiteral("/d.sqlite"));
    QVERIFY(a.start() && b.start());
    RelayPool writer({a.url(), b.url()});
    RelayPool reader({a.url(), b.url()});
    QSignalSpy received(&reader, &RelayPool::eventReceived);
    QSignalSpy eose(&reader, &RelayPool::endOfStoredEvents);
    QSignalSpy published(&writer, &RelayPool::publishFinished);
    writer.start();
    reader.start();
    NostrFilter f;
    f.tags.insert(QStringLiteral("h"), {QStringLiteral("pool")});
    reader.subscribe(QStringLiteral("s"), {f});
    QTRY_COMPARE_WITH_TIMEOUT(eose.count(), 2, 10000);
    const NostrEvent e = event(QStringLiteral("twice"));
    writer.publish(e);
    QVERIFY(published.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, 10000);
    // The second relay's copy arrives too, and is swallowed: wait until it must have come.
    reader.subscribe(QStringLiteral("marker"), {f});
    QTRY_COMPARE_WITH_TIMEOUT(eose.count(), 4, 10000);
    QCOMPARE(received.count(), 2); // once for "s", once for the new "marker" subscription
    QCOMPARE(received.at(0).at(1).value<NostrEvent>(), e);
}

void TestRelayPool::reconnectsAndRestoresSubscriptions()
{
    RelayProcess relay(m_dir.path() + QStringLiteral("/e.sqlite"));
    QVERIFY(relay.start());
    const quint16 port = relay.port();
    RelayPool::Options opts;
    opts.backoff = {50, 400};
    RelayPool pool({relay.url()}, opts);
    QSignalSpy states(&pool, &RelayPool::relayStateChanged);
    QSignalSpy received(&pool, &RelayPool::eventReceived);
    pool.start();
    NostrFilter f;
    f.kinds = {1};
    pool.subscribe(QStringLiteral("live"), {f});
    QTRY_COMPARE_WITH_TIMEOUT(pool.connectedCount(), 1, 10000);

    relay.kill();
    QTRY_COMPARE_WITH_TIMEOUT(pool.state(relay.url()), RelayConnection::State::WaitingToReconnect, 10000);
    QVERIFY(!pool.lastError(relay.url()).isEmpty());
    QVERIFY(relay.start(port));
    QTRY_COMPARE_WITH_TIMEOUT(pool.connectedCount(), 1, 10000);

    // The subscription came back by itself: an event published after the restart arrives.
    RelayPool writer({relay.url()});
    QSignalSpy published(&writer, &RelayPool::publishFinished);
    writer.start();
    writer.publish(event(QStringLiteral("after restart")));
    QVERIFY(published.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), 10000);
    QCOMPARE(received.last().at(1).value<NostrEvent>().content, QStringLiteral("after restart"));
}

void TestRelayPool::requeryFindsWhatPushMissed()
{
    LazyRelay lazy;
    QVERIFY(lazy.listen());
    const TestPair d1 = makePair(), d2 = makePair();
    const Challenge c =
        makeChallenge({makeMember(QStringLiteral("alice"), 2, {d1, d2})}, QDateTime::currentSecsSinceEpoch());
    RelayPool pool1({lazy.url()}), pool2({lazy.url()});
    RelayLoginTransport transport(&pool1, std::make_shared<KeyRing>(makeRing({d1})), SystemClock::instance(), nullptr,
                                  /*requeryIntervalMs=*/200);
    QSignalSpy received(&transport, &LoginTransport::signaturesReceived);
    QSignalSpy eose(&pool1, &RelayPool::endOfStoredEvents);
    pool1.start();
    pool2.start();
    transport.runCollectLoop(c);
    QVERIFY(eose.wait(10000)); // subscribed, nothing stored yet

    const KeyRing ring2 = makeRing({d2});
    const LoginSignature sig = signChallenge(c, QStringLiteral("alice"), ring2).value().first();
    QSignalSpy published(&pool2, &RelayPool::publishFinished);
    pool2.publish(
        loginEvents::signatureEvent(c, sig, *ring2.secret(d2.pair), QDateTime::currentSecsSinceEpoch()).value());
    QVERIFY(published.wait(10000));
    QVERIFY(received.isEmpty());   // no push from this relay
    QVERIFY(received.wait(10000)); // the re-query finds it
    QCOMPARE(received.first().at(0).value<QList<LoginSignature>>(), QList<LoginSignature>{sig});
    QVERIFY(lazy.reqs >= 2);
    // Found once: later re-queries do not hand it out again.
    const int reqsNow = lazy.reqs;
    QTRY_VERIFY_WITH_TIMEOUT(lazy.reqs >= reqsNow + 2, 10000);
    QCOMPARE(received.count(), 1);
    transport.stopCollecting();
}

void TestRelayPool::publishTrackerStates()
{
    using S = PublishTracker::State;
    const QString a = QStringLiteral("ws://a"), b = QStringLiteral("ws://b");
    PublishTracker t;
    t.start({QStringLiteral("e1"), QStringLiteral("e2")});
    QCOMPARE(t.state(), S::Waiting);
    QVERIFY(!t.record(QStringLiteral("other"), {{a, true}}, {{a, QString()}})); // not of the batch
    QVERIFY(t.record(QStringLiteral("e1"), {{a, true}, {b, false}}, {{a, QString()}, {b, QStringLiteral("blocked")}}));
    QVERIFY(!t.record(QStringLiteral("e1"), {{a, false}}, {{a, QStringLiteral("late")}})); // answered already
    QCOMPARE(t.state(), S::Waiting);
    QVERIFY(!t.allAnswered());
    QVERIFY(t.record(QStringLiteral("e2"), {{a, false}, {b, true}}, {{a, QStringLiteral("slow")}, {b, QString()}}));
    QCOMPARE(t.state(), S::Accepted); // each event has one OK true, though no relay took both
    QVERIFY(t.allAnswered());
    QCOMPARE(t.perRelay(), (QMap<QString, bool>{{a, false}, {b, false}}));
    QCOMPARE(t.refusals(), (QStringList{QStringLiteral("ws://b: blocked"), QStringLiteral("ws://a: slow")}));

    // Refused as soon as one event has no OK true, with what each relay said about it.
    t.start({QStringLiteral("e3"), QStringLiteral("e4")});
    QCOMPARE(t.refusals(), QStringList());
    QVERIFY(t.record(QStringLiteral("e3"), {{a, false}, {b, false}},
                     {{a, QStringLiteral("blocked")}, {b, QStringLiteral("no answer in time")}}));
    QCOMPARE(t.state(), S::Refused);
    QVERIFY(!t.allAnswered());
    QCOMPARE(t.answers(QStringLiteral("e3")),
             (QStringList{QStringLiteral("ws://a: blocked"), QStringLiteral("ws://b: no answer in time")}));
    QVERIFY(t.record(QStringLiteral("e4"), {{a, true}, {b, true}}, {{a, QString()}, {b, QString()}}));
    QCOMPARE(t.state(), S::Refused); // stays refused
}

void TestRelayPool::pairingReportsEachRelay()
{
    // One relay accepts device 1's answer, the other refuses it: paired, with each relay's answer.
    PairingStage stage(m_dir.path() + QStringLiteral("/f.sqlite"));
    QVERIFY(stage.requestReceived());
    QSignalSpy joined(stage.join.get(), &PairingJoin::joined);
    stage.offer->confirm(true);
    QVERIFY2(stage.paired->wait(10000), qPrintable(stage.failed->value(0).value(0).toString()));
    QCOMPARE(stage.paired->first().at(0).toString(), stage.join->pair().pair);
    using PerRelay = QMap<QString, bool>;
    QCOMPARE(stage.paired->first().at(2).value<PerRelay>(),
             (PerRelay{{stage.relay.url(), true}, {stage.refusing.url(), false}}));
    QTRY_COMPARE_WITH_TIMEOUT(joined.count(), 1, 10000); // the accepting relay was enough for device 2
    QVERIFY(stage.failed->isEmpty());
}

void TestRelayPool::pairingRefusedNamesEachRelay()
{
    // The request arrives, then the only accepting relay dies: no relay takes the answer, and the
    // failure says what each one answered.
    RelayPool::Options opts;
    opts.publishTimeoutMs = 1000;
    opts.backoff = {60000, 60000};
    PairingStage stage(m_dir.path() + QStringLiteral("/g.sqlite"));
    QVERIFY(stage.requestReceived(opts));
    stage.relay.kill();
    QTRY_COMPARE_WITH_TIMEOUT(stage.pool1->state(stage.relay.url()), RelayConnection::State::WaitingToReconnect, 10000);
    stage.offer->confirm(true);
    QVERIFY(stage.failed->wait(10000));
    const QString reason = stage.failed->first().at(0).toString();
    QVERIFY2(reason.startsWith(QStringLiteral("No relay accepted the pairing answer (")), qPrintable(reason));
    QVERIFY2(reason.contains(stage.refusing.url() + QStringLiteral(": ") + QString::fromLatin1(RefusingRelay::kReason)),
             qPrintable(reason));
    QVERIFY2(reason.contains(stage.relay.url() + QStringLiteral(": unreachable")), qPrintable(reason));
    QVERIFY(stage.paired->isEmpty());
}

void TestRelayPool::eventsAreReadStrictly()
{
    // What a standard parser reads from the relay's text is what we verify and hand out:
    // a content that starts with U+FEFF keeps it (Qt's reader dropped it, so a valid event
    // failed to verify), and an object with a key twice is refused (Qt kept the last one, so a
    // frame showing "forged" to a first-wins reader verified here).
    ScriptedRelay relay;
    QVERIFY(relay.listen());
    const NostrEvent bom = event(QString(QChar(0xFEFF)) + QStringLiteral("starts with a byte order mark"));
    const NostrEvent twice = event(QStringLiteral("the real content"));
    const QByteArray twiceJson = QJsonDocument(twice.toJson()).toJson(QJsonDocument::Compact);
    QVERIFY(twiceJson.startsWith('{'));
    relay.events = {QJsonDocument(bom.toJson()).toJson(QJsonDocument::Compact),
                    "{\"content\":\"forged\"," + twiceJson.mid(1)};
    QVERIFY(relay.events.at(0).contains("\xEF\xBB\xBF"));

    RelayPool reader({relay.url()});
    QSignalSpy received(&reader, &RelayPool::eventReceived);
    QSignalSpy eose(&reader, &RelayPool::endOfStoredEvents);
    reader.start();
    NostrFilter f;
    f.tags.insert(QStringLiteral("h"), {QStringLiteral("pool")});
    reader.subscribe(QStringLiteral("s"), {f});
    QVERIFY(eose.wait(10000));
    QCOMPARE(received.count(), 1);
    QCOMPARE(received.at(0).at(1).value<NostrEvent>(), bom);
}

void TestRelayPool::forgedEventsFromAHostileRelayAreDropped()
{
    // Every relay is untrusted: the client verifies each event's id and signature itself. The
    // hostile relay answers our subscription with a stranger's validly signed event, the same with
    // its content changed and its id recomputed (the signature no longer matches), the same with an
    // id that is not the hash of its content, one genuine event replayed and two outside the
    // subscription. Only the two events that verify and match may come out of the pool.
    HostileRelay hostile;
    QVERIFY(hostile.listen());
    hostile.floodFrames = 0; // not dropped for too many invalid frames before its end of stored events
    hostile.claimedMember = QStringLiteral("alice");
    hostile.claimedPair = makePair().pair;
    const NostrEvent genuine = event(QStringLiteral("genuine, replayed"));
    // Genuine too, but not what the subscription asked for (another kind, another tag): dropped.
    NostrEvent otherKind = event(QStringLiteral("another kind"));
    otherKind.kind = 2;
    NostrEvent otherTag = event(QStringLiteral("another tag"));
    otherTag.tags = {{QStringLiteral("h"), QStringLiteral("elsewhere")}};
    QVERIFY(otherKind.sign(m_key) && otherTag.sign(m_key));
    hostile.replays = {genuine, otherKind, otherTag};

    RelayPool reader({hostile.url()});
    QSignalSpy received(&reader, &RelayPool::eventReceived);
    QSignalSpy eose(&reader, &RelayPool::endOfStoredEvents);
    reader.start();
    NostrFilter f;
    f.kinds = {1};
    f.tags.insert(QStringLiteral("h"), {QStringLiteral("pool")});
    reader.subscribe(QStringLiteral("s"), {f});
    QVERIFY(eose.wait(10000));
    QCOMPARE(hostile.reqCount(), 1);

    QStringList contents;
    for (const QList<QVariant>& args : std::as_const(received)) {
        const NostrEvent e = args.at(1).value<NostrEvent>();
        QVERIFY2(e.verify(), qPrintable(QStringLiteral("handed out an event that does not verify: ") + e.content));
        QCOMPARE(e.id, e.computeId());
        contents.append(e.content);
    }
    QCOMPARE(received.count(), 2); // the stranger's well-signed event, and the genuine replay
    QVERIFY(contents.contains(genuine.content));
    // The relay is still connected: a few bad frames are dropped, not a reason to give up on it.
    QCOMPARE(reader.connectedCount(), 1);
}

QTEST_GUILESS_MAIN(TestRelayPool)
#include "test_relay_pool.moc"
