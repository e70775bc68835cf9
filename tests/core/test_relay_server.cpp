// userwallet-relay as a separate process, spoken to in raw NIP-01 frames over a plain
// QWebSocket (not our client classes), so that the wire format is checked for what it is.
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "relay/server/RelayServer.h"
#include "support/Processes.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <memory>

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

/// A WebSocket client written by hand over a QTcpSocket (RFC 6455: masked frames out, plain
/// frames in), for what QWebSocket cannot do: leave from another loopback address (any
/// 127.x.y.z is this machine) and stop reading altogether.
class HandClient : public QObject
{
public:
    explicit HandClient(const QString& url, const QString& from = QStringLiteral("127.0.0.1")) : m_url(url)
    {
        connect(&socket, &QTcpSocket::readyRead, this, [this] {
            if (m_reading)
                parse();
        });
        if (!socket.bind(QHostAddress(from)))
            qWarning("cannot bind to %s: %s", qPrintable(from), qPrintable(socket.errorString()));
    }
    /// Connects and completes the opening handshake; true when the relay answered 101.
    bool handshake()
    {
        socket.connectToHost(QHostAddress(m_url.host()), quint16(m_url.port()));
        if (!socket.waitForConnected(5000))
            return false;
        socket.write("GET / HTTP/1.1\r\nHost: " + m_url.authority().toUtf8() +
                     "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        m_reading = false;
        const bool answered = QTest::qWaitFor(
            [&] {
                m_in += socket.readAll();
                return m_in.contains("\r\n\r\n") || socket.state() != QAbstractSocket::ConnectedState;
            },
            5000);
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (!answered || end < 0 || !m_in.startsWith("HTTP/1.1 101"))
            return false;
        m_in.remove(0, end + 4);
        m_reading = true;
        parse();
        return true;
    }
    /// From now on nothing more is taken from the system: the relay's output piles up.
    void stopReading()
    {
        m_reading = false;
        socket.setReadBufferSize(1024);
    }
    void send(const QJsonArray& frame)
    {
        const QByteArray payload = QJsonDocument(frame).toJson(QJsonDocument::Compact);
        QByteArray out(1, char(0x81)); // FIN, text
        const qsizetype n = payload.size();
        if (n < 126) {
            out.append(char(0x80 | n));
        } else if (n < 65536) {
            out.append(char(0x80 | 126));
            out.append(char(n >> 8));
            out.append(char(n & 0xff));
        } else {
            out.append(char(0x80 | 127));
            for (int i = 7; i >= 0; --i)
                out.append(char((quint64(n) >> (8 * i)) & 0xff));
        }
        const char mask[4] = {'\x1f', '\x2e', '\x3d', '\x4c'};
        out.append(mask, 4);
        for (qsizetype i = 0; i < n; ++i)
            out.append(char(payload[i] ^ mask[i % 4]));
        socket.write(out);
    }
    /// Waits for the next text frame whose verb is `verb`.
    QJsonArray next(const QString& verb, int timeoutMs = 10000)
    {
        QJsonArray found;
        (void)QTest::qWaitFor(
            [&] {
                for (qsizetype i = 0; i < frames.size(); ++i)
                    if (frames[i].at(0).toString() == verb) {
                        found = frames.takeAt(i);
                        return true;
                    }
                return false;
            },
            timeoutMs);
        return found;
    }

    QTcpSocket socket;
    QList<QJsonArray> frames;
    int closeCode = 0; ///< of the relay's close frame, once received

private:
    void parse()
    {
        m_in += socket.readAll();
        while (m_in.size() >= 2) {
            const quint8 op = quint8(m_in[0]) & 0x0f;
            quint64 len = quint8(m_in[1]) & 0x7f;
            qsizetype pos = 2;
            if (len == 126) {
                if (m_in.size() < 4)
                    return;
                len = (quint64(quint8(m_in[2])) << 8) | quint8(m_in[3]);
                pos = 4;
            } else if (len == 127) {
                if (m_in.size() < 10)
                    return;
                len = 0;
                for (int i = 0; i < 8; ++i)
                    len = (len << 8) | quint8(m_in[2 + i]);
                pos = 10;
            }
            if (quint64(m_in.size()) < pos + len)
                return;
            const QByteArray payload = m_in.mid(pos, qsizetype(len));
            m_in.remove(0, pos + qsizetype(len));
            if (op == 0x1)
                frames.append(QJsonDocument::fromJson(payload).array());
            else if (op == 0x8 && payload.size() >= 2)
                closeCode = (quint8(payload[0]) << 8) | quint8(payload[1]);
        }
    }

    QUrl m_url;
    QByteArray m_in;
    bool m_reading = false;
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
    void publishingDoesNotWaitForQueries();
    void eventOkAndDuplicate();
    void reqStoredThenLive();
    void filters();
    void closeStopsDelivery();
    void refusesForgeries();
    void malformedInputKeepsServing();
    void subscriptionLimit();
    void rateLimit();
    void retentionPurge();
    void handshakeTimeout();
    void clientThatDoesNotReadIsDropped();
    void idleTimeout();
    void connectionsPerAddress();
    void halfOpenHandshakesCount();
    void connectionsInAll();
    void eventRatePerAddress();
    void reqRatePerAddress();
    void filterCostBounds();
    void badLimitOptionsRefused_data();
    void badLimitOptionsRefused();
    void expiredEventsRefused();
    void framesAreReadStrictly();
    void olderReplaceableAnsweredDuplicate();
    void pipelinedBurstsAllAnswered();
    void informationDocument();
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
    // The EVENT budget of an address, on a clock that moves only when told: the same counts on
    // any machine, however loaded (a budget refilled by wall-clock time is not).
    ManualClock clock(QDateTime::currentSecsSinceEpoch());
    RelayLimits limits;
    limits.eventsPerSecond = 5;
    limits.eventBurst = 10;
    RelayServer server(RelayStore::open(m_dir->path() + QStringLiteral("/clock.sqlite")).value(), limits, clock);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0).ok());
    RawClient c(server.url());
    QVERIFY(c.waitConnected());
    int sent = 0;
    // Sends n events at once; returns how many were accepted (every other one said rate-limited).
    auto burst = [&](int n) {
        for (int i = 0; i < n; ++i)
            c.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("burst %1").arg(++sent))});
        int accepted = 0;
        for (int i = 0; i < n; ++i) {
            const QJsonArray ok = c.next(QStringLiteral("OK"));
            if (ok.at(2).toBool())
                ++accepted;
            else if (!ok.at(3).toString().startsWith(QStringLiteral("rate-limited:")))
                return -1; // not answered, or refused for another reason
        }
        return accepted;
    };
    QCOMPARE(burst(40), 10); // the whole bucket, and not one more
    QCOMPARE(burst(5), 0);   // no time has passed: nothing refilled
    clock.advanceMs(1000);
    QCOMPARE(burst(10), 5); // a second: five more
    clock.advanceMs(200);
    QCOMPARE(burst(3), 1); // a fifth of a second: one
    clock.advanceMs(3600 * 1000);
    QCOMPARE(burst(20), 10); // an hour fills the bucket, and no more than full
    QCOMPARE(server.store().count(), qint64(26));
}

