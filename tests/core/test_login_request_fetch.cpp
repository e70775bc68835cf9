// A service's login request reaching device 1: fetched over real loopback sockets with its limits
// (size, time, scheme, redirects), parsed strictly, and checked for this device by a real
// LoginSession over a real relay daemon, which must hold nothing after a refusal.
#include "devices/LoginSession.h"
#include "login/LoginLink.h"
#include "login/LoginRequestFetcher.h"
#include "relay/RelayPool.h"
#include "support/HttpTestServer.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

/// A loopback HTTP server whose answers the test writes by hand: a raw answer per path, a body
/// streamed for ever, or silence.
class RawServer : public QObject
{
public:
    enum class Mode
    {
        Answer, ///< the raw bytes of `answers[path]` (404 for another path), then close
        Stream, ///< a 200 head without length, then body bytes until the client goes
        Silent  ///< reads the request and never answers
    };
    Mode mode = Mode::Answer;
    QHash<QByteArray, QByteArray> answers;
    qint64 streamed = 0;
    bool clientGone = false;
    static constexpr qint64 kStreamLimit = 64 * 1024 * 1024;

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                s->setParent(this);
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onRequest(s); });
                connect(s, &QTcpSocket::disconnected, this, [this] { clientGone = true; });
            }
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    QString url(const QString& path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }

private:
    void onRequest(QTcpSocket* s)
    {
        m_buffer[s] += s->readAll();
        const QByteArray head = m_buffer.value(s);
        if (!head.contains("\r\n\r\n") || s->property("answered").toBool())
            return;
        s->setProperty("answered", true);
        const QByteArray path = head.split(' ').value(1);
        switch (mode) {
        case Mode::Silent:
            return;
        case Mode::Answer:
            s->write(answers.value(path, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            s->disconnectFromHost();
            return;
        case Mode::Stream:
            s->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[");
            connect(s, &QTcpSocket::bytesWritten, this, [this, s] {
                // One more chunk each time the last left: as fast as the client reads, no faster.
                if (s->state() == QAbstractSocket::ConnectedState && s->bytesToWrite() == 0 &&
                    streamed < kStreamLimit) {
                    streamed += s->write(QByteArray(16 * 1024, ' '));
                }
            });
            streamed += s->write(QByteArray(16 * 1024, ' '));
            return;
        }
    }
    QTcpServer m_server;
    QHash<QTcpSocket*, QByteArray> m_buffer;
};

QByteArray compact(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray answer(int status, const QByteArray& body, const QByteArray& extraHeaders = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) +
           " X\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" +
           extraHeaders + "Connection: close\r\n\r\n" + body;
}

/// The members array of a request as JSON, for the tables that break one rule.
QJsonObject memberJson(const QString& id, int cardinality, const QList<TestPair>& pairs, const QStringList& deps = {})
{
    LoginRequest r;
    r.members = {makeMember(id, cardinality, pairs, deps)};
    return r.toJson().value(QStringLiteral("members")).toArray().first().toObject();
}

} // namespace

class TestLoginRequestFetch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void fetchesOverLoopback();
    void followsAnAllowedRedirectOnly();
    void refusesWhatItMayNotFetch_data();
    void refusesWhatItMayNotFetch();
    void stopsReadingPastTheLimit();
    void refusesAnAnnouncedLargeBody();
    void givesUpOnASilentService();
    void badRequests_data();
    void badRequests();
    void messagesRefuseCyclesToo();
    void sessionRefusesBeforePublishing_data();
    void sessionRefusesBeforePublishing();
    void sessionFetchRefusesForThisDevice();
    void messageFollowsTheRequest();
    void links_data();
    void links();

private:
    LoginRequest request(const QList<MemberRequirement>& members) const;
    int storedLoginEvents();

    QTemporaryDir m_dir;
    RelayProcess* m_relay = nullptr;
    TestPair m_a1, m_a2, m_b1, m_stranger;
    ManualClock m_clock{kNow};
};

