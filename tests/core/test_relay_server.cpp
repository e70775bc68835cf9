// userwallet-relay as a separate process, spoken to in raw NIP-01 frames over a plain
// QWebSocket (not our client classes), so that the wire format is checked for what it is.
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "support/Processes.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace uw;
using namespace uw::test;

namespace {

/// A raw client: frames in, frames out, nothing interpreted.
class RawClient : public QObject
{
public:
    explicit RawClient(const QString& url)
    {
        connect(&socket, &QWebSocket::textMessageReceived, this,
                [this](const QString& m) { frames.append(QJsonDocument::fromJson(m.toUtf8()).array()); });
        socket.open(QUrl(url));
    }
    bool waitConnected()
    {
        return QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 10000);
    }
    void send(const QJsonArray& frame)
    {
        socket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    }
    void sendRaw(const QString& text) { socket.sendTextMessage(text); }
    /// Waits for the next frame whose verb is `verb` (and, if given, whose second element is `key`).
    QJsonArray next(const QString& verb, const QString& key = QString(), int timeoutMs = 10000)
    {
        QJsonArray found;
        (void)QTest::qWaitFor(
            [&] {
                for (qsizetype i = 0; i < frames.size(); ++i) {
                    if (frames[i].at(0).toString() == verb && (key.isNull() || frames[i].at(1).toString() == key)) {
                        found = frames.takeAt(i);
                        return true;
                    }
                }
                return false;
            },
            timeoutMs);
        return found;
    }
    QWebSocket socket;
    QList<QJsonArray> frames;
};

/// A signed event, its id computed here from the NIP-01 serialization (independently of NostrEvent).
QJsonObject makeEvent(const SecretKey& key, int kind, const QJsonArray& tags, const QString& content,
                      qint64 createdAt = -1)
{
    if (createdAt < 0)
        createdAt = QDateTime::currentSecsSinceEpoch();
    const QString pub = toHex(schnorr::xOnlyPublicKey(key).value());
    const QByteArray serialized =
        QJsonDocument(QJsonArray{0, pub, createdAt, kind, tags, content}).toJson(QJsonDocument::Compact);
    const Bytes32 id = Sha256::hash(serialized);
    const Bytes64 sig = schnorr::sign(key, QByteArrayView(reinterpret_cast<const char*>(id.data()), 32)).value();
    return QJsonObject{
        {QStringLiteral("id"), toHex(id)},  {QStringLiteral("pubkey"), pub}, {QStringLiteral("created_at"), createdAt},
        {QStringLiteral("kind"), kind},     {QStringLiteral("tags"), tags},  {QStringLiteral("content"), content},
        {QStringLiteral("sig"), toHex(sig)}};
}

QJsonArray hTag(const QString& h)
{
    return QJsonArray{QJsonArray{QStringLiteral("h"), h}};
}

} // namespace

class TestRelayServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void eventOkAndDuplicate();
    void reqStoredThenLive();
    void filters();
    void closeStopsDelivery();
    void refusesForgeries();
    void malformedInputKeepsServing();
    void subscriptionLimit();
    void rateLimit();
    void handshakeTimeout();
    void expiredEventsRefused();
    void acknowledgedEventSurvivesKill9();
    void cleanShutdownOnSigterm();

private:
    QTemporaryDir* m_dir = nullptr;
    RelayProcess* m_relay = nullptr;
    SecretKey m_key;
};

void TestRelayServer::init()
{
    m_dir = new QTemporaryDir;
    m_relay = new RelayProcess(m_dir->path() + QStringLiteral("/relay.sqlite"),
                               {QStringLiteral("--events-per-second"), QStringLiteral("1000"),
                                QStringLiteral("--max-subscriptions"), QStringLiteral("5")});
    QVERIFY(m_relay->start());
    m_key = schnorr::generateSecretKey();
}

void TestRelayServer::cleanup()
{
    delete m_relay;
    delete m_dir;
}

void TestRelayServer::eventOkAndDuplicate()
{
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
    const QJsonObject e = makeEvent(m_key, 9241, hTag(QStringLiteral("abc")), QStringLiteral("{\"x\":1}"));
    c.send({QStringLiteral("EVENT"), e});
    const QJsonArray ok = c.next(QStringLiteral("OK"));
    QCOMPARE(ok.size(), 4);
    QCOMPARE(ok.at(1).toString(), e.value(QStringLiteral("id")).toString());
    QCOMPARE(ok.at(2).toBool(), true);
    c.send({QStringLiteral("EVENT"), e});
    const QJsonArray dup = c.next(QStringLiteral("OK"));
    QCOMPARE(dup.at(2).toBool(), true);
    QVERIFY(dup.at(3).toString().startsWith(QStringLiteral("duplicate:")));
}