void TestRelayServer::retentionPurge()
{
    // Events are kept for the retention after their reception, or until their NIP-40 expiration,
    // whichever comes first (docs/PROTOCOL.md, relay limits); then purged, by the server's clock.
    const std::int64_t t0 = QDateTime::currentSecsSinceEpoch();
    ManualClock clock(t0);
    RelayLimits limits;
    limits.retentionSeconds = 3600;
    RelayServer server(RelayStore::open(m_dir->path() + QStringLiteral("/retention.sqlite")).value(), limits, clock);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0).ok());
    RawClient c(server.url());
    QVERIFY(c.waitConnected());
    const QJsonObject kept = makeEvent(m_key, 1, hTag(QStringLiteral("r")), QStringLiteral("kept an hour"), t0);
    QJsonArray expiringTags = hTag(QStringLiteral("r"));
    expiringTags.append(QJsonArray{QStringLiteral("expiration"), QString::number(t0 + 60)});
    const QJsonObject expiring = makeEvent(m_key, 1, expiringTags, QStringLiteral("kept a minute"), t0);
    for (const QJsonObject& e : {kept, expiring}) {
        c.send({QStringLiteral("EVENT"), e});
        QVERIFY(c.next(QStringLiteral("OK")).at(2).toBool());
    }
    QCOMPARE(server.store().count(), qint64(2));
    QCOMPARE(server.purgeOld(), 0);
    clock.advance(59);
    QCOMPARE(server.purgeOld(), 0);
    clock.advance(1); // the expiration
    QCOMPARE(server.purgeOld(), 1);
    QCOMPARE(server.store().count(), qint64(1));
    clock.set(t0 + 3600); // exactly the retention: still kept
    QCOMPARE(server.purgeOld(), 0);
    c.send({QStringLiteral("REQ"), QStringLiteral("r"),
            QJsonObject{{QStringLiteral("#h"), QJsonArray{QStringLiteral("r")}}}});
    QCOMPARE(c.next(QStringLiteral("EVENT"), QStringLiteral("r")).at(2).toObject().value(QStringLiteral("id")),
             kept.value(QStringLiteral("id")));
    QVERIFY(!c.next(QStringLiteral("EOSE"), QStringLiteral("r")).isEmpty());
    clock.advance(1);
    QCOMPARE(server.purgeOld(), 1);
    QCOMPARE(server.store().count(), qint64(0));
    c.send({QStringLiteral("REQ"), QStringLiteral("r2"),
            QJsonObject{{QStringLiteral("#h"), QJsonArray{QStringLiteral("r")}}}});
    QVERIFY(!c.next(QStringLiteral("EOSE"), QStringLiteral("r2")).isEmpty());
    QVERIFY(c.frames.isEmpty()); // no EVENT came before its EOSE
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

