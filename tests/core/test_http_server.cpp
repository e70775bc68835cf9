// The daemons' HTTP/1.1 server (core/net) against real sockets on loopback, and its parser alone:
// every refusal of a malformed or oversized request, the limits that keep a slow or hostile
// client from stalling the others (header and body timeouts, connection caps, a client that does
// not read), keep-alive, pipelining in order, Expect: 100-continue, and the drain on shutdown.
#include "net/HttpRequestParser.h"
#include "net/HttpServer.h"
#include "net/TokenBucket.h"
#include "support/RawHttpClient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <memory>

using namespace uw;
using namespace uw::net;
using namespace uw::test;

namespace {

/// A server on 127.0.0.1 whose handler echoes the method and path (or does what a test says).
struct Rig
{
    explicit Rig(HttpLimits limits = {}) : server(limits)
    {
        server.setHandler([this](const HttpRequest& r, HttpServer::Respond respond) {
            ++handled;
            if (hold) {
                held.append({r.path, std::move(respond)});
                return;
            }
            HttpResponse out;
            out.contentType = "text/plain";
            out.body = bigBody.isEmpty() ? r.method + ' ' + r.path + ' ' + QByteArray::number(r.body.size()) : bigBody;
            respond(std::move(out));
        });
    }
    bool listen() { return server.listen(QHostAddress::LocalHost, 0).ok(); }
    HttpServer server;
    int handled = 0;
    bool hold = false; ///< keep the responders instead of answering
    QList<std::pair<QByteArray, HttpServer::Respond>> held;
    QByteArray bigBody;
};

std::unique_ptr<RawHttpClient> client(const HttpServer& server)
{
    auto c = std::make_unique<RawHttpClient>();
    if (!c->connectTo(server.port()))
        return nullptr;
    return c;
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parserRefuses_data();
    void parserRefuses();
    void parserAccepts();
    void parserTakesNoMoreThanItMay();
    void tokenBucket();

    void answersAndKeepsAlive();
    void bodyBeyondTheFirstReadArrivesInOneWrite();
    void bodyRefusedOnItsLengthBeforeItIsRead();
    void headerTooLarge();
    void slowHeaderDoesNotDelayOthersAndIsCut();
    void silentConnectionIsCut();
    void slowBodyIsCut();
    void idleKeepAliveIsClosed();
    void connectionsPerAddressCapped();
    void connectionsInAllCapped();
    void pipelinedAnsweredInOrder();
    void manyPipelinedSynchronousAnswers();
    void clientThatDoesNotReadIsClosed();
    void expectContinue();
    void headRefusalWithBodyClosesWithoutReadingIt();
    void headRefusalWithoutBodyKeepsTheConnection();
    void connectionCloseHonoured();
    void drainFinishesWhatIsInFlight();
};

void TestHttpServer::parserRefuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const QByteArray host = "Host: a\r\n";
    QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: a\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("bare CR") << QByteArray("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("folded line") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n") << 400
                                 << "bad_request";
    QTest::newRow("blank before colon") << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\n" + host + "Nonsense\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("control byte in value")
        << QByteArray("GET / HTTP/1.1\r\n" + host + "X: a\x01z\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("NUL in value") << QByteArray("GET / HTTP/1.1\r\n" + host + QByteArray("X: a\0z\r\n\r\n", 11)) << 400
                                  << "bad_request";
    QTest::newRow("no Host in 1.1") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("two Hosts") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400 << "bad_request";
    QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\n" + host + "\r\n") << 400 << "bad_request";
    QTest::newRow("no version") << QByteArray("GET /\r\n" + host + "\r\n") << 400 << "bad_request";
    QTest::newRow("lower-case version") << QByteArray("GET / http/1.1\r\n" + host + "\r\n") << 400 << "bad_request";
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n" + host + "\r\n") << 505 << "http_version";
    QTest::newRow("HTTP/0.9") << QByteArray("GET / HTTP/0.9\r\n" + host + "\r\n") << 505 << "http_version";
    QTest::newRow("absolute form") << QByteArray("GET http://a/ HTTP/1.1\r\n" + host + "\r\n") << 400 << "bad_request";
    QTest::newRow("asterisk") << QByteArray("OPTIONS * HTTP/1.1\r\n" + host + "\r\n") << 400 << "bad_request";
    QTest::newRow("non-ASCII target") << QByteArray("GET /\xc3\xa9 HTTP/1.1\r\n" + host + "\r\n") << 400
                                      << "bad_request";
    QTest::newRow("fragment") << QByteArray("GET /a#b HTTP/1.1\r\n" + host + "\r\n") << 400 << "bad_request";
    QTest::newRow("method not a token") << QByteArray("G(T / HTTP/1.1\r\n" + host + "\r\n") << 400 << "bad_request";
    QTest::newRow("length not digits") << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 1e3\r\n\r\n")
                                       << 400 << "bad_request";
    QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n") << 400
                                     << "bad_request";
    QTest::newRow("length twice") << QByteArray("POST / HTTP/1.1\r\n" + host +
                                                "Content-Length: 1\r\nContent-Length: 1\r\n\r\n")
                                  << 400 << "bad_request";
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n") << 411
                             << "length_required";
    QTest::newRow("chunked and length") << QByteArray("POST / HTTP/1.1\r\n" + host +
                                                      "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n")
                                        << 400 << "bad_request";
    QTest::newRow("body too large") << QByteArray("POST / HTTP/1.1\r\n" + host + "Content-Length: 1025\r\n\r\n") << 413
                                    << "body_too_large";
    QTest::newRow("huge length") << QByteArray("POST / HTTP/1.1\r\n" + host +
                                               "Content-Length: 99999999999999999999999\r\n\r\n")
                                 << 400 << "bad_request";
    QTest::newRow("head too large") << QByteArray("GET / HTTP/1.1\r\n" + host + "X: " + QByteArray(600, 'a') +
                                                  "\r\n\r\n")
                                    << 431 << "header_too_large";
    QByteArray many = "GET / HTTP/1.1\r\n" + host;
    for (int i = 0; i < 11; ++i)
        many += "X" + QByteArray::number(i) + ": 1\r\n";
    QTest::newRow("too many fields") << many + "\r\n" << 431 << "header_too_large";
    QTest::newRow("head too large, no end") << QByteArray(600, 'G') << 431 << "header_too_large";
}

void TestHttpServer::parserRefuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    QFETCH(QString, code);
    HttpLimits limits;
    limits.maxHeaderBytes = 512;
    limits.maxHeaderFields = 10;
    limits.maxBodyBytes = 1024;
    HttpRequestParser parser(limits);
    // Fed a byte at a time, as a slow network would: the answer must not depend on the cuts.
    HttpRequestParser::Step step = HttpRequestParser::Step::NeedMore;
    for (qsizetype i = 0; i < bytes.size() && step == HttpRequestParser::Step::NeedMore; ++i) {
        QVERIFY(parser.wanted() > 0);
        parser.feed(bytes.mid(i, 1));
        step = parser.next();
    }
    if (step == HttpRequestParser::Step::NeedMore && bytes.size() >= limits.maxHeaderBytes)
        step = parser.next();
    QCOMPARE(step, HttpRequestParser::Step::Error);
    QCOMPARE(parser.error().status, status);
    QCOMPARE(parser.error().code, code);
    QVERIFY(!parser.error().message.isEmpty());
    QCOMPARE(parser.wanted(), 0);
}