void TestLoginRequestFetch::initTestCase()
{
    m_a1 = makePair();
    m_a2 = makePair();
    m_b1 = makePair();
    m_stranger = makePair();
    m_relay = new RelayProcess(m_dir.filePath(QStringLiteral("relay.sqlite")));
    QVERIFY(m_relay->start());
}

void TestLoginRequestFetch::cleanupTestCase()
{
    delete m_relay;
}

LoginRequest TestLoginRequestFetch::request(const QList<MemberRequirement>& members) const
{
    LoginRequest r;
    r.service = QStringLiteral("forum");
    r.callback = QStringLiteral("http://127.0.0.1:9/callback");
    r.members = members;
    r.ttlSeconds = 300;
    return r;
}

int TestLoginRequestFetch::storedLoginEvents()
{
    // Everything this test's devices could have published: the login message and signatures.
    RelayPool pool({m_relay->url()});
    QSignalSpy eose(&pool, &RelayPool::endOfStoredEvents);
    QSignalSpy events(&pool, &RelayPool::eventReceived);
    pool.start();
    NostrFilter f;
    f.kinds = {9240, 9241};
    pool.subscribe(QStringLiteral("all"), {f});
    if (!eose.wait(10000))
        return -1;
    pool.stop();
    return int(events.size());
}

void TestLoginRequestFetch::fetchesOverLoopback()
{
    HttpTestServer server;
    QVERIFY(server.listen());
    const LoginRequest expected = request({makeMember(QStringLiteral("alice"), 1, {m_a1})});
    server.setResponse(200, compact(expected.toJson()));
    LoginRequestFetcher fetcher;
    QSignalSpy fetched(&fetcher, &LoginRequestFetcher::fetched);
    QSignalSpy failed(&fetcher, &LoginRequestFetcher::failed);
    fetcher.fetch(server.url(QStringLiteral("/login-request")));
    QVERIFY(fetcher.isFetching());
    QVERIFY2(fetched.wait(10000), qPrintable(failed.value(0).value(1).toString()));
    QCOMPARE(fetched.first().first().value<LoginRequest>(), expected);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(server.requests().size(), 1);
    QCOMPARE(server.requests().first().method, QByteArray("GET"));
    QCOMPARE(server.requests().first().path, QByteArray("/login-request"));
    QVERIFY(!fetcher.isFetching());
}

void TestLoginRequestFetch::followsAnAllowedRedirectOnly()
{
    RawServer server;
    QVERIFY(server.listen());
    const LoginRequest expected = request({makeMember(QStringLiteral("alice"), 1, {m_a1})});
    server.answers.insert("/moved", answer(302, {}, "Location: /request\r\n"));
    server.answers.insert("/request", answer(200, compact(expected.toJson())));
    server.answers.insert("/away", answer(302, {}, "Location: http://shop.example/request\r\n"));
    LoginRequestFetcher fetcher;
    QSignalSpy fetched(&fetcher, &LoginRequestFetcher::fetched);
    QSignalSpy failed(&fetcher, &LoginRequestFetcher::failed);
    fetcher.fetch(server.url(QStringLiteral("/moved")));
    QVERIFY2(fetched.wait(10000), qPrintable(failed.value(0).value(1).toString()));
    QCOMPARE(fetched.first().first().value<LoginRequest>(), expected);

    // A redirect to plain http:// outside this machine is not followed.
    fetcher.fetch(server.url(QStringLiteral("/away")));
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("redirect_refused"));
    QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("http://shop.example/request")),
             qPrintable(failed.first().at(1).toString()));
    QCOMPARE(fetched.size(), 1);
}

