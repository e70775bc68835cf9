// Relay figures (issue #3), everything on loopback:
//  1. events accepted per second by one userwallet-relay (4 connections, pipelined, OK awaited);
//  2. 1,000 concurrent subscribers held, and the time for one event to reach all of them;
//  3. latency from device 2's publish to device 1 reaching "enough signatures", three relays
//     (the push path: the 2 s re-query is not involved), p50 and p99.
//   build/bench/bench_relay [events] [subscribers] [logins]
#include "crypto/Schnorr.h"
#include "devices/LoginEvents.h"
#include "devices/RelayLoginTransport.h"
#include "login/LoginValidation.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <QUuid>
#include <QWebSocket>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sys/resource.h>

using namespace uw;
using Clock_ = std::chrono::steady_clock;

namespace {

double ms(Clock_::duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

/// Waits in a real event loop (no sleeping, unlike QTest::qWaitFor's 10 ms naps, which
/// would show up in the latencies) until `pred` holds; slots call poke() after each change.
struct Waiter
{
    QEventLoop loop;
    std::function<bool()> pred = [] { return false; };
    void poke()
    {
        if (pred())
            loop.quit();
    }
    bool wait(std::function<bool()> p, int timeoutMs)
    {
        pred = std::move(p);
        if (pred())
            return true;
        QTimer timeout;
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
        timeout.start(timeoutMs);
        QTimer fallback; // for conditions nobody pokes (connection states); never delays event delivery
        QObject::connect(&fallback, &QTimer::timeout, &loop, [this] { poke(); });
        fallback.start(5);
        loop.exec();
        return pred();
    }
};
Waiter* g_waiter = nullptr; // lives in main(), after the application object

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

void raiseFileLimit()
{
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

struct Relay
{
    QProcess process;
    QString url;
    bool start(const QString& db)
    {
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel); // the relay's complaints show
        process.start(QStringLiteral(UW_RELAY_PATH),
                      {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--db"), db,
                       QStringLiteral("--events-per-second"), QStringLiteral("1000000"),
                       // every client of the bench is on 127.0.0.1: lift the per-address limits
                       QStringLiteral("--max-connections-per-ip"), QStringLiteral("4096"),
                       QStringLiteral("--reqs-per-second"), QStringLiteral("100000")});
        if (!process.waitForReadyRead(10000))
            return false;
        url = QJsonDocument::fromJson(process.readLine()).object().value(QStringLiteral("listening")).toString();
        return !url.isEmpty();
    }
    ~Relay()
    {
        process.terminate();
        process.waitForFinished(5000);
    }
};

QString frame(const QJsonArray& a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

NostrEvent makeEvent(const SecretKey& key, int i, const QString& h)
{
    NostrEvent e;
    e.kind = 1;
    e.createdAt = QDateTime::currentSecsSinceEpoch();
    e.tags = {{QStringLiteral("h"), h}};
    e.content = QStringLiteral("bench event %1").arg(i);
    (void)e.sign(key);
    return e;
}

void benchThroughput(const QString& dir, int total)
{
    Relay relay;
    if (!relay.start(dir + QStringLiteral("/throughput.sqlite")))
        qFatal("relay did not start");
    const SecretKey key = schnorr::generateSecretKey();
    constexpr int kConnections = 4;
    std::vector<QString> frames;
    for (int i = 0; i < total; ++i)
        frames.push_back(frame({QStringLiteral("EVENT"), makeEvent(key, i, QStringLiteral("t")).toJson()}));
    std::vector<std::unique_ptr<QWebSocket>> sockets;
    int oks = 0, accepted = 0;
    for (int c = 0; c < kConnections; ++c) {
        sockets.push_back(std::make_unique<QWebSocket>());
        QObject::connect(sockets.back().get(), &QWebSocket::textMessageReceived, sockets.back().get(),
                         [&](const QString& m) {
                             ++oks;
                             accepted += QJsonDocument::fromJson(m.toUtf8()).array().at(2).toBool() ? 1 : 0;
                             g_waiter->poke();
                         });
        sockets.back()->open(QUrl(relay.url));
    }
    if (!g_waiter->wait(
            [&] {
                return std::all_of(sockets.begin(), sockets.end(),
                                   [](auto& s) { return s->state() == QAbstractSocket::ConnectedState; });
            },
            10000))
        qFatal("no connection");
    const auto t0 = Clock_::now();
    for (int i = 0; i < total; ++i)
        sockets[std::size_t(i % kConnections)]->sendTextMessage(frames[std::size_t(i)]);
    if (!g_waiter->wait([&] { return oks == total; }, 120000))
        qFatal("missing OKs: %d of %d", oks, total);
    const double elapsed = ms(Clock_::now() - t0);
    std::printf("  events accepted (verified + committed, OK true)  %8.0f /s  (%d events, %d accepted, %.0f ms)\n",
                total / (elapsed / 1000.0), total, accepted, elapsed);
}

void benchSubscribers(const QString& dir, int subscribers)
{
    Relay relay;
    if (!relay.start(dir + QStringLiteral("/fanout.sqlite")))
        qFatal("relay did not start");
    std::vector<std::unique_ptr<QWebSocket>> subs;
    int eose = 0, received = 0;
    for (int i = 0; i < subscribers; ++i) {
        subs.push_back(std::make_unique<QWebSocket>());
        QWebSocket* s = subs.back().get();
        QObject::connect(s, &QWebSocket::connected, s, [s] {
            s->sendTextMessage(frame({QStringLiteral("REQ"), QStringLiteral("fan"),
                                      QJsonObject{{QStringLiteral("kinds"), QJsonArray{1}},
                                                  {QStringLiteral("#h"), QJsonArray{QStringLiteral("fan")}}}}));
        });
        QObject::connect(s, &QWebSocket::textMessageReceived, s, [&](const QString& m) {
            if (m.startsWith(QLatin1String("[\"EOSE\"")))
                ++eose;
            else if (m.startsWith(QLatin1String("[\"EVENT\"")))
                ++received;
            g_waiter->poke();
        });
        s->open(QUrl(relay.url));
    }
    if (!g_waiter->wait([&] { return eose == subscribers; }, 60000))
        qFatal("only %d of %d subscriptions established", eose, subscribers);
    const SecretKey key = schnorr::generateSecretKey();
    QWebSocket publisher;
    publisher.open(QUrl(relay.url));
    if (!g_waiter->wait([&] { return publisher.state() == QAbstractSocket::ConnectedState; }, 10000))
        qFatal("no publisher");
    std::vector<double> fanout;
    for (int round = 0; round < 20; ++round) {
        received = 0;
        const QString f = frame({QStringLiteral("EVENT"), makeEvent(key, round, QStringLiteral("fan")).toJson()});
        const auto t0 = Clock_::now();
        publisher.sendTextMessage(f);
        if (!g_waiter->wait([&] { return received == subscribers; }, 30000))
            qFatal("fan-out incomplete: %d", received);
        fanout.push_back(ms(Clock_::now() - t0));
    }
    int open = 0;
    for (auto& s : subs)
        open += s->state() == QAbstractSocket::ConnectedState ? 1 : 0;
    std::printf("  concurrent subscribers held                       %8d    (all %d still connected after 20 events)\n",
                open, subscribers);
    std::printf("  one event to all %d subscribers                 p50 %6.1f ms   p99 %6.1f ms\n", subscribers,
                percentile(fanout, 0.5), percentile(fanout, 0.99));
}

void benchLoginLatency(const QString& dir, int logins)
{
    Relay relays[3];
    QStringList urls;
    for (int i = 0; i < 3; ++i) {
        if (!relays[i].start(dir + QStringLiteral("/login%1.sqlite").arg(i)))
            qFatal("relay did not start");
        urls.append(relays[i].url);
    }
    // Device 1 and device 2 of member alice (2 of 2).
    auto makeKey = [] {
        auto k = std::make_shared<SecretKey>(schnorr::generateSecretKey());
        return std::make_pair(
            PairRef{QUuid::createUuid().toString(QUuid::WithoutBraces), toHex(schnorr::xOnlyPublicKey(*k).value())}, k);
    };
    const auto d1 = makeKey(), d2 = makeKey();
    auto ring1 = std::make_shared<KeyRing>();
    ring1->add(d1.first.pair, d1.first.pubkey, SecretKey(d1.second->data()));
    KeyRing ring2;
    ring2.add(d2.first.pair, d2.first.pubkey, SecretKey(d2.second->data()));

    RelayPool pool1(urls), pool2(urls);
    RelayLoginTransport transport(&pool1, ring1, SystemClock::instance());
    int eose = 0;
    QObject::connect(&pool1, &RelayPool::endOfStoredEvents, &pool1, [&](const QString&, const QString&) {
        ++eose;
        g_waiter->poke();
    });
    pool1.start();
    pool2.start();
    if (!g_waiter->wait([&] { return pool1.connectedCount() == 3 && pool2.connectedCount() == 3; }, 10000))
        qFatal("relays not connected");

    std::vector<double> latencies;
    for (int i = 0; i < logins; ++i) {
        const Challenge c = buildChallenge({QStringLiteral("bench"),
                                            QStringLiteral("https://s.example/cb"),
                                            {MemberRequirement{QStringLiteral("alice"), 2, {}, {d1.first, d2.first}}},
                                            true,
                                            300},
                                           SystemClock::instance())
                                .value();
        QList<LoginSignature> sigs = signChallenge(c, QStringLiteral("alice"), *ring1).value();
        bool enough = false;
        Clock_::time_point t1;
        auto conn = QObject::connect(&transport, &LoginTransport::signaturesReceived, &transport,
                                     [&](const QList<LoginSignature>& got) {
                                         sigs = mapMsgSignaturesToProofFormat(c, sigs + got);
                                         if (!enough && hasEnoughSignatures(c.message, sigs)) {
                                             enough = true;
                                             t1 = Clock_::now();
                                         }
                                         g_waiter->poke();
                                     });
        eose = 0;
        transport.runCollectLoop(c);
        if (!g_waiter->wait([&] { return eose >= 3; }, 10000)) // subscribed on the three relays
            qFatal("no EOSE");
        const LoginSignature s2 = signChallenge(c, QStringLiteral("alice"), ring2).value().first();
        const NostrEvent ev =
            loginEvents::signatureEvent(c, s2, *ring2.secret(d2.first.pair), QDateTime::currentSecsSinceEpoch())
                .value();
        const auto t0 = Clock_::now();
        pool2.publish(ev);
        if (!g_waiter->wait([&] { return enough; }, 10000))
            qFatal("login %d never reached enough signatures", i);
        latencies.push_back(ms(t1 - t0));
        transport.stopCollecting();
        QObject::disconnect(conn);
    }
    std::printf(
        "  device 2 publish -> device 1 enough signatures  p50 %6.2f ms   p99 %6.2f ms   (%d logins, 3 relays)\n",
        percentile(latencies, 0.5), percentile(latencies, 0.99), logins);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    raiseFileLimit();
    Waiter waiter;
    g_waiter = &waiter;
    const int events = argc > 1 ? std::atoi(argv[1]) : 20000;
    const int subscribers = argc > 2 ? std::atoi(argv[2]) : 1000;
    const int logins = argc > 3 ? std::atoi(argv[3]) : 200;
    QTemporaryDir dir;
    std::printf("bench_relay: userwallet-relay on loopback\n");
    benchThroughput(dir.path(), events);
    benchSubscribers(dir.path(), subscribers);
    benchLoginLatency(dir.path(), logins);
    return 0;
}