void TestRelayServer::clientThatDoesNotReadIsDropped()
{
    RelayProcess relay(m_dir->path() + QStringLiteral("/output.sqlite"),
                       {QStringLiteral("--max-pending-output-bytes"), QStringLiteral("131072"),
                        QStringLiteral("--events-per-second"), QStringLiteral("1000"),
                        QStringLiteral("--reqs-per-second"), QStringLiteral("1000")});
    QVERIFY(relay.start());
    RawClient writer(relay.url());
    QVERIFY(writer.waitConnected());
    // 30 events of 60 kB: one REQ asks for 1.8 MB, far more than the cap and the system's buffers.
    constexpr int kEvents = 30;
    for (int i = 0; i < kEvents; ++i)
        writer.send({QStringLiteral("EVENT"),
                     makeEvent(m_key, 9300, {}, QString::number(i) + QString(60000, QLatin1Char('x')))});
    for (int i = 0; i < kEvents; ++i)
        QVERIFY(writer.next(QStringLiteral("OK")).at(2).toBool());

    HandClient reader(relay.url());
    QVERIFY(reader.handshake());
    reader.stopReading();
    QSignalSpy gone(&reader.socket, &QTcpSocket::disconnected);
    // Ten times 1.8 MB (ten subscriptions: a REQ that replaces one still waiting for its stored
    // events is answered instead of it): more than the system's buffers between the two
    // processes can hold.
    for (int i = 0; i < 10; ++i)
        reader.send({QStringLiteral("REQ"), QStringLiteral("big%1").arg(i),
                     QJsonObject{{QStringLiteral("kinds"), QJsonArray{9300}}}});
    // It reads nothing, so it can only learn that the relay dropped it by writing again
    // (a CLOSE, which the relay does not answer). Without the cap it is never dropped.
    for (int i = 0; i < 300 && gone.isEmpty(); ++i) {
        reader.send({QStringLiteral("CLOSE"), QStringLiteral("probe")});
        (void)gone.wait(100);
    }
    QVERIFY2(!gone.isEmpty(), "a client that does not read must be disconnected");

    // Everyone else is served as before.
    RawClient honest(relay.url());
    QVERIFY(honest.waitConnected());
    const QJsonObject e = makeEvent(m_key, 1, {}, QStringLiteral("honest"));
    honest.send({QStringLiteral("EVENT"), e});
    const QJsonArray ok = honest.next(QStringLiteral("OK"));
    QCOMPARE(ok.at(1).toString(), e.value(QStringLiteral("id")).toString());
    QVERIFY(ok.at(2).toBool());
    writer.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("writer still served"))});
    QVERIFY(writer.next(QStringLiteral("OK")).at(2).toBool());
}