void TestLoginRequestFetch::refusesWhatItMayNotFetch_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says");
    // Nothing leaves the machine for these: the address itself is refused.
    QTest::newRow("plain http to another host") << "http://shop.example/login-request"
                                                << "bad_request_url"
                                                << "only https:// is accepted";
    QTest::newRow("plain http to a private address") << "http://192.168.1.10/login-request"
                                                     << "bad_request_url"
                                                     << "only https:// is accepted";
    QTest::newRow("ftp") << "ftp://shop.example/r.json"
                         << "bad_request_url"
                         << "must start with https://";
    QTest::newRow("file") << "file:///etc/passwd"
                          << "bad_request_url"
                          << "not a valid URL";
    QTest::newRow("user and password") << "https://me:pw@shop.example/r"
                                       << "bad_request_url"
                                       << "not a valid URL";
    QTest::newRow("no host") << "https:///r"
                             << "bad_request_url"
                             << "not a valid URL";
    QTest::newRow("not a URL") << "login request"
                               << "bad_request_url"
                               << "not a valid URL";
    // Reached, and refused for what it answers.
    QTest::newRow("HTTP 404") << "RAW:/missing"
                              << "http_status"
                              << "answered HTTP 404";
    QTest::newRow("not JSON") << "RAW:/text"
                              << "invalid_request"
                              << "Malformed JSON";
    QTest::newRow("JSON, not a request") << "RAW:/array"
                                         << "invalid_request"
                                         << "not a JSON object";
    QTest::newRow("nobody listens") << "CLOSED"
                                    << "unreachable"
                                    << "could not be fetched";
}

void TestLoginRequestFetch::refusesWhatItMayNotFetch()
{
    QFETCH(QString, url);
    QFETCH(QString, code);
    QFETCH(QString, says);
    RawServer server;
    QVERIFY(server.listen());
    server.answers.insert("/text", answer(200, "hello, this is not JSON"));
    server.answers.insert("/array", answer(200, "[1,2,3]"));
    if (url.startsWith(QStringLiteral("RAW:")))
        url = server.url(url.mid(4));
    if (url == QLatin1String("CLOSED")) {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        url = QStringLiteral("http://127.0.0.1:%1/r").arg(closed.serverPort());
    } // the port is free again: nobody answers there
    LoginRequestFetcher fetcher;
    QSignalSpy fetched(&fetcher, &LoginRequestFetcher::fetched);
    QSignalSpy failed(&fetcher, &LoginRequestFetcher::failed);
    fetcher.fetch(url);
    QCOMPARE(failed.size(), 0); // never from inside fetch()
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().at(0).toString(), code);
    QVERIFY2(failed.first().at(1).toString().contains(says), qPrintable(failed.first().at(1).toString()));
    QCOMPARE(fetched.size(), 0);
}

void TestLoginRequestFetch::stopsReadingPastTheLimit()
{
    // No length announced: the body is read as it comes, and abandoned the moment it passes 64 KiB.
    RawServer server;
    server.mode = RawServer::Mode::Stream;
    QVERIFY(server.listen());
    LoginRequestFetcher fetcher;
    QSignalSpy failed(&fetcher, &LoginRequestFetcher::failed);
    fetcher.fetch(server.url(QStringLiteral("/huge")));
    QVERIFY(failed.wait(20000));
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("too_large"));
    QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("larger than 64 KiB")),
             qPrintable(failed.first().at(1).toString()));
    // The connection is closed: the service could not make us read its 64 MiB.
    QTRY_VERIFY_WITH_TIMEOUT(server.clientGone, 10000);
    QVERIFY2(server.streamed < RawServer::kStreamLimit, qPrintable(QString::number(server.streamed)));
}

void TestLoginRequestFetch::refusesAnAnnouncedLargeBody()
{
    RawServer server;
    QVERIFY(server.listen());
    server.answers.insert("/big", "HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n{");
    LoginRequestFetcher fetcher;
    QSignalSpy failed(&fetcher, &LoginRequestFetcher::failed);
    fetcher.fetch(server.url(QStringLiteral("/big")));
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("too_large"));
    QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("10000000 bytes")),
             qPrintable(failed.first().at(1).toString()));
}

void TestLoginRequestFetch::givesUpOnASilentService()
{
    RawServer server;
    server.mode = RawServer::Mode::Silent;
    QVERIFY(server.listen());
    LoginRequestFetcher fetcher(nullptr, 300); // a short limit, injected
    QSignalSpy failed(&fetcher, &LoginRequestFetcher::failed);
    fetcher.fetch(server.url(QStringLiteral("/slow")));
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("timeout"));
    QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("within 0.3 s")),
             qPrintable(failed.first().at(1).toString()));
    QTRY_VERIFY(server.clientGone); // and the connection is not left open
}