void TestHttpServer::parserAccepts()
{
    HttpLimits limits;
    HttpRequestParser parser(limits);
    // Two requests in one piece (pipelining), the first after an empty line (RFC 9112 §2.2).
    parser.feed("\r\nPOST /v1/x?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nX-Long:   spaced value \t\r\n"
                "Connection: keep-alive, Close\r\n\r\nhello"
                "GET /y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    QCOMPARE(parser.next(), HttpRequestParser::Step::Head);
    QCOMPARE(parser.head().contentLength, 5);
    QCOMPARE(parser.next(), HttpRequestParser::Step::Request);
    HttpRequest first = parser.takeRequest();
    QCOMPARE(first.method, QByteArray("POST"));
    QCOMPARE(first.path, QByteArray("/v1/x"));
    QCOMPARE(first.query, QByteArray("a=1"));
    QCOMPARE(first.body, QByteArray("hello"));
    QCOMPARE(first.header("x-long"), QByteArray("spaced value"));
    QCOMPARE(first.header("host"), QByteArray("h"));
    QVERIFY(first.header("absent").isNull());
    QVERIFY(!first.keepAlive); // "close" among the options
    QCOMPARE(parser.next(), HttpRequestParser::Step::Head);
    QCOMPARE(parser.next(), HttpRequestParser::Step::Request);
    HttpRequest second = parser.takeRequest();
    QCOMPARE(second.path, QByteArray("/y"));
    QCOMPARE(second.minorVersion, 0);
    QVERIFY(second.keepAlive); // 1.0 with keep-alive
    QCOMPARE(parser.next(), HttpRequestParser::Step::NeedMore);
    QVERIFY(!parser.inRequest());

    HttpRequestParser plain(limits);
    plain.feed("GET / HTTP/1.0\r\n\r\n");
    QCOMPARE(plain.next(), HttpRequestParser::Step::Head);
    QCOMPARE(plain.next(), HttpRequestParser::Step::Request);
    QVERIFY(!plain.takeRequest().keepAlive); // 1.0 closes by default
}

void TestHttpServer::parserTakesNoMoreThanItMay()
{
    HttpLimits limits;
    limits.maxHeaderBytes = 100;
    HttpRequestParser parser(limits);
    QCOMPARE(parser.wanted(), 100);
    parser.feed("GET / HTTP/1.1\r\nHost: a\r\n");
    QCOMPARE(parser.next(), HttpRequestParser::Step::NeedMore);
    QCOMPARE(parser.wanted(), 100 - 25);
    parser.feed("Content-Length: 10\r\n\r\nabc");
    QCOMPARE(parser.next(), HttpRequestParser::Step::Head);
    QCOMPARE(parser.wanted(), 7); // right after the head: what the body lacks, not 0
    QCOMPARE(parser.next(), HttpRequestParser::Step::NeedMore);
    QCOMPARE(parser.wanted(), 7); // the rest of the body, nothing of the next request
    QVERIFY(parser.inBody());
}

void TestHttpServer::tokenBucket()
{
    TokenBucket bucket(2.0, 3.0, 0);
    QVERIFY(bucket.take(0));
    QVERIFY(bucket.take(0));
    QVERIFY(bucket.take(0));
    QVERIFY(!bucket.take(0));
    QCOMPARE(bucket.secondsUntilNext(0), 1);
    QVERIFY(bucket.take(500)); // half a second: one token back
    QVERIFY(!bucket.take(500));
    QVERIFY(bucket.take(10'000));
    QVERIFY(bucket.take(10'000));
    QVERIFY(bucket.take(10'000));
    QVERIFY(!bucket.take(10'000)); // never more than the burst
    TokenBucket slow(0.1, 1.0, 0);
    QVERIFY(slow.take(0));
    QCOMPARE(slow.secondsUntilNext(0), 10);
}

void TestHttpServer::answersAndKeepsAlive()
{
    Rig rig;
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    for (int i = 0; i < 3; ++i) {
        c->send(RawHttpClient::post("/echo", "abc"));
        const auto r = c->next();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("POST /echo 3"));
        QCOMPARE(r->header("connection"), QByteArray("keep-alive"));
        QVERIFY(!r->header("date").isEmpty());
    }
    QVERIFY(c->isConnected());
    QCOMPARE(rig.server.connectionCount(), 1);
}

void TestHttpServer::bodyBeyondTheFirstReadArrivesInOneWrite()
{
    // Head and body in one write, the body longer than the first read (the head's 16 KiB): the
    // rest of the body is already waiting in the socket when the head is parsed, and no further
    // readyRead will say so. Regression: it waited for the body timeout.
    HttpLimits limits;
    limits.bodyTimeoutMs = 60'000;
    Rig rig(limits);
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    for (const int size : {20'000, 100'000, 1'000'000}) {
        c->send(RawHttpClient::post("/b", QByteArray(size, 'x')));
        const auto r = c->next(10'000);
        QVERIFY2(r, qPrintable(QStringLiteral("no answer for a %1-byte body").arg(size)));
        QCOMPARE(r->body, "POST /b " + QByteArray::number(size));
    }
}

void TestHttpServer::bodyRefusedOnItsLengthBeforeItIsRead()
{
    HttpLimits limits;
    limits.maxBodyBytes = 1024 * 1024;
    Rig rig(limits);
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    // 100 MB announced, not a byte of it sent: the answer comes at once, on the length alone.
    c->send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n");
    const auto r = c->next();
    QVERIFY(r);
    QCOMPARE(r->status, 413);
    QVERIFY(r->body.contains("\"code\":\"body_too_large\""));
    QCOMPARE(r->header("connection"), QByteArray("close"));
    QVERIFY(c->waitForClosed());
    QCOMPARE(rig.handled, 0);
}

void TestHttpServer::headerTooLarge()
{
    Rig rig; // 16 KiB
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    c->send("GET / HTTP/1.1\r\nHost: a\r\nCookie: " + QByteArray(20'000, 'x'));
    const auto r = c->next();
    QVERIFY(r);
    QCOMPARE(r->status, 431);
    QVERIFY(c->waitForClosed());
}

void TestHttpServer::slowHeaderDoesNotDelayOthersAndIsCut()
{
    HttpLimits limits;
    limits.headerTimeoutMs = 1500;
    Rig rig(limits);
    QVERIFY(rig.listen());
    auto slow = client(rig.server);
    QVERIFY(slow);
    slow->send("GET /slow HTTP/1.1\r\nHost: a\r\nX-Half: "); // and nothing more
    QTRY_COMPARE(rig.server.connectionCount(), 1);
    // Another client is served while the slow one hangs on.
    auto quick = client(rig.server);
    QVERIFY(quick);
    quick->send(RawHttpClient::get("/quick"));
    const auto answer = quick->next();
    QVERIFY(answer);
    QCOMPARE(answer->body, QByteArray("GET /quick 0"));
    QVERIFY(slow->isConnected()); // answered before the slow one's deadline
    const auto cut = slow->next();
    QVERIFY(cut);
    QCOMPARE(cut->status, 408);
    QVERIFY(cut->body.contains("header_timeout"));
    QVERIFY(slow->waitForClosed());
    QVERIFY(quick->isConnected());
}

void TestHttpServer::silentConnectionIsCut()
{
    HttpLimits limits;
    limits.headerTimeoutMs = 300;
    Rig rig(limits);
    QVERIFY(rig.listen());
    auto silent = client(rig.server);
    QVERIFY(silent);
    QVERIFY(silent->waitForClosed());
    QVERIFY(silent->pending().isEmpty()); // nothing to answer: closed without a word
    QTRY_COMPARE(rig.server.connectionCount(), 0);
}

void TestHttpServer::slowBodyIsCut()
{
    HttpLimits limits;
    limits.bodyTimeoutMs = 300;
    Rig rig(limits);
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    c->send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhalf");
    const auto r = c->next();
    QVERIFY(r);
    QCOMPARE(r->status, 408);
    QVERIFY(r->body.contains("body_timeout"));
    QVERIFY(c->waitForClosed());
    QCOMPARE(rig.handled, 0);
}

void TestHttpServer::idleKeepAliveIsClosed()
{
    HttpLimits limits;
    limits.idleTimeoutMs = 300;
    Rig rig(limits);
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    c->send(RawHttpClient::get("/a"));
    QVERIFY(c->next());
    QVERIFY(c->waitForClosed());
    QTRY_COMPARE(rig.server.connectionCount(), 0);
}

void TestHttpServer::connectionsPerAddressCapped()
{
    HttpLimits limits;
    limits.maxConnectionsPerIp = 3;
    Rig rig(limits);
    QVERIFY(rig.listen());
    std::vector<std::unique_ptr<RawHttpClient>> admitted;
    for (int i = 0; i < 3; ++i) {
        admitted.push_back(client(rig.server));
        QVERIFY(admitted.back());
    }
    QTRY_COMPARE(rig.server.connectionCount(), 3);
    auto fourth = client(rig.server);
    QVERIFY(fourth);
    const auto refused = fourth->next();
    QVERIFY(refused);
    QCOMPARE(refused->status, 503);
    QVERIFY(refused->body.contains("too_many_connections"));
    QVERIFY(refused->body.contains("127.0.0.1"));
    QVERIFY(fourth->waitForClosed());
    // The admitted ones are served; once one leaves, a new one gets in.
    admitted[0]->send(RawHttpClient::get("/still"));
    QVERIFY(admitted[0]->next());
    admitted[1]->socket().disconnectFromHost();
    QTRY_COMPARE(rig.server.connectionCount(), 2);
    auto again = client(rig.server);
    QVERIFY(again);
    again->send(RawHttpClient::get("/again"));
    const auto r = again->next();
    QVERIFY(r);
    QCOMPARE(r->status, 200);
}

void TestHttpServer::connectionsInAllCapped()
{
    HttpLimits limits;
    limits.maxConnections = 2;
    Rig rig(limits);
    QVERIFY(rig.listen());
    auto a = client(rig.server);
    auto b = client(rig.server);
    QVERIFY(a && b);
    QTRY_COMPARE(rig.server.connectionCount(), 2);
    auto c = client(rig.server);
    QVERIFY(c);
    const auto refused = c->next();
    QVERIFY(refused);
    QCOMPARE(refused->status, 503);
    QVERIFY(c->waitForClosed());
}

void TestHttpServer::pipelinedAnsweredInOrder()
{
    Rig rig;
    rig.hold = true;
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    QByteArray burst;
    for (int i = 0; i < 5; ++i)
        burst += RawHttpClient::get("/r" + QByteArray::number(i));
    c->send(burst);
    QTRY_COMPARE(rig.held.size(), 5);
    // The handler answers the last first: the client still reads them in its order.
    for (qsizetype i = rig.held.size() - 1; i >= 0; --i) {
        HttpResponse r;
        r.body = rig.held[i].first;
        rig.held[i].second(r);
    }
    for (int i = 0; i < 5; ++i) {
        const auto r = c->next();
        QVERIFY(r);
        QCOMPARE(r->body, "/r" + QByteArray::number(i));
    }
}

void TestHttpServer::manyPipelinedSynchronousAnswers()
{
    Rig rig;
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    QByteArray burst;
    const int n = 3000;
    for (int i = 0; i < n; ++i)
        burst += RawHttpClient::get("/" + QByteArray::number(i));
    c->send(burst);
    for (int i = 0; i < n; ++i) {
        const auto r = c->next();
        QVERIFY2(r, qPrintable(QStringLiteral("answer %1 missing").arg(i)));
        QCOMPARE(r->body, "GET /" + QByteArray::number(i) + " 0");
    }
}

void TestHttpServer::clientThatDoesNotReadIsClosed()
{
    HttpLimits limits;
    limits.maxOutputBytes = 256 * 1024;
    limits.maxPipelined = 4;
    Rig rig(limits);
    rig.bigBody = QByteArray(1024 * 1024, 'z');
    QVERIFY(rig.listen());
    // A client that sends 64 requests and reads nothing: Qt takes one byte for it, then the
    // kernel's buffers fill (64 MiB of answers would be due).
    QTcpSocket deaf;
    deaf.setReadBufferSize(1);
    deaf.connectToHost(QHostAddress::LocalHost, rig.server.port());
    QTRY_COMPARE(deaf.state(), QAbstractSocket::ConnectedState);
    QByteArray burst;
    for (int i = 0; i < 64; ++i)
        burst += RawHttpClient::get("/big");
    deaf.write(burst);
    QTRY_COMPARE_WITH_TIMEOUT(rig.server.connectionCount(), 0, 20000);
    QVERIFY2(rig.handled < 64, qPrintable(QString::number(rig.handled))); // the rest were never parsed
    // Others are still served.
    auto other = client(rig.server);
    QVERIFY(other);
    rig.bigBody.clear();
    other->send(RawHttpClient::get("/fine"));
    const auto r = other->next();
    QVERIFY(r);
    QCOMPARE(r->status, 200);
}

void TestHttpServer::expectContinue()
{
    Rig rig;
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    c->send("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    const auto cont = c->next();
    QVERIFY(cont);
    QCOMPARE(cont->status, 100);
    c->send("body");
    const auto r = c->next();
    QVERIFY(r);
    QCOMPARE(r->status, 200);
    QCOMPARE(r->body, QByteArray("POST /e 4"));

    c->send("POST /e HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\nContent-Length: 4\r\n\r\n");
    const auto refused = c->next();
    QVERIFY(refused);
    QCOMPARE(refused->status, 417);
    QVERIFY(c->waitForClosed());
}

void TestHttpServer::headRefusalWithBodyClosesWithoutReadingIt()
{
    Rig rig;
    rig.server.setHeadCheck([](const HttpRequest&) -> std::optional<HttpResponse> {
        return HttpResponse::error(401, QStringLiteral("missing_token"), QStringLiteral("no"));
    });
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    c->send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");
    const auto r = c->next();
    QVERIFY(r);
    QCOMPARE(r->status, 401);
    QCOMPARE(r->header("connection"), QByteArray("close"));
    QVERIFY(c->waitForClosed());
    QCOMPARE(rig.handled, 0);

    // The client sends its whole body at once, as most do: the refusal still reaches it (the
    // server closes its side and drops the rest, instead of a reset that would destroy the answer).
    auto eager = client(rig.server);
    QVERIFY(eager);
    eager->send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n" + QByteArray(1'000'000, 'b'));
    const auto refused = eager->next();
    QVERIFY(refused);
    QCOMPARE(refused->status, 401);
    QVERIFY(eager->waitForClosed());
}

void TestHttpServer::headRefusalWithoutBodyKeepsTheConnection()
{
    Rig rig;
    rig.server.setHeadCheck([](const HttpRequest& head) -> std::optional<HttpResponse> {
        if (head.path == "/no")
            return HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("no"));
        return std::nullopt;
    });
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    c->send(RawHttpClient::get("/no") + RawHttpClient::get("/yes"));
    const auto first = c->next();
    QVERIFY(first);
    QCOMPARE(first->status, 404);
    QCOMPARE(first->header("connection"), QByteArray("keep-alive"));
    const auto second = c->next();
    QVERIFY(second);
    QCOMPARE(second->body, QByteArray("GET /yes 0"));
}

void TestHttpServer::connectionCloseHonoured()
{
    Rig rig;
    QVERIFY(rig.listen());
    auto c = client(rig.server);
    QVERIFY(c);
    // The second request comes after "Connection: close": it is never handled.
    c->send("GET /a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + RawHttpClient::get("/b"));
    const auto r = c->next();
    QVERIFY(r);
    QCOMPARE(r->header("connection"), QByteArray("close"));
    QVERIFY(c->waitForClosed());
    QCOMPARE(rig.handled, 1);
}

void TestHttpServer::drainFinishesWhatIsInFlight()
{
    Rig rig;
    rig.hold = true;
    QVERIFY(rig.listen());
    const quint16 port = rig.server.port();
    auto busy = client(rig.server);
    auto idle = client(rig.server);
    QVERIFY(busy && idle);
    busy->send(RawHttpClient::get("/slow-work"));
    QTRY_COMPARE(rig.held.size(), 1);
    QTRY_COMPARE(rig.server.connectionCount(), 2);
    QSignalSpy drained(&rig.server, &HttpServer::drained);
    rig.server.drain();
    QVERIFY(idle->waitForClosed()); // nothing in flight: closed at once
    // No new connection is accepted.
    RawHttpClient late;
    QVERIFY(!late.connectTo(port, 2000));
    QCOMPARE(drained.count(), 0);
    QVERIFY(busy->isConnected());
    HttpResponse done;
    done.body = "finished";
    rig.held.first().second(done);
    const auto r = busy->next();
    QVERIFY(r);
    QCOMPARE(r->body, QByteArray("finished"));
    QCOMPARE(r->header("connection"), QByteArray("close"));
    QVERIFY(busy->waitForClosed());
    QVERIFY(drained.count() == 1 || drained.wait(5000));
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "test_http_server.moc"