void TestRelayServer::idleTimeout()
{
    RelayProcess relay(m_dir->path() + QStringLiteral("/idle.sqlite"),
                       {QStringLiteral("--idle-timeout-s"), QStringLiteral("2"), QStringLiteral("--reqs-per-second"),
                        QStringLiteral("100000")});
    QVERIFY(relay.start());
    RawClient idle(relay.url()), busy(relay.url());
    QVERIFY(idle.waitConnected() && busy.waitConnected());
    idle.send({QStringLiteral("REQ"), QStringLiteral("s"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
    QVERIFY(!idle.next(QStringLiteral("EOSE")).isEmpty());
    QSignalSpy idleGone(&idle.socket, &QWebSocket::disconnected);
    QSignalSpy busyGone(&busy.socket, &QWebSocket::disconnected);
    // The busy client keeps sending frames while the idle one sends none.
    const QDeadlineTimer bound(30000);
    while (idleGone.isEmpty() && busyGone.isEmpty() && !bound.hasExpired()) {
        busy.send({QStringLiteral("REQ"), QStringLiteral("b"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
        QVERIFY(!busy.next(QStringLiteral("EOSE")).isEmpty());
    }
    QVERIFY2(!idleGone.isEmpty(), "a client that sends nothing for the idle timeout must be disconnected");
    QCOMPARE(idle.socket.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QVERIFY2(idle.socket.closeReason().startsWith(QStringLiteral("idle")), qPrintable(idle.socket.closeReason()));
    QVERIFY2(busyGone.isEmpty(), "a client that sends frames is not idle");
    busy.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("still here"))});
    QVERIFY(busy.next(QStringLiteral("OK")).at(2).toBool());
}

void TestRelayServer::connectionsPerAddress()
{
    RelayProcess relay(m_dir->path() + QStringLiteral("/perip.sqlite"),
                       {QStringLiteral("--max-connections-per-ip"), QStringLiteral("3")});
    QVERIFY(relay.start());
    auto a = std::make_unique<RawClient>(relay.url());
    RawClient b(relay.url()), c(relay.url());
    QVERIFY(a->waitConnected() && b.waitConnected() && c.waitConnected());
    RawClient fourth(relay.url());
    QSignalSpy refused(&fourth.socket, &QWebSocket::disconnected);
    QVERIFY(refused.wait(10000));
    QCOMPARE(fourth.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QVERIFY2(fourth.socket.closeReason().contains(QStringLiteral("too many connections from your address")),
             qPrintable(fourth.socket.closeReason()));
    // Another address is not concerned.
    HandClient other(relay.url(), QStringLiteral("127.0.0.2"));
    QVERIFY(other.handshake());
    other.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("from 127.0.0.2"))});
    QVERIFY(other.next(QStringLiteral("OK")).at(2).toBool());
    // The first three still work.
    int n = 0;
    for (RawClient* client : {a.get(), &b, &c}) {
        client->send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("client %1").arg(n++))});
        QVERIFY(client->next(QStringLiteral("OK")).at(2).toBool());
    }
    // A connection that leaves frees its slot.
    QSignalSpy aGone(&a->socket, &QWebSocket::disconnected);
    a->socket.close();
    QVERIFY(aGone.count() > 0 || aGone.wait(5000));
    // The relay learns of the departure a moment after the client does: a few tries.
    bool served = false;
    for (int i = 0; i < 5 && !served; ++i) {
        RawClient again(relay.url());
        if (!again.waitConnected())
            continue;
        again.send({QStringLiteral("REQ"), QStringLiteral("s"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
        served = !again.next(QStringLiteral("EOSE"), QString(), 2000).isEmpty();
    }
    QVERIFY2(served, "a slot freed by a connection that left must be given to a new one");
}

void TestRelayServer::halfOpenHandshakesCount()
{
    RelayProcess relay(m_dir->path() + QStringLiteral("/halfopen.sqlite"),
                       {QStringLiteral("--max-connections-per-ip"), QStringLiteral("3")});
    QVERIFY(relay.start());
    const QUrl url(relay.url());
    // Three TCP connections that never send their handshake hold the address's three slots.
    QList<QTcpSocket*> silent;
    for (int i = 0; i < 3; ++i) {
        auto* s = new QTcpSocket(this);
        s->connectToHost(QHostAddress(url.host()), quint16(url.port()));
        QVERIFY(s->waitForConnected(5000));
        silent.append(s);
    }
    // Make sure the relay accepted them before the next one: an honest round trip from elsewhere.
    HandClient other(relay.url(), QStringLiteral("127.0.0.2"));
    QVERIFY(other.handshake());
    other.send({QStringLiteral("REQ"), QStringLiteral("s"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
    QVERIFY(!other.next(QStringLiteral("EOSE")).isEmpty());
    RawClient fourth(relay.url());
    QSignalSpy refused(&fourth.socket, &QWebSocket::disconnected);
    QVERIFY(refused.wait(5000));
    QCOMPARE(fourth.socket.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    qDeleteAll(silent);
}

void TestRelayServer::connectionsInAll()
{
    RelayProcess relay(m_dir->path() + QStringLiteral("/total.sqlite"),
                       {QStringLiteral("--max-connections"), QStringLiteral("2")});
    QVERIFY(relay.start());
    RawClient a(relay.url()), b(relay.url());
    QVERIFY(a.waitConnected() && b.waitConnected());
    // The cap is over all addresses: a third one from another address is told so (1008).
    HandClient third(relay.url(), QStringLiteral("127.0.0.2"));
    QSignalSpy gone(&third.socket, &QTcpSocket::disconnected);
    QVERIFY(third.handshake());
    QVERIFY(gone.count() > 0 || gone.wait(5000));
    QCOMPARE(third.closeCode, int(QWebSocketProtocol::CloseCodePolicyViolated));
    a.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("a"))});
    QVERIFY(a.next(QStringLiteral("OK")).at(2).toBool());
}

void TestRelayServer::eventRatePerAddress()
{
    // A budget of one event, refilled one per 1000 s: every event after the first is refused,
    // however fast or slow this machine is.
    RelayProcess relay(m_dir->path() + QStringLiteral("/evrate.sqlite"),
                       {QStringLiteral("--events-per-second"), QStringLiteral("0.001")});
    QVERIFY(relay.start());
    RawClient a(relay.url()), b(relay.url());
    QVERIFY(a.waitConnected() && b.waitConnected());
    constexpr int kEach = 5;
    for (int i = 0; i < kEach; ++i) {
        a.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("a%1").arg(i))});
        b.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("b%1").arg(i))});
    }
    int accepted = 0, limited = 0;
    for (RawClient* client : {&a, &b}) {
        for (int i = 0; i < kEach; ++i) {
            const QJsonArray ok = client->next(QStringLiteral("OK"));
            QVERIFY(!ok.isEmpty());
            if (ok.at(2).toBool())
                ++accepted;
            else if (ok.at(3).toString().startsWith(QStringLiteral("rate-limited:")))
                ++limited;
        }
    }
    // Per connection, each would have had its own budget: two accepted.
    QCOMPARE(accepted, 1);
    QCOMPARE(limited, 2 * kEach - 1);
    // Another address has its own budget.
    HandClient other(relay.url(), QStringLiteral("127.0.0.2"));
    QVERIFY(other.handshake());
    other.send({QStringLiteral("EVENT"), makeEvent(m_key, 1, {}, QStringLiteral("other address"))});
    QVERIFY(other.next(QStringLiteral("OK")).at(2).toBool());
}