void TestLoginRequestFetch::badRequests_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("says");
    const LoginRequest good = request({makeMember(QStringLiteral("alice"), 1, {m_a1, m_a2}),
                                       makeMember(QStringLiteral("bob"), 1, {m_b1}, {QStringLiteral("alice")})});
    const QJsonObject json = good.toJson();
    auto withMembers = [&](const QJsonArray& members) {
        QJsonObject o = json;
        o.insert(QStringLiteral("members"), members);
        return compact(o);
    };
    const QJsonObject alice = memberJson(QStringLiteral("alice"), 1, {m_a1, m_a2});
    QJsonObject aliceAfterBob = alice;
    aliceAfterBob.insert(QStringLiteral("depends_on"), QJsonArray{QStringLiteral("bob")});
    const QJsonObject bobAfterAlice = memberJson(QStringLiteral("bob"), 1, {m_b1}, {QStringLiteral("alice")});
    const QJsonObject carolAfterBob = memberJson(QStringLiteral("carol"), 1, {m_stranger}, {QStringLiteral("bob")});
    QJsonObject bobAfterCarol = bobAfterAlice;
    bobAfterCarol.insert(QStringLiteral("depends_on"), QJsonArray{QStringLiteral("carol")});
    QJsonObject none = alice;
    none.insert(QStringLiteral("cardinalite_minimale"), 0);
    QJsonObject three = alice;
    three.insert(QStringLiteral("cardinalite_minimale"), 3);
    QJsonObject expired = json;
    expired.insert(QStringLiteral("expires_at"), -1);

    QTest::newRow("not JSON") << QByteArray("login please") << "Malformed JSON";
    QTest::newRow("not an object") << QByteArray("[\"login-request\"]") << "not a JSON object";
    QTest::newRow("too large") << compact(json) + QByteArray(LoginRequest::kMaxBytes, ' ') << "at most 65536";
    QTest::newRow("duplicate members") << withMembers({alice, alice}) << "member \"alice\" is listed twice";
    QTest::newRow("dependency cycle") << withMembers({aliceAfterBob, bobAfterAlice})
                                      << "depend on each other in a circle (alice -> bob -> alice)";
    QTest::newRow("longer cycle") << withMembers({alice, bobAfterCarol, carolAfterBob})
                                  << "in a circle (bob -> carol -> bob)";
    QTest::newRow("depends on itself") << withMembers({memberJson(QStringLiteral("alice"), 1, {m_a1},
                                                                  {QStringLiteral("alice")})})
                                       << "member \"alice\" depends on itself";
    QTest::newRow("unknown depends_on") << withMembers({alice, carolAfterBob})
                                        << "member \"carol\" depends on \"bob\", who is not among the members";
    QTest::newRow("cardinality 0") << withMembers({none}) << "cardinalite_minimale must be an integer from 1";
    QTest::newRow("cardinality above the pairs")
        << withMembers({three}) << "member \"alice\" requires 3 signatures but has only 2 pairs";
    QTest::newRow("duplicate key") << QByteArray(compact(json)).replace("\"v\":1", "\"v\":1,\"v\":1") << "twice";
    QTest::newRow("expires_at negative") << compact(expired) << "expires_at must be an integer";
    QTest::newRow("plain http callback outside this machine")
        << QByteArray(compact(json)).replace("http://127.0.0.1:9/callback", "http://shop.example/callback")
        << "uses plain http:// outside this machine";
}

void TestLoginRequestFetch::badRequests()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, says);
    auto parsed = LoginRequest::fromBytes(text);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, QStringLiteral("invalid_request"));
    QVERIFY2(parsed.error().message.startsWith(QStringLiteral("Invalid login request: ")),
             qPrintable(parsed.error().message));
    QVERIFY2(parsed.error().message.contains(says), qPrintable(parsed.error().message));

    // The same bytes served over HTTP are refused with the same words.
    HttpTestServer server;
    QVERIFY(server.listen());
    server.setResponse(200, text);
    LoginRequestFetcher fetcher;
    QSignalSpy failed(&fetcher, &LoginRequestFetcher::failed);
    fetcher.fetch(server.url(QStringLiteral("/r")));
    QVERIFY(failed.wait(10000));
    QVERIFY2(
        failed.first().at(1).toString().contains(says) ||
            (text.size() > LoginRequest::kMaxBytes && failed.first().at(0).toString() == QLatin1String("too_large")),
        qPrintable(failed.first().at(1).toString()));
}

