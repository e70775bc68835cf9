// The relay under abuse (issue #11), on loopback, against the real userwallet-relay:
//  1. RSS of the relay while a client that never reads asks again and again for large events;
//  2. TCP connections that never start the WebSocket handshake, closed by the relay;
//  3. latency of an honest EVENT -> OK while three clients send the heaviest REQs allowed;
//  4. events/s accepted from one IP address over 20 connections (the per-address budget).
//   build/bench/bench_abuse [seconds-for-1 (60)]
#include "crypto/Bytes.h"
#include "crypto/Schnorr.h"
#include "relay/NostrEvent.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace uw;

namespace {

/// Runs the event loop for `ms` milliseconds (the bench measures over wall-clock periods).
void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

/// Runs the event loop until `pred` or `ms` pass; returns pred().
bool spinUntil(const std::function<bool()>& pred, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!pred() && t.elapsed() < ms)
        spin(5);
    return pred();
}

qint64 rssKiB(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

struct Relay
{
    QProcess process;
    quint16 port = 0;
    bool start(const QString& db, QStringList extra = {})
    {
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(
            QStringLiteral(UW_RELAY_PATH),
            QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--db"), db} + extra);
        if (!process.waitForReadyRead(10000))
            return false;
        const QString url =
            QJsonDocument::fromJson(process.readLine()).object().value(QStringLiteral("listening")).toString();
        port = quint16(url.section(QLatin1Char(':'), -1).toUInt());
        return port != 0;
    }
    ~Relay()
    {
        process.terminate();
        process.waitForFinished(5000);
    }
};

/// A WebSocket client written by hand over QTcpSocket, so that it can bind a source address of
/// its choice (127.0.0.x: another "IP address" on loopback) and stop reading when told.
class RawWs
{
public:
    bool open(quint16 port, const QString& from = QStringLiteral("127.0.0.1"), bool handshake = true)
    {
        if (!socket.bind(QHostAddress(from)))
            return false;
        socket.connectToHost(QHostAddress::LocalHost, port);
        if (!socket.waitForConnected(10000))
            return false;
        if (!handshake)
            return true;
        socket.write("GET / HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        if (!spinUntil([&] { return socket.peek(4096).contains("\r\n\r\n"); }, 10000))
            return false;
        const QByteArray head = socket.peek(4096);
        socket.read(head.indexOf("\r\n\r\n") + 4);
        return head.startsWith("HTTP/1.1 101");
    }
    void stopReading() { socket.setReadBufferSize(1); }
    void send(const QByteArray& text)
    {
        QByteArray frame(1, char(0x81));
        const qsizetype n = text.size();
        if (n < 126) {
            frame.append(char(0x80 | n));
        } else if (n < 65536) {
            frame.append(char(0x80 | 126));
            frame.append(char(n >> 8));
            frame.append(char(n & 0xff));
        } else {
            frame.append(char(0x80 | 127));
            for (int i = 7; i >= 0; --i)
                frame.append(char((quint64(n) >> (8 * i)) & 0xff));
        }
        frame.append(QByteArray(4, '\0')); // a zero mask leaves the payload as it is
        socket.write(frame + text);
    }
    /// The complete text frames received so far.
    QList<QByteArray> frames()
    {
        QList<QByteArray> out;
        m_buffer += socket.readAll();
        for (;;) {
            if (m_buffer.size() < 2)
                break;
            quint64 len = quint8(m_buffer[1]) & 0x7f;
            qsizetype at = 2;
            if (len == 126) {
                if (m_buffer.size() < 4)
                    break;
                len = (quint64(quint8(m_buffer[2])) << 8) | quint8(m_buffer[3]);
                at = 4;
            } else if (len == 127) {
                if (m_buffer.size() < 10)
                    break;
                len = 0;
                for (int i = 0; i < 8; ++i)
                    len = (len << 8) | quint8(m_buffer[2 + i]);
                at = 10;
            }
            if (quint64(m_buffer.size() - at) < len)
                break;
            out.append(m_buffer.mid(at, qsizetype(len)));
            m_buffer.remove(0, at + qsizetype(len));
        }
        return out;
    }
    QTcpSocket socket;

private:
    QByteArray m_buffer;
};

QByteArray compact(const QJsonArray& a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

NostrEvent makeEvent(const SecretKey& key, const QString& content, const QList<QStringList>& tags = {})
{
    NostrEvent e;
    e.kind = 1;
    e.createdAt = QDateTime::currentSecsSinceEpoch();
    e.tags = tags;
    e.content = content;
    (void)e.sign(key);
    return e;
}

/// Publishes `events` over one connection and waits for every OK.
bool store(quint16 port, const QList<NostrEvent>& events)
{
    RawWs c;
    if (!c.open(port, QStringLiteral("127.0.0.9")))
        return false;
    for (const NostrEvent& e : events)
        c.send(compact({QStringLiteral("EVENT"), e.toJson()}));
    int oks = 0;
    return spinUntil(
        [&] {
            for (const QByteArray& f : c.frames())
                oks += f.startsWith("[\"OK\"") ? 1 : 0;
            return oks == events.size();
        },
        120000);
}

void neverReadingClient(const QString& dir, int seconds)
{
    Relay relay;
    if (!relay.start(dir + QStringLiteral("/rss.sqlite"),
                     {QStringLiteral("--events-per-second"), QStringLiteral("1000")}))
        qFatal("relay did not start");
    const SecretKey key = schnorr::generateSecretKey();
    QList<NostrEvent> big;
    for (int i = 0; i < 30; ++i)
        big.append(
            makeEvent(key, QString(60000, QLatin1Char('a' + i % 26)), {{QStringLiteral("h"), QStringLiteral("big")}}));
    if (!store(relay.port, big))
        qFatal("could not store the large events");
    spin(500);
    const qint64 idle = rssKiB(relay.process.processId());
    RawWs hog;
    if (!hog.open(relay.port, QStringLiteral("127.0.0.2")))
        qFatal("handshake failed");
    hog.stopReading();
    const QByteArray req = compact({QStringLiteral("REQ"), QStringLiteral("x"),
                                    QJsonObject{{QStringLiteral("#h"), QJsonArray{QStringLiteral("big")}}}});
    qint64 peak = idle;
    int sent = 0;
    QElapsedTimer t;
    t.start();
    qint64 closedAtMs = -1;
    while (t.elapsed() < seconds * 1000LL) {
        if (hog.socket.state() == QAbstractSocket::ConnectedState && hog.socket.bytesToWrite() < 65536) {
            hog.send(req); // 14 bytes asking for 1.8 MB, as in the review
            ++sent;
        } else if (hog.socket.state() != QAbstractSocket::ConnectedState && closedAtMs < 0) {
            closedAtMs = t.elapsed();
        }
        spin(20);
        peak = std::max(peak, rssKiB(relay.process.processId()));
    }
    std::printf("  never-reading client, %d s: relay RSS idle %lld MiB, peak %lld MiB (+%lld MiB); %d REQs sent; "
                "%s\n",
                seconds, idle / 1024, peak / 1024, (peak - idle) / 1024, sent,
                closedAtMs >= 0
                    ? qPrintable(QStringLiteral("disconnected by the relay after %1 s").arg(closedAtMs / 1000.0))
                    : "still connected");
}

void silentTcp(const QString& dir)
{
    Relay relay;
    if (!relay.start(dir + QStringLiteral("/silent.sqlite"),
                     {QStringLiteral("--handshake-timeout-ms"), QStringLiteral("2000")}))
        qFatal("relay did not start");
    constexpr int kSockets = 200;
    std::vector<std::unique_ptr<RawWs>> socks;
    for (int i = 0; i < kSockets; ++i) {
        socks.push_back(std::make_unique<RawWs>());
        if (!socks.back()->open(relay.port, QStringLiteral("127.0.0.3"), /*handshake=*/false))
            qFatal("connect failed");
    }
    QElapsedTimer t;
    t.start();
    auto closed = [&] {
        return int(std::count_if(socks.begin(), socks.end(),
                                 [](auto& s) { return s->socket.state() == QAbstractSocket::UnconnectedState; }));
    };
    spinUntil([&] { return closed() >= kSockets - 64; }, 1000);
    const int refusedAtOnce = closed();
    const qint64 refusedMs = t.elapsed();
    spinUntil([&] { return closed() == kSockets; }, 10000);
    std::printf("  %d TCP connections from one address, no handshake (timeout 2 s): %d closed within %lld ms of "
                "the last connect (over the per-address limit of 64), all %d closed after %.1f s\n",
                kSockets, refusedAtOnce, refusedMs, closed(), t.elapsed() / 1000.0);
}

void okLatencyUnderHeavyReqs(const QString& dir, const QStringList& extra, const char* label)
{
    Relay relay;
    if (!relay.start(dir + QStringLiteral("/heavy-%1.sqlite").arg(extra.size()),
                     QStringList{QStringLiteral("--events-per-second"), QStringLiteral("1000")} + extra +
                         qEnvironmentVariable("BENCH_RELAY_ARGS").split(QLatin1Char(' '), Qt::SkipEmptyParts)))
        qFatal("relay did not start");
    const SecretKey key = schnorr::generateSecretKey();
    QList<NostrEvent> stored;
    for (int i = 0; i < 5000; ++i)
        stored.append(makeEvent(key, QStringLiteral("stored %1").arg(i),
                                {{QStringLiteral("a"), QString::number(i % 100)},
                                 {QStringLiteral("b"), QString::number(i % 97)},
                                 {QStringLiteral("c"), QString::number(i % 89)},
                                 {QStringLiteral("d"), QString::number(i % 83)},
                                 {QStringLiteral("e"), QString::number(i % 79)}}));
    if (!store(relay.port, stored))
        qFatal("could not store");
    // The heaviest REQ the default bounds allow: 5 tag letters x 100 values, 500 more in ids.
    QJsonObject filter;
    for (const char* letter : {"#a", "#b", "#c", "#d", "#e"}) {
        QJsonArray values;
        for (int v = 0; v < 100; ++v)
            values.append(QString::number(v));
        filter.insert(QString::fromLatin1(letter), values);
    }
    filter.insert(QStringLiteral("limit"), 500);
    std::vector<std::unique_ptr<RawWs>> heavy;
    for (int i = 0; i < 3; ++i) {
        heavy.push_back(std::make_unique<RawWs>());
        if (!heavy.back()->open(relay.port, QStringLiteral("127.0.0.%1").arg(4 + i)))
            qFatal("heavy client");
    }
    RawWs honest;
    if (!honest.open(relay.port, QStringLiteral("127.0.0.8")))
        qFatal("honest client");
    QTimer pump;
    int reqs = 0;
    QObject::connect(&pump, &QTimer::timeout, [&] {
        for (auto& h : heavy) {
            (void)h->frames(); // read, so that output caps are not what stops them
            if (h->socket.bytesToWrite() < 65536) {
                h->send(compact({QStringLiteral("REQ"), QStringLiteral("h%1").arg(reqs++ % 5), filter}));
            }
        }
    });
    pump.start(1);
    std::vector<double> latencies;
    for (int i = 0; i < 200; ++i) {
        const NostrEvent e = makeEvent(key, QStringLiteral("honest %1").arg(i));
        QElapsedTimer t;
        t.start();
        honest.send(compact({QStringLiteral("EVENT"), e.toJson()}));
        bool got = false;
        QElapsedTimer waited;
        waited.start();
        while (!got && waited.elapsed() < 30000) {
            QEventLoop loop; // wakes on the answer itself, not on a polling nap
            QObject::connect(&honest.socket, &QIODevice::readyRead, &loop, &QEventLoop::quit);
            QTimer::singleShot(100, &loop, &QEventLoop::quit);
            if (honest.socket.bytesAvailable() == 0)
                loop.exec();
            for (const QByteArray& f : honest.frames())
                got = got || f.contains(e.id.toLatin1());
        }
        if (!got) {
            std::printf("  honest EVENT -> OK while 3 clients send heavy REQs (%s): no OK within 30 s after %d "
                        "answered (%d REQs sent)\n",
                        label, int(latencies.size()), reqs);
            return;
        }
        if (qEnvironmentVariableIsSet("BENCH_VERBOSE"))
            std::fprintf(stderr, "honest %d: %.1f ms\n", i, latencies.empty() ? 0.0 : latencies.back());
        latencies.push_back(t.nsecsElapsed() / 1e6);
        spin(20);
    }
    pump.stop();
    std::sort(latencies.begin(), latencies.end());
    std::printf("  honest EVENT -> OK while 3 clients send heavy REQs (%s): p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                "(%d REQs sent)\n",
                label, latencies[latencies.size() / 2], latencies[latencies.size() * 99 / 100], latencies.back(), reqs);
}

void perAddressRate(const QString& dir)
{
    Relay relay;
    if (!relay.start(dir + QStringLiteral("/rate.sqlite")))
        qFatal("relay did not start");
    const SecretKey key = schnorr::generateSecretKey();
    constexpr int kConnections = 20, kSeconds = 10;
    std::vector<std::unique_ptr<RawWs>> clients;
    for (int i = 0; i < kConnections; ++i) {
        clients.push_back(std::make_unique<RawWs>());
        if (!clients.back()->open(relay.port, QStringLiteral("127.0.0.10")))
            qFatal("client");
    }
    int accepted = 0, refused = 0, n = 0;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < kSeconds * 1000) {
        for (auto& c : clients) {
            for (const QByteArray& f : c->frames()) {
                if (f.startsWith("[\"OK\""))
                    (f.contains("\",true,") ? accepted : refused)++;
            }
            if (c->socket.bytesToWrite() < 16384)
                c->send(
                    compact({QStringLiteral("EVENT"), makeEvent(key, QStringLiteral("rate %1").arg(n++)).toJson()}));
        }
        spin(1);
    }
    std::printf("  one address, %d connections, %d s, defaults (50/s, bursts of 100): %d accepted (%.1f/s), %d "
                "refused rate-limited\n",
                kConnections, kSeconds, accepted, accepted / double(kSeconds), refused);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each figure as soon as it is measured
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 60;
    const QString only = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString(); // rss, silent, heavy, rate
    QTemporaryDir dir;
    std::printf("bench_abuse: userwallet-relay on loopback\n");
    if (only.isEmpty() || only == QLatin1String("rss"))
        neverReadingClient(dir.path(), seconds);
    if (only.isEmpty() || only == QLatin1String("silent"))
        silentTcp(dir.path());
    if (only.isEmpty() || only == QLatin1String("heavy")) {
        okLatencyUnderHeavyReqs(dir.path(), {}, "default limits");
        okLatencyUnderHeavyReqs(dir.path(), {QStringLiteral("--reqs-per-second"), QStringLiteral("100000")},
                                "REQ rate limit lifted");
    }
    if (only.isEmpty() || only == QLatin1String("rate"))
        perAddressRate(dir.path());
    return 0;
}