void TestRelayServer::reqStoredThenLive()
{
    RawClient a(m_relay->url()), b(m_relay->url());
    QVERIFY(a.waitConnected() && b.waitConnected());
    const QJsonObject stored = makeEvent(m_key, 9241, hTag(QStringLiteral("h1")), QStringLiteral("stored"));
    a.send({QStringLiteral("EVENT"), stored});
    QVERIFY(a.next(QStringLiteral("OK")).at(2).toBool());

    b.send({QStringLiteral("REQ"), QStringLiteral("s1"),
            QJsonObject{{QStringLiteral("kinds"), QJsonArray{9241}},
                        {QStringLiteral("#h"), QJsonArray{QStringLiteral("h1")}}}});
    const QJsonArray first = b.next(QStringLiteral("EVENT"), QStringLiteral("s1"));
    QCOMPARE(first.at(2).toObject(), stored);
    QVERIFY(!b.next(QStringLiteral("EOSE"), QStringLiteral("s1")).isEmpty());

    const QJsonObject live = makeEvent(m_key, 9241, hTag(QStringLiteral("h1")), QStringLiteral("live"));
    const QJsonObject other = makeEvent(m_key, 9241, hTag(QStringLiteral("h2")), QStringLiteral("other hash"));
    a.send({QStringLiteral("EVENT"), other});
    a.send({QStringLiteral("EVENT"), live});
    QCOMPARE(b.next(QStringLiteral("EVENT"), QStringLiteral("s1")).at(2).toObject(), live);
    QVERIFY2(b.frames.isEmpty(), "an event of another hash must not reach the subscription");
}

void TestRelayServer::filters()
{
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
    const SecretKey other = schnorr::generateSecretKey();
    const QJsonObject e1 = makeEvent(m_key, 9240, hTag(QStringLiteral("f")), QStringLiteral("1"), 1000);
    const QJsonObject e2 = makeEvent(m_key, 9241, hTag(QStringLiteral("f")), QStringLiteral("2"), 2000);
    const QJsonObject e3 = makeEvent(other, 9241, hTag(QStringLiteral("f")), QStringLiteral("3"), 3000);
    for (const QJsonObject& e : {e1, e2, e3}) {
        c.send({QStringLiteral("EVENT"), e});
        QVERIFY(c.next(QStringLiteral("OK")).at(2).toBool());
    }
    auto query = [&](const QJsonObject& filter) {
        c.send({QStringLiteral("REQ"), QStringLiteral("q"), filter});
        QStringList contents;
        while (true) {
            (void)QTest::qWaitFor([&] { return !c.frames.isEmpty(); }, 10000);
            if (c.frames.isEmpty())
                break;
            const QJsonArray f = c.frames.takeFirst();
            if (f.at(0).toString() == QLatin1String("EOSE"))
                break;
            contents.append(f.at(2).toObject().value(QStringLiteral("content")).toString());
        }
        c.send({QStringLiteral("CLOSE"), QStringLiteral("q")});
        return contents;
    };
    const QString pub = e1.value(QStringLiteral("pubkey")).toString();
    QCOMPARE(query({{QStringLiteral("kinds"), QJsonArray{9241}}}),
             (QStringList{QStringLiteral("3"), QStringLiteral("2")}));
    QCOMPARE(query({{QStringLiteral("authors"), QJsonArray{pub}}}),
             (QStringList{QStringLiteral("2"), QStringLiteral("1")}));
    QCOMPARE(query({{QStringLiteral("ids"), QJsonArray{e2.value(QStringLiteral("id"))}}}),
             QStringList{QStringLiteral("2")});
    QCOMPARE(query({{QStringLiteral("since"), 1500}, {QStringLiteral("until"), 2500}}),
             QStringList{QStringLiteral("2")});
    QCOMPARE(query({{QStringLiteral("#h"), QJsonArray{QStringLiteral("f")}}, {QStringLiteral("limit"), 1}}),
             QStringList{QStringLiteral("3")});
    QCOMPARE(query({{QStringLiteral("#h"), QJsonArray{QStringLiteral("none")}}}), QStringList());
}