void TestLoginRequestFetch::messagesRefuseCyclesToo()
{
    // The login message's members obey the same rule: device 1 cannot be made to publish a circle.
    MemberRequirement a = makeMember(QStringLiteral("alice"), 1, {m_a1}, {QStringLiteral("bob")});
    MemberRequirement b = makeMember(QStringLiteral("bob"), 1, {m_b1}, {QStringLiteral("alice")});
    LoginMessage m = makeChallenge({makeMember(QStringLiteral("alice"), 1, {m_a1})}, kNow).message;
    m.members = {a, b};
    auto parsed = LoginMessage::fromJson(m.toJson());
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().code, QStringLiteral("invalid_message"));
    QVERIFY2(parsed.error().message.contains(QStringLiteral("circle")), qPrintable(parsed.error().message));
    // A dependency on an absent member stays a message the parser accepts (docs/PROTOCOL.md): its
    // proof fails with dependency_unsatisfied.
    b.dependsOn = {QStringLiteral("carol")};
    QVERIFY(LoginMessage::fromJson(makeChallenge({b}, kNow).message.toJson()).ok());
}

void TestLoginRequestFetch::sessionRefusesBeforePublishing_data()
{
    QTest::addColumn<LoginRequest>("request");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says");
    const MemberRequirement alice = makeMember(QStringLiteral("alice"), 1, {m_a1, m_a2});
    LoginRequest callback = request({alice});
    callback.callback = QStringLiteral("http://shop.example/callback");
    QTest::newRow("callback to plain http outside this machine") << callback << "bad_callback"
                                                                 << "uses plain http:// outside this machine";
    QTest::newRow("no member of this device")
        << request({makeMember(QStringLiteral("bob"), 1, {m_b1})}) << "not_a_member"
        << "does not ask member \"alice\" to sign (it asks \"bob\"): it is not for this device";
    QTest::newRow("not registered") << request({makeMember(QStringLiteral("alice"), 1, {m_a2, m_stranger})})
                                    << "not_registered"
                                    << "This device is not registered with forum";
    // Listed as a device of another member only: still not registered for alice.
    QTest::newRow("this device under another member")
        << request({makeMember(QStringLiteral("alice"), 1, {m_a2}), makeMember(QStringLiteral("bob"), 1, {m_a1})})
        << "not_registered"
        << "This device is not registered with forum";
    TestPair swapped = m_a1;
    swapped.pubkey = m_stranger.pubkey;
    QTest::newRow("this device's id with another key")
        << request({makeMember(QStringLiteral("alice"), 1, {swapped})}) << "key_mismatch"
        << "with a key that is not this device's key";
    LoginRequest expired = request({alice});
    expired.expiresAt = kNow - 1;
    QTest::newRow("expired") << expired << "request_expired"
                             << "expired at";
}

void TestLoginRequestFetch::sessionRefusesBeforePublishing()
{
    QFETCH(LoginRequest, request);
    QFETCH(QString, code);
    QFETCH(QString, says);
    const int before = storedLoginEvents();
    QVERIFY(before >= 0);
    auto keys = std::make_shared<const KeyRing>(makeRing({m_a1}));
    LoginSession session(
        {m_relay->url()}, keys,
        {makeMember(QStringLiteral("alice"), 1, {m_a1, m_a2}), m_dir.filePath(QStringLiteral("wallet.sqlite")), 30, {}},
        m_clock);
    auto checked = session.checkRequest(request);
    QVERIFY(!checked);
    QCOMPARE(checked.error().code, code);
    QVERIFY2(checked.error().message.contains(says), qPrintable(checked.error().message));
    QVERIFY2(checked.error().message.contains(QStringLiteral("Nothing was published.")),
             qPrintable(checked.error().message));

    QSignalSpy finished(&session, &LoginSession::finished);
    QSignalSpy states(&session, &LoginSession::stateChanged);
    QSignalSpy challenges(&session, &LoginSession::challengeReady);
    session.start(request);
    QCOMPARE(finished.size(), 0); // queued: the caller connects first
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QCOMPARE(finished.first().at(1).toString(), checked.error().message);
    QCOMPARE(states.size(), 0);
    QCOMPARE(challenges.size(), 0);
    QVERIFY(!session.flow());
    QCOMPARE(storedLoginEvents(), before);
}

