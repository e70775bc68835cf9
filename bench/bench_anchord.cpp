// userwallet-anchord's ingest (issue #12): digests accepted over HTTP on loopback by keep-alive
// clients posting requests of 1,000 digests, each answered 202 only once its digests are on disk.
// The daemon runs as an operator runs it (a data dir made by the CLI, the Bitcoin Core double as
// its node, default round settings); only its per-token request rate is lifted.
//   build/bench/bench_anchord [digests] [connections] [digests-per-request]
#include "crypto/Sha256.h"
#include "support/Processes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrl>
#include <algorithm>
#include <cstdio>
#include <memory>

using namespace uw;

namespace {

const QByteArray kToken = "bench-token-0123456789abcdef0123456789abcdef";

QByteArray loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
}

bool writeSecret(const QString& path, const QByteArray& content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size() &&
           f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

/// One keep-alive connection posting its requests one after another.
struct Client
{
    QTcpSocket socket;
    QByteArray buffer;
    QList<QByteArray> requests;
    int next = 0;
    QElapsedTimer sentAt;
};

/// Killed by die(): exit() runs no destructor of main's locals.
QList<QProcess*> g_children;

[[noreturn]] void die(const char* what, const QByteArray& detail = {})
{
    std::fprintf(stderr, "bench_anchord: %s %s\n", what, detail.constData());
    for (QProcess* p : std::as_const(g_children)) {
        p->kill();
        p->waitForFinished();
    }
    std::exit(1);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int total = argc > 1 ? std::atoi(argv[1]) : 200'000;
    const int connections = argc > 2 ? std::atoi(argv[2]) : 4;
    const int perRequest = argc > 3 ? std::atoi(argv[3]) : 1000;
    QTemporaryDir dir(QStringLiteral("bench-anchord-XXXXXX")); // on the working disk, not tmpfs
    std::printf("bench_anchord: %d digests, %d keep-alive connections, %d digests a request; load %s\n", total,
                connections, perRequest, loadAverage().constData());

    const QString cookie = dir.filePath(QStringLiteral(".cookie"));
    QProcess node;
    g_children.append(&node);
    node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    node.start(QStringLiteral(UW_DOUBLE_PATH), {QStringLiteral("--cookie-file"), cookie});
    if (!node.waitForStarted() || !node.waitForReadyRead(10000))
        die("the double did not start");
    const QString nodeUrl = QString::fromUtf8(node.readLine()).section(QLatin1Char('"'), 3, 3);
    const QString dataDir = dir.filePath(QStringLiteral("anchord"));
    const QHash<QString, QString> nodeEnv{{QStringLiteral("BITCOIN_RPC_URL"), nodeUrl},
                                          {QStringLiteral("BITCOIN_RPC_COOKIE"), cookie}};
    test::CliProcess address({QStringLiteral("--data-dir"), dataDir, QStringLiteral("address")}, {}, nullptr, nodeEnv);
    address.start();
    if (address.waitForExit() != 0)
        die("userwallet-cli address failed", address.stderrText());
    const QString tokenFile = dir.filePath(QStringLiteral("token"));
    const QString passFile = dir.filePath(QStringLiteral("passphrase"));
    if (!writeSecret(tokenFile, kToken + '\n') || !writeSecret(passFile, "test passphrase\n"))
        die("cannot write the secrets");

    QProcess daemon;
    g_children.prepend(&daemon);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BITCOIN_RPC_URL"), nodeUrl);
    env.insert(QStringLiteral("BITCOIN_RPC_COOKIE"), cookie);
    daemon.setProcessEnvironment(env);
    daemon.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    daemon.start(QStringLiteral(UW_ANCHORD_PATH),
                 {QStringLiteral("--data-dir"), dataDir, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                  QStringLiteral("--token-file"), tokenFile, QStringLiteral("--passphrase-file"), passFile,
                  QStringLiteral("--requests-per-second"), QStringLiteral("1000000"), QStringLiteral("--burst"),
                  QStringLiteral("1000000")});
    if (!daemon.waitForStarted() || !daemon.waitForReadyRead(30000))
        die("the daemon did not start");
    const QByteArray line = daemon.readLine();
    const QUrl url(QJsonDocument::fromJson(line).object().value(QStringLiteral("listening")).toString());
    if (!url.isValid() || url.port() <= 0)
        die("no listening line:", line);

    // Every digest is new: a digest posted twice is only answered with where it stands.
    std::vector<std::unique_ptr<Client>> clients;
    for (int c = 0; c < connections; ++c)
        clients.push_back(std::make_unique<Client>());
    int made = 0;
    for (int r = 0; made < total; ++r) {
        QByteArray body = "{\"digests\":[";
        const int n = std::min(perRequest, total - made);
        for (int i = 0; i < n; ++i) {
            if (i)
                body += ',';
            body += '"' + Sha256::hashHex(QByteArray("anchord " + QByteArray::number(made + i))).toLatin1() + '"';
        }
        body += "]}";
        made += n;
        clients[std::size_t(r % connections)]->requests.append(
            "POST /v1/anchors HTTP/1.1\r\nHost: " + url.host().toLatin1() + "\r\nAuthorization: Bearer " + kToken +
            "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" +
            body);
    }

    int accepted = 0, finished = 0;
    std::vector<double> latencies;
    QEventLoop loop;
    QElapsedTimer clock;
    auto sendNext = [&](Client& c) {
        if (c.next == c.requests.size()) {
            if (++finished == connections)
                loop.quit();
            return;
        }
        c.sentAt.start();
        c.socket.write(c.requests[c.next++]);
    };
    for (auto& owned : clients) {
        Client& c = *owned;
        QObject::connect(&c.socket, &QTcpSocket::connected, &loop, [&] { sendNext(c); });
        QObject::connect(&c.socket, &QTcpSocket::readyRead, &loop, [&] {
            c.buffer += c.socket.readAll();
            for (;;) {
                const qsizetype end = c.buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const QByteArray head = c.buffer.left(end).toLower();
                const qsizetype at = head.indexOf("content-length:");
                const qsizetype length =
                    at < 0 ? 0 : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
                if (c.buffer.size() < end + 4 + length)
                    return;
                const QByteArray body = c.buffer.mid(end + 4, length);
                if (!head.startsWith("http/1.1 202"))
                    die("refused:", c.buffer.left(end) + ' ' + body.left(300));
                accepted += int(body.count("\"digest\""));
                latencies.push_back(double(c.sentAt.nsecsElapsed()) / 1e6);
                c.buffer.remove(0, end + 4 + length);
                sendNext(c);
            }
        });
        QObject::connect(&c.socket, &QTcpSocket::errorOccurred, &loop,
                         [&] { die("connection error:", c.socket.errorString().toUtf8()); });
    }
    clock.start();
    for (auto& c : clients)
        c->socket.connectToHost(url.host(), quint16(url.port()));
    loop.exec();
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    std::printf("  digests accepted (202, committed before the answer)  %8.0f /s   (%d in %.2f s; a request: median "
                "%.1f ms, p99 %.1f ms; load %s)\n",
                accepted / seconds, accepted, seconds, percentile(latencies, 0.5), percentile(latencies, 0.99),
                loadAverage().constData());
    daemon.terminate();
    daemon.waitForFinished(30000);
    node.kill();
    node.waitForFinished();
    return accepted == total ? 0 : 1;
}