void TestRelayServer::closeStopsDelivery()
{
    RawClient a(m_relay->url()), b(m_relay->url());
    QVERIFY(a.waitConnected() && b.waitConnected());
    b.send({QStringLiteral("REQ"), QStringLiteral("s"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
    QVERIFY(!b.next(QStringLiteral("EOSE")).isEmpty());
    b.send({QStringLiteral("CLOSE"), QStringLiteral("s")});
    // A marker subscription proves the CLOSE was processed before the event is published.
    b.send({QStringLiteral("REQ"), QStringLiteral("marker"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{2}}}});
    QVERIFY(!b.next(QStringLiteral("EOSE"), QStringLiteral("marker")).isEmpty());
    a.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("after close"))});
    a.send({QStringLiteral("EVENT"), makeEvent(m_key, 2, {}, QStringLiteral("marker event"))});
    QVERIFY(!b.next(QStringLiteral("EVENT"), QStringLiteral("marker")).isEmpty());
    QVERIFY(b.frames.isEmpty());
}

void TestRelayServer::refusesForgeries()
{
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
    QJsonObject badSig = makeEvent(m_key, 9241, {}, QStringLiteral("x"));
    QString sig = badSig.value(QStringLiteral("sig")).toString();
    sig[5] = sig[5] == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
    badSig.insert(QStringLiteral("sig"), sig);
    QJsonObject badId = makeEvent(m_key, 9241, {}, QStringLiteral("x"));
    badId.insert(QStringLiteral("content"), QStringLiteral("changed after signing"));
    QJsonObject badShape = makeEvent(m_key, 9241, {}, QStringLiteral("x"));
    badShape.insert(QStringLiteral("kind"), QStringLiteral("9241"));
    for (const QJsonObject& e : {badSig, badId, badShape}) {
        c.send({QStringLiteral("EVENT"), e});
        const QJsonArray ok = c.next(QStringLiteral("OK"));
        QCOMPARE(ok.at(2).toBool(true), false);
        QVERIFY2(ok.at(3).toString().startsWith(QStringLiteral("invalid:")), qPrintable(ok.at(3).toString()));
    }
    c.send({QStringLiteral("REQ"), QStringLiteral("all"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{9241}}}});
    const QJsonArray eose = c.next(QStringLiteral("EOSE"));
    QVERIFY(!eose.isEmpty());
    QVERIFY2(c.frames.isEmpty(), "nothing refused may be stored");
}

void TestRelayServer::malformedInputKeepsServing()
{
    RawClient bad(m_relay->url()), good(m_relay->url());
    QVERIFY(bad.waitConnected() && good.waitConnected());
    bad.sendRaw(QStringLiteral("this is not json"));
    QVERIFY(bad.next(QStringLiteral("NOTICE")).at(1).toString().startsWith(QStringLiteral("invalid:")));
    bad.sendRaw(QStringLiteral("{\"an\":\"object\"}"));
    QVERIFY(!bad.next(QStringLiteral("NOTICE")).isEmpty());
    bad.send({QStringLiteral("AUTH"), QStringLiteral("x")});
    QVERIFY(bad.next(QStringLiteral("NOTICE")).at(1).toString().contains(QStringLiteral("unknown")));
    bad.socket.sendBinaryMessage(QByteArray(100, '\x01'));
    QVERIFY(bad.next(QStringLiteral("NOTICE")).at(1).toString().contains(QStringLiteral("binary")));
    bad.sendRaw(QStringLiteral("[\"EVENT\",\"") + QString(100 * 1024, QLatin1Char('a')) + QStringLiteral("\"]"));
    QVERIFY(bad.next(QStringLiteral("NOTICE")).at(1).toString().contains(QStringLiteral("exceeds")));
    bad.send({QStringLiteral("REQ"), QStringLiteral("s"), QStringLiteral("not a filter")});
    QVERIFY(bad.next(QStringLiteral("CLOSED")).at(2).toString().startsWith(QStringLiteral("invalid:")));
    bad.send({QStringLiteral("REQ"), QStringLiteral("s"), QJsonObject{{QStringLiteral("bogus"), 1}}});
    QVERIFY(bad.next(QStringLiteral("CLOSED")).at(2).toString().startsWith(QStringLiteral("invalid:")));
    // Still served, and so is everyone else.
    bad.send({QStringLiteral("REQ"), QStringLiteral("ok"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
    QVERIFY(!bad.next(QStringLiteral("EOSE"), QStringLiteral("ok")).isEmpty());
    good.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("fine"))});
    QVERIFY(good.next(QStringLiteral("OK")).at(2).toBool());
    // Beyond the hard limit the offending connection is closed; the relay lives on.
    QSignalSpy closed(&bad.socket, &QWebSocket::disconnected);
    bad.sendRaw(QString(2 * 1024 * 1024, QLatin1Char('x')));
    QVERIFY(closed.wait(10000));
    RawClient later(m_relay->url());
    QVERIFY(later.waitConnected());
}