void TestLoginRequestFetch::sessionFetchRefusesForThisDevice()
{
    HttpTestServer server;
    QVERIFY(server.listen());
    auto keys = std::make_shared<const KeyRing>(makeRing({m_a1}));
    LoginSession session(
        {m_relay->url()}, keys,
        {makeMember(QStringLiteral("alice"), 1, {m_a1}), m_dir.filePath(QStringLiteral("w2.sqlite")), 30, {}}, m_clock);
    QSignalSpy ready(&session, &LoginSession::requestReady);
    QSignalSpy refused(&session, &LoginSession::requestRefused);
    const QString url = server.url(QStringLiteral("/r"));

    server.setResponse(200, compact(request({makeMember(QStringLiteral("bob"), 1, {m_b1})}).toJson()));
    session.fetchRequest(url);
    QVERIFY(refused.wait(10000));
    QCOMPARE(refused.first().at(0).toString(), url);
    QCOMPARE(refused.first().at(1).toString(), QStringLiteral("not_a_member"));

    const LoginRequest mine = request({makeMember(QStringLiteral("alice"), 1, {m_a1})});
    server.setResponse(200, compact(mine.toJson()));
    session.fetchRequest(url);
    QVERIFY(ready.wait(10000));
    QCOMPARE(ready.first().at(0).toString(), url);
    QCOMPARE(ready.first().at(1).value<LoginRequest>(), mine);
    QCOMPARE(refused.size(), 1);

    // A silent service: the session's injected limit applies.
    RawServer silent;
    silent.mode = RawServer::Mode::Silent;
    QVERIFY(silent.listen());
    LoginSession quick(
        {m_relay->url()}, keys,
        {makeMember(QStringLiteral("alice"), 1, {m_a1}), m_dir.filePath(QStringLiteral("w3.sqlite")), 30, {}}, m_clock);
    quick.setFetchTimeoutMs(200);
    QSignalSpy gaveUp(&quick, &LoginSession::requestRefused);
    quick.fetchRequest(silent.url(QStringLiteral("/r")));
    QVERIFY(gaveUp.wait(10000));
    QCOMPARE(gaveUp.first().at(1).toString(), QStringLiteral("timeout"));
}

void TestLoginRequestFetch::messageFollowsTheRequest()
{
    // Two members, bob after alice: device 1 (alice's m_a1) publishes the request's members as
    // they are, and a window no longer than the request's ttl.
    m_clock.set(QDateTime::currentSecsSinceEpoch());
    auto keys = std::make_shared<const KeyRing>(makeRing({m_a1}));
    LoginSession session(
        {m_relay->url()}, keys,
        {makeMember(QStringLiteral("alice"), 1, {m_a1, m_a2}), m_dir.filePath(QStringLiteral("w4.sqlite")), 300, {}},
        m_clock);
    LoginRequest r = request({makeMember(QStringLiteral("alice"), 2, {m_a1, m_a2}),
                              makeMember(QStringLiteral("bob"), 1, {m_b1}, {QStringLiteral("alice")})});
    r.ttlSeconds = 120;
    QCOMPARE(session.timeoutSeconds(r), 60); // a minute before the message expires
    r.ttlSeconds = 40;
    QCOMPARE(session.timeoutSeconds(r), 20); // a short window, shared in half
    r.ttlSeconds = 120;
    QSignalSpy states(&session, &LoginSession::stateChanged);
    QSignalSpy challenge(&session, &LoginSession::challengeReady);
    QSignalSpy finished(&session, &LoginSession::finished);
    session.start(r);
    QTRY_VERIFY_WITH_TIMEOUT(challenge.size() == 1 || finished.size() == 1, 10000);
    QVERIFY2(finished.isEmpty(), qPrintable(finished.value(0).value(1).toString()));
    const LoginMessage& m = session.flow()->challenge()->message;
    QCOMPARE(m.service, r.service);
    QCOMPARE(m.callback, r.callback);
    QCOMPARE(m.members, r.members);
    QCOMPARE(m.strict, true);
    QCOMPARE(m.expiresAt - m.createdAt, 120);
    QVERIFY(r.check(m).ok()); // what the service's own record accepts
    QTRY_COMPARE_WITH_TIMEOUT(session.flow()->state(), LoginState::S_LOGIN_COLLECT_SIGNATURES, 10000);
    QCOMPARE(session.flow()->localPairs(), QSet<QString>{m_a1.pair});
    session.cancel();
    QCOMPARE(session.flow()->state(), LoginState::S_LOGIN_FAILURE);
    m_clock.set(kNow);
}