void TestRelayServer::reqRatePerAddress()
{
    RelayProcess relay(m_dir->path() + QStringLiteral("/reqrate.sqlite"),
                       {QStringLiteral("--reqs-per-second"), QStringLiteral("0.001")});
    QVERIFY(relay.start());
    RawClient a(relay.url()), b(relay.url());
    QVERIFY(a.waitConnected() && b.waitConnected());
    constexpr int kEach = 3;
    for (int i = 0; i < kEach; ++i) {
        for (RawClient* client : {&a, &b})
            client->send({QStringLiteral("REQ"), QStringLiteral("s%1").arg(i),
                          QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
    }
    int served = 0, limited = 0;
    for (RawClient* client : {&a, &b}) {
        for (int i = 0; i < kEach; ++i) {
            const QString sub = QStringLiteral("s%1").arg(i);
            QJsonArray answer;
            QVERIFY(QTest::qWaitFor(
                [&] {
                    for (qsizetype k = 0; k < client->frames.size(); ++k)
                        if (client->frames[k].at(1).toString() == sub) {
                            answer = client->frames.takeAt(k);
                            return true;
                        }
                    return false;
                },
                10000));
            if (answer.at(0).toString() == QLatin1String("EOSE"))
                ++served;
            else if (answer.at(0).toString() == QLatin1String("CLOSED") &&
                     answer.at(2).toString().startsWith(QStringLiteral("rate-limited:")))
                ++limited;
        }
    }
    QCOMPARE(served, 1);
    QCOMPARE(limited, 2 * kEach - 1);
    HandClient other(relay.url(), QStringLiteral("127.0.0.2"));
    QVERIFY(other.handshake());
    other.send({QStringLiteral("REQ"), QStringLiteral("o"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
    QVERIFY(!other.next(QStringLiteral("EOSE")).isEmpty());
}

void TestRelayServer::filterCostBounds()
{
    RawClient c(m_relay->url()), other(m_relay->url());
    QVERIFY(c.waitConnected() && other.waitConnected());
    auto values = [](int n) {
        QJsonArray a;
        for (int i = 0; i < n; ++i)
            a.append(QString::number(i));
        return a;
    };
    auto tags = [&](int letters, int perLetter) {
        QJsonObject f;
        for (int i = 0; i < letters; ++i)
            f.insert(QLatin1Char('#') + QChar(QLatin1Char('a' + i)), values(perLetter));
        return f;
    };
    auto closedReason = [&](const QString& sub, const QJsonArray& filters) {
        QJsonArray frame{QStringLiteral("REQ"), sub};
        for (const QJsonValue& f : filters)
            frame.append(f);
        c.send(frame);
        const QJsonArray closed = c.next(QStringLiteral("CLOSED"), sub);
        return closed.at(2).toString();
    };
    QString why = closedReason(QStringLiteral("letters"), {tags(26, 300)});
    QVERIFY2(why.startsWith(QStringLiteral("invalid:")) && why.contains(QStringLiteral("at most 5 tag conditions")),
             qPrintable(why));
    why = closedReason(QStringLiteral("values"), {QJsonObject{{QStringLiteral("#h"), values(101)}}});
    QVERIFY2(why.contains(QStringLiteral("\"#h\" may hold at most 100 values")), qPrintable(why));
    QJsonArray ids;
    for (int i = 0; i < 501; ++i)
        ids.append(QStringLiteral("%1").arg(i, 64, 10, QLatin1Char('0')));
    why = closedReason(QStringLiteral("ids"), {QJsonObject{{QStringLiteral("ids"), ids}}});
    QVERIFY2(why.contains(QStringLiteral("\"ids\" may hold at most 500 values")), qPrintable(why));
    why = closedReason(QStringLiteral("total"), {tags(4, 100), tags(4, 100), tags(4, 100)});
    QVERIFY2(why.contains(QStringLiteral("at most 1000 values")), qPrintable(why));
    // At the bounds themselves a REQ is served.
    c.send({QStringLiteral("REQ"), QStringLiteral("edge"), tags(5, 100)});
    QVERIFY(!c.next(QStringLiteral("EOSE"), QStringLiteral("edge")).isEmpty());
    // And so is everyone else.
    other.send({QStringLiteral("REQ"), QStringLiteral("n"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
    QVERIFY(!other.next(QStringLiteral("EOSE"), QStringLiteral("n")).isEmpty());

    // The bounds are options of the daemon.
    RelayProcess strict(m_dir->path() + QStringLiteral("/strict.sqlite"),
                        {QStringLiteral("--max-values-per-tag"), QStringLiteral("2"),
                         QStringLiteral("--max-tags-per-filter"), QStringLiteral("1"),
                         QStringLiteral("--max-ids-per-filter"), QStringLiteral("1"),
                         QStringLiteral("--max-values-per-req"), QStringLiteral("3")});
    QVERIFY(strict.start());
    RawClient s(strict.url());
    QVERIFY(s.waitConnected());
    auto strictReason = [&](const QString& sub, const QJsonArray& filters) {
        QJsonArray frame{QStringLiteral("REQ"), sub};
        for (const QJsonValue& f : filters)
            frame.append(f);
        s.send(frame);
        return s.next(QStringLiteral("CLOSED"), sub).at(2).toString();
    };
    why = strictReason(QStringLiteral("a"), {QJsonObject{{QStringLiteral("#h"), values(3)}}});
    QVERIFY2(why.contains(QStringLiteral("\"#h\" may hold at most 2 values")), qPrintable(why));
    why = strictReason(QStringLiteral("b"), {tags(2, 1)});
    QVERIFY2(why.contains(QStringLiteral("at most 1 tag conditions")), qPrintable(why));
    why = strictReason(QStringLiteral("c"), {QJsonObject{{QStringLiteral("authors"), QJsonArray{ids[0], ids[1]}}}});
    QVERIFY2(why.contains(QStringLiteral("\"authors\" may hold at most 1 values")), qPrintable(why));
    why = strictReason(QStringLiteral("d"), {tags(1, 2), tags(1, 2)});
    QVERIFY2(why.contains(QStringLiteral("at most 3 values")), qPrintable(why));
    s.send({QStringLiteral("REQ"), QStringLiteral("e"), tags(1, 2)});
    QVERIFY(!s.next(QStringLiteral("EOSE"), QStringLiteral("e")).isEmpty());
}

void TestRelayServer::badLimitOptionsRefused_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString twice = QStringLiteral("--max-pending-output-bytes must be an integer of at least twice");
    QTest::newRow("output cap below two frames")
        << QStringList{QStringLiteral("--max-pending-output-bytes"), QStringLiteral("131071")} << twice;
    QTest::newRow("output cap below two larger frames")
        << QStringList{QStringLiteral("--max-message-bytes"), QStringLiteral("100000"),
                       QStringLiteral("--max-pending-output-bytes"), QStringLiteral("150000")}
        << twice;
    QTest::newRow("output cap not a number")
        << QStringList{QStringLiteral("--max-pending-output-bytes"), QStringLiteral("8M")} << twice;
    QTest::newRow("idle zero") << QStringList{QStringLiteral("--idle-timeout-s"), QStringLiteral("0")}
                               << QStringLiteral("--idle-timeout-s must be an integer from 1 to 86400");
    QTest::newRow("idle over a day") << QStringList{QStringLiteral("--idle-timeout-s"), QStringLiteral("86401")}
                                     << QStringLiteral("--idle-timeout-s must be an integer from 1 to 86400");
    QTest::newRow("connections zero") << QStringList{QStringLiteral("--max-connections"), QStringLiteral("0")}
                                      << QStringLiteral("--max-connections must be a positive integer");
    QTest::newRow("per ip negative") << QStringList{QStringLiteral("--max-connections-per-ip"), QStringLiteral("-1")}
                                     << QStringLiteral("--max-connections-per-ip must be a positive integer");
    QTest::newRow("tags per filter over 52")
        << QStringList{QStringLiteral("--max-tags-per-filter"), QStringLiteral("53")}
        << QStringLiteral("--max-tags-per-filter must be an integer from 1 to 52");
    QTest::newRow("ids per filter zero") << QStringList{QStringLiteral("--max-ids-per-filter"), QStringLiteral("0")}
                                         << QStringLiteral("--max-ids-per-filter must be an integer from 1 to 1000");
    QTest::newRow("values per tag over the parser's 1000")
        << QStringList{QStringLiteral("--max-values-per-tag"), QStringLiteral("1001")}
        << QStringLiteral("--max-values-per-tag must be an integer from 1 to 1000");
    QTest::newRow("values per req not a number")
        << QStringList{QStringLiteral("--max-values-per-req"), QStringLiteral("many")}
        << QStringLiteral("--max-values-per-req must be an integer from 1 to 100000");
    QTest::newRow("reqs zero") << QStringList{QStringLiteral("--reqs-per-second"), QStringLiteral("0")}
                               << QStringLiteral("--reqs-per-second must be a positive number");
}

void TestRelayServer::badLimitOptionsRefused()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QProcess relay;
    relay.start(QStringLiteral(UW_RELAY_PATH),
                QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--db"),
                            m_dir->path() + QStringLiteral("/options.sqlite")} +
                    args);
    QVERIFY(relay.waitForFinished(10000));
    QCOMPARE(relay.exitCode(), 2);
    const QString err = QString::fromUtf8(relay.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY2(relay.readAllStandardOutput().isEmpty(), "a refused option must not start the relay");
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

void TestRelayServer::framesAreReadStrictly()
{
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
    // A content that opens with U+FEFF is part of what was signed (nostr-tools signs it so).
    const QJsonObject bom =
        makeEvent(m_key, 1, hTag(QStringLiteral("strict")), QString(QChar(0xFEFF)) + QStringLiteral("hello"));
    c.send({QStringLiteral("EVENT"), bom});
    const QJsonArray ok = c.next(QStringLiteral("OK"));
    QCOMPARE(ok.at(1).toString(), bom.value(QStringLiteral("id")).toString());
    QVERIFY2(ok.at(2).toBool(), qPrintable(ok.at(3).toString()));

    // Texts other clients would read differently are refused and not stored.
    auto sendEdited = [&](const QJsonObject& e, const QByteArray& from, const QByteArray& to) {
        QByteArray text = QJsonDocument(QJsonArray{QStringLiteral("EVENT"), e}).toJson(QJsonDocument::Compact);
        QVERIFY(text.contains(from));
        c.sendRaw(QString::fromUtf8(text.replace(from, to)));
    };
    const QJsonObject floatTime = makeEvent(m_key, 1, hTag(QStringLiteral("strict")), QStringLiteral("float time"));
    const QByteArray created =
        "\"created_at\":" + QByteArray::number(floatTime.value(QStringLiteral("created_at")).toInteger());
    sendEdited(floatTime, created, created + ".0");
    QVERIFY(c.next(QStringLiteral("NOTICE")).at(1).toString().contains(QStringLiteral("fraction or an exponent")));
    const QJsonObject expTime = makeEvent(m_key, 1, hTag(QStringLiteral("strict")), QStringLiteral("exp time"), 1);
    sendEdited(expTime, "\"created_at\":1,", "\"created_at\":1e0,");
    QVERIFY(c.next(QStringLiteral("NOTICE")).at(1).toString().contains(QStringLiteral("fraction or an exponent")));
    const QJsonObject twice = makeEvent(m_key, 1, hTag(QStringLiteral("strict")), QStringLiteral("the real one"));
    sendEdited(twice, "{\"content\":", "{\"content\":\"forged\",\"content\":");
    QVERIFY(c.next(QStringLiteral("NOTICE")).at(1).toString().contains(QStringLiteral("twice")));

    c.send({QStringLiteral("REQ"), QStringLiteral("strict"),
            QJsonObject{{QStringLiteral("#h"), QJsonArray{QStringLiteral("strict")}}}});
    const QJsonArray only = c.next(QStringLiteral("EVENT"), QStringLiteral("strict"));
    QCOMPARE(only.at(2).toObject().value(QStringLiteral("id")), bom.value(QStringLiteral("id")));
    QVERIFY(!c.next(QStringLiteral("EOSE"), QStringLiteral("strict")).isEmpty());
    QVERIFY2(c.next(QStringLiteral("EVENT"), QStringLiteral("strict"), 0).isEmpty(), "a refused event was stored");
}

void TestRelayServer::olderReplaceableAnsweredDuplicate()
{
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QJsonObject newer = makeEvent(m_key, 0, QJsonArray(), QStringLiteral("{\"name\":\"new\"}"), now);
    const QJsonObject older = makeEvent(m_key, 0, QJsonArray(), QStringLiteral("{\"name\":\"old\"}"), now - 60);
    c.send({QStringLiteral("EVENT"), newer});
    QVERIFY(c.next(QStringLiteral("OK")).at(2).toBool());
    c.send({QStringLiteral("EVENT"), older});
    const QJsonArray ok = c.next(QStringLiteral("OK"));
    QCOMPARE(ok.at(1).toString(), older.value(QStringLiteral("id")).toString());
    QVERIFY(ok.at(2).toBool());
    QVERIFY(ok.at(3).toString().startsWith(QStringLiteral("duplicate:")));
    c.send({QStringLiteral("REQ"), QStringLiteral("k0"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{0}}}});
    QCOMPARE(c.next(QStringLiteral("EVENT"), QStringLiteral("k0")).at(2).toObject(), newer);
    QVERIFY(!c.next(QStringLiteral("EOSE"), QStringLiteral("k0")).isEmpty());
    QVERIFY(c.next(QStringLiteral("EVENT"), QStringLiteral("k0"), 0).isEmpty());
}

void TestRelayServer::pipelinedBurstsAllAnswered()
{
    // Four connections pipeline their events without waiting for answers, as a fast publisher
    // does. Every event gets its OK (none dropped by a connection closed under load): the relay
    // reads each connection in slices of at most twice --max-message-bytes, so one client's
    // backlog never starves the others. (The bench's 20,000-event run lost 1,576 answers before.)
    RelayProcess relay(m_dir->path() + QStringLiteral("/burst.sqlite"),
                       {QStringLiteral("--events-per-second"), QStringLiteral("1000000"),
                        QStringLiteral("--max-message-bytes"), QStringLiteral("2048")});
    QVERIFY(relay.start());
    constexpr int kConnections = 4, kPerConnection = 400;
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int c = 0; c < kConnections; ++c) {
        clients.push_back(std::make_unique<RawClient>(relay.url()));
        QVERIFY(clients.back()->waitConnected());
    }
    QSet<QString> sent;
    for (int i = 0; i < kPerConnection; ++i)
        for (int c = 0; c < kConnections; ++c) {
            const QJsonObject e = makeEvent(m_key, 1, hTag(QStringLiteral("burst")),
                                            QStringLiteral("event %1 of connection %2").arg(i).arg(c));
            sent.insert(e.value(QStringLiteral("id")).toString());
            clients[std::size_t(c)]->send({QStringLiteral("EVENT"), e});
        }
    auto answered = [&] {
        qsizetype n = 0;
        for (auto& c : clients)
            n += std::count_if(c->frames.cbegin(), c->frames.cend(),
                               [](const QJsonArray& f) { return f.at(0).toString() == QLatin1String("OK"); });
        return n;
    };
    QTRY_COMPARE_WITH_TIMEOUT(answered(), qsizetype(kConnections * kPerConnection), 120000);
    QSet<QString> accepted;
    for (auto& c : clients) {
        QCOMPARE(c->socket.state(), QAbstractSocket::ConnectedState);
        for (const QJsonArray& f : std::as_const(c->frames))
            if (f.at(0).toString() == QLatin1String("OK") && f.at(2).toBool())
                accepted.insert(f.at(1).toString());
    }
    QCOMPARE(accepted, sent);
}

void TestRelayServer::informationDocument()
{
    // NIP-11: an HTTP GET asking for application/nostr+json on the relay's own port gets what the
    // relay is and its limits, with CORS headers; the same port still speaks WebSocket.
    QString http = m_relay->url();
    http.replace(QStringLiteral("ws://"), QStringLiteral("http://"));
    QNetworkAccessManager nam;
    QNetworkRequest request{QUrl(http)};
    request.setRawHeader("Accept", "application/nostr+json");
    std::unique_ptr<QNetworkReply> reply(nam.get(request));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), QStringLiteral("application/nostr+json"));
    QCOMPARE(reply->rawHeader("Access-Control-Allow-Origin"), QByteArray("*"));
    const QJsonObject info = QJsonDocument::fromJson(reply->readAll()).object();
    QCOMPARE(info.value(QStringLiteral("software")).toString(), QStringLiteral("userwallet-relay"));
    QVERIFY(!info.value(QStringLiteral("version")).toString().isEmpty());
    const QJsonArray nips = info.value(QStringLiteral("supported_nips")).toArray();
    QVERIFY(nips.contains(1) && nips.contains(11) && nips.contains(40));
    const QJsonObject limits = info.value(QStringLiteral("limitation")).toObject();
    QCOMPARE(limits.value(QStringLiteral("max_message_length")).toInteger(), 65536);
    QCOMPARE(limits.value(QStringLiteral("max_subscriptions")).toInteger(), 5); // init() starts it so
    QCOMPARE(limits.value(QStringLiteral("auth_required")).toBool(true), false);

    // Headers that come in pieces are waited for; a WebSocket client is served as before.
    QTcpSocket slow;
    slow.connectToHost(QHostAddress::LocalHost, m_relay->port());
    QVERIFY(slow.waitForConnected(10000));
    slow.write("GET / HTTP/1.1\r\nHost: relay\r\n");
    QVERIFY(slow.waitForBytesWritten(10000)); // the first part leaves before the second is written
    slow.write("Accept: application/nostr+json\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(slow.bytesAvailable() > 0 && slow.peek(4096).contains("supported_nips"), 10000);
    QVERIFY(slow.readAll().startsWith("HTTP/1.1 200"));
    RawClient c(m_relay->url());
    QVERIFY(c.waitConnected());
}

void TestRelayServer::publishingDoesNotWaitForQueries()
{
    // In process, with the query thread held at its gate: a REQ's stored events are on their way
    // (no EOSE), and meanwhile another client's EVENT is answered and delivered live. Before the
    // queries left the event loop, the EVENT waited behind them.
    auto store = RelayStore::open(m_dir->path() + QStringLiteral("/gate.sqlite"));
    QVERIFY(store);
    RelayServer server(std::move(*store), RelayLimits{}, SystemClock::instance());
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QString url = server.url();
    auto gate = std::make_shared<QSemaphore>(0);
    server.queries().setGateForTesting(gate);

    RawClient reader(url), publisher(url);
    QVERIFY(reader.waitConnected());
    QVERIFY(publisher.waitConnected());
    reader.send({QStringLiteral("REQ"), QStringLiteral("sub"), QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}}}});
    QTRY_COMPARE(server.queries().pending(), 1); // the REQ waits at the gate

    const QJsonObject e = makeEvent(m_key, 1, {}, QStringLiteral("published while a query runs"));
    publisher.send({QStringLiteral("EVENT"), e});
    const QJsonArray ok = publisher.next(QStringLiteral("OK"));
    QCOMPARE(ok.at(1).toString(), e.value(QStringLiteral("id")).toString());
    QVERIFY(ok.at(2).toBool());
    // The subscription is live already: the event reaches it before its stored events do.
    QCOMPARE(reader.next(QStringLiteral("EVENT"), QStringLiteral("sub")).at(2).toObject(), e);
    QVERIFY(reader.next(QStringLiteral("EOSE"), QString(), 0).isEmpty());

    gate->release();
    QCOMPARE(reader.next(QStringLiteral("EOSE")).at(1).toString(), QStringLiteral("sub"));
    QCOMPARE(server.queries().pending(), 0);
}

QTEST_GUILESS_MAIN(TestRelayServer)
#include "test_relay_server.moc"