void TestRelayServer::subscriptionLimit()
{
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
    for (int i = 0; i < 5; ++i) {
        c.send({QStringLiteral("REQ"), QStringLiteral("s%1").arg(i),
                QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
        QVERIFY(!c.next(QStringLiteral("EOSE"), QStringLiteral("s%1").arg(i)).isEmpty());
    }
    c.send({QStringLiteral("REQ"), QStringLiteral("s5"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
    const QJsonArray closed = c.next(QStringLiteral("CLOSED"), QStringLiteral("s5"));
    QVERIFY2(closed.at(2).toString().startsWith(QStringLiteral("blocked:")), qPrintable(closed.at(2).toString()));
    // Replacing an existing subscription is not a new one.
    c.send({QStringLiteral("REQ"), QStringLiteral("s0"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{2}}}});
    QVERIFY(!c.next(QStringLiteral("EOSE"), QStringLiteral("s0")).isEmpty());
}

void TestRelayServer::rateLimit()
{
    RelayProcess slow(m_dir->path() + QStringLiteral("/slow.sqlite"),
                      {QStringLiteral("--events-per-second"), QStringLiteral("5")});
    QVERIFY(slow.start());
    RawClient c(slow.url());
    QVERIFY(c.waitConnected());
    constexpr int kSent = 40;
    for (int i = 0; i < kSent; ++i)
        c.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("burst %1").arg(i))});
    int accepted = 0, limited = 0;
    for (int i = 0; i < kSent; ++i) {
        const QJsonArray ok = c.next(QStringLiteral("OK"));
        QVERIFY(!ok.isEmpty());
        if (ok.at(2).toBool())
            ++accepted;
        else if (ok.at(3).toString().startsWith(QStringLiteral("rate-limited:")))
            ++limited;
    }
    QVERIFY2(accepted >= 10 && accepted < kSent, qPrintable(QString::number(accepted)));
    QCOMPARE(accepted + limited, kSent);
}

void TestRelayServer::handshakeTimeout()
{
    RelayProcess quick(m_dir->path() + QStringLiteral("/quick.sqlite"),
                       {QStringLiteral("--handshake-timeout-ms"), QStringLiteral("200")});
    QVERIFY(quick.start());
    const QUrl url(quick.url());
    QTcpSocket silent;
    QSignalSpy connected(&silent, &QTcpSocket::connected);
    QSignalSpy disconnected(&silent, &QTcpSocket::disconnected);
    silent.connectToHost(QHostAddress(url.host()), quint16(url.port()));
    QVERIFY(connected.wait(5000));
    // Sends nothing: the relay closes it well before the default 10 s.
    QVERIFY(disconnected.wait(5000));
    // The relay still serves an honest client.
    RawClient c(quick.url());
    QVERIFY(c.waitConnected());
}

void TestRelayServer::expiredEventsRefused()
{
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
    const qint64 past = QDateTime::currentSecsSinceEpoch() - 10;
    c.send({QStringLiteral("EVENT"),
            makeEvent(m_key, 9241, QJsonArray{QJsonArray{QStringLiteral("expiration"), QString::number(past)}},
                      QStringLiteral("late"))});
    const QJsonArray ok = c.next(QStringLiteral("OK"));
    QCOMPARE(ok.at(2).toBool(true), false);
    QVERIFY(ok.at(3).toString().contains(QStringLiteral("expired")));
}

void TestRelayServer::acknowledgedEventSurvivesKill9()
{
    const QJsonObject e = makeEvent(m_key, 9241, hTag(QStringLiteral("durable")), QStringLiteral("keep me"));
    {
        RawClient c(m_relay->url());
        QVERIFY(c.waitConnected());
        c.send({QStringLiteral("EVENT"), e});
        QVERIFY(c.next(QStringLiteral("OK")).at(2).toBool());
    }
    m_relay->kill();
    QVERIFY(m_relay->start());
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
    c.send({QStringLiteral("REQ"), QStringLiteral("d"),
            QJsonObject{{QStringLiteral("ids"), QJsonArray{e.value(QStringLiteral("id"))}}}});
    QCOMPARE(c.next(QStringLiteral("EVENT"), QStringLiteral("d")).at(2).toObject(), e);
}

void TestRelayServer::cleanShutdownOnSigterm()
{
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
    QSignalSpy closed(&c.socket, &QWebSocket::disconnected);
    QCOMPARE(m_relay->terminate(), 0);
    QVERIFY(closed.count() > 0 || closed.wait(5000));
}

QTEST_GUILESS_MAIN(TestRelayServer)
#include "test_relay_server.moc"