void TestLoginRequestFetch::links_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("request"); // the URL to fetch; "-" for the service+callback form
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("callback");
    QTest::addColumn<QString>("refusal"); // empty: accepted
    QTest::newRow("request") << "userwallet://login?request=https%3A%2F%2Fshop.example%2Fr%3Fu%3D1%26k%3D2"
                             << "https://shop.example/r?u=1&k=2"
                             << ""
                             << ""
                             << "";
    QTest::newRow("request on loopback") << "userwallet://login?request=http://127.0.0.1:8765/login-request"
                                         << "http://127.0.0.1:8765/login-request"
                                         << ""
                                         << ""
                                         << "";
    QTest::newRow("service and callback") << "userwallet://login?service=demo&callback=https%3A%2F%2Fa.example%2Fcb"
                                          << "-"
                                          << "demo"
                                          << "https://a.example/cb"
                                          << "";
    QTest::newRow("old form stays lenient") << "userwallet://login?service=demo&x=1"
                                            << "-"
                                            << "demo"
                                            << ""
                                            << "";
    QTest::newRow("request over plain http") << "userwallet://login?request=http%3A%2F%2Fshop.example%2Fr"
                                             << ""
                                             << ""
                                             << ""
                                             << "only https:// is accepted";
    QTest::newRow("request and service") << "userwallet://login?request=https%3A%2F%2Fshop.example%2Fr&service=demo"
                                         << ""
                                         << ""
                                         << ""
                                         << "both a login request and a service";
    QTest::newRow("two requests") << "userwallet://login?request=https://a.example/r&request=https://b.example/r"
                                  << ""
                                  << ""
                                  << ""
                                  << "more than one login request";
    QTest::newRow("empty request") << "userwallet://login?request="
                                   << ""
                                   << ""
                                   << ""
                                   << "not a valid URL";
    QTest::newRow("another link") << "userwallet://pair?code=00"
                                  << ""
                                  << ""
                                  << ""
                                  << "not a login link";
}

void TestLoginRequestFetch::links()
{
    QFETCH(QString, link);
    QFETCH(QString, request);
    QFETCH(QString, service);
    QFETCH(QString, callback);
    QFETCH(QString, refusal);
    auto parsed = LoginLink::parse(link);
    if (!refusal.isEmpty()) {
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().message.contains(refusal), qPrintable(parsed.error().message));
        return;
    }
    QVERIFY2(parsed.ok(), qPrintable(parsed ? QString() : parsed.error().message));
    QCOMPARE(parsed->isRequest(), request != QLatin1String("-"));
    if (parsed->isRequest())
        QCOMPARE(parsed->requestUrl, request);
    QCOMPARE(parsed->service, service);
    QCOMPARE(parsed->callback, callback);
    auto again = LoginLink::parse(parsed->toString());
    QVERIFY(again.ok());
    QCOMPARE(again->requestUrl, parsed->requestUrl);
    QCOMPARE(again->service, parsed->service);
    QCOMPARE(again->callback, parsed->callback);
}

QTEST_GUILESS_MAIN(TestLoginRequestFetch)
#include "test_login_request_fetch.moc"
