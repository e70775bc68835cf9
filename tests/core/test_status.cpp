// `userwallet-cli status --json` against real listeners on loopback (an HTTP server answering
// 200, one answering 502, a WebSocket server, a closed port) and the Bitcoin Core test double.
#include "support/HttpTestServer.h"
#include "support/Processes.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace uw;
using namespace uw::test;

class TestStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void servicesAndNode();
    void noNodeIsSaidPlainly();
    void csvExport();

private:
    QJsonObject status(const QStringList& extra, const QHash<QString, QString>& env, QByteArray* raw = nullptr);
    QTemporaryDir m_dir;
};

QJsonObject TestStatus::status(const QStringList& extra, const QHash<QString, QString>& env, QByteArray* raw)
{
    CliProcess p(
        QStringList{QStringLiteral("--data-dir"), m_dir.path() + QStringLiteral("/op"), QStringLiteral("status")} +
            extra,
        {}, nullptr, env);
    p.start();
    if (p.waitForExit(30000) != 0)
        return {};
    if (raw)
        *raw = p.rawOutput();
    return p.lines().isEmpty() ? QJsonObject() : p.lines().last();
}

void TestStatus::servicesAndNode()
{
    HttpTestServer ok, failing;
    QVERIFY(ok.listen() && failing.listen());
    failing.setResponse(502, "Bad Gateway");
    QWebSocketServer ws(QStringLiteral("ws"), QWebSocketServer::NonSecureMode);
    QVERIFY(ws.listen(QHostAddress::LocalHost));
    connect(&ws, &QWebSocketServer::newConnection, &ws, [&ws] {
        while (auto* s = ws.nextPendingConnection())
            s->deleteLater();
    });
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 closedPort = closed.serverPort();
    closed.close();
    DoubleProcess node(m_dir.path() + QStringLiteral("/.cookie"));
    QVERIFY(node.start());
    node.rpc(QStringLiteral("generatetoaddress"), {7, QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")});

    const QJsonArray services{
        QJsonObject{{QStringLiteral("name"), QStringLiteral("storage")},
                    {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/").arg(failing.port())}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("relay")},
                    {QStringLiteral("url"), QStringLiteral("ws://127.0.0.1:%1").arg(ws.serverPort())}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("api")},
                    {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/health").arg(ok.port())}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("app")},
                    {QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/").arg(ok.port())},
                    {QStringLiteral("depends_on"), QJsonArray{QStringLiteral("storage")}}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("tor")},
                    {QStringLiteral("url"), QStringLiteral("tcp://127.0.0.1:%1").arg(closedPort)}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("p2p")},
                    {QStringLiteral("url"), QStringLiteral("tcp://127.0.0.1:%1").arg(ok.port())}},
    };
    QFile f(m_dir.path() + QStringLiteral("/services.json"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(services).toJson());
    f.close();

    const QJsonObject s = status(
        {QStringLiteral("--json"), QStringLiteral("--services"), f.fileName()},
        {{QStringLiteral("BITCOIN_RPC_URL"), node.url()}, {QStringLiteral("BITCOIN_RPC_COOKIE"), node.cookieFile()}});
    QVERIFY(!s.isEmpty());
    QHash<QString, QJsonObject> byName;
    const QJsonArray list = s.value(QStringLiteral("services")).toArray();
    QCOMPARE(list.size(), 6);
    QStringList order;
    for (const QJsonValue& v : list) {
        byName.insert(v.toObject().value(QStringLiteral("name")).toString(), v.toObject());
        order.append(v.toObject().value(QStringLiteral("name")).toString());
        for (const char* field : {"name", "url", "state", "latency_ms", "checked_at", "detail"})
            QVERIFY2(v.toObject().contains(QString::fromLatin1(field)), field);
        QVERIFY(v.toObject().value(QStringLiteral("latency_ms")).toInt(-1) >= 0);
    }
    QCOMPARE(order,
             (QStringList{QStringLiteral("storage"), QStringLiteral("relay"), QStringLiteral("api"),
                          QStringLiteral("app"), QStringLiteral("tor"), QStringLiteral("p2p")})); // the order given
    QCOMPARE(byName[QStringLiteral("storage")].value(QStringLiteral("state")).toString(), QStringLiteral("down"));
    QCOMPARE(byName[QStringLiteral("storage")].value(QStringLiteral("detail")).toString(), QStringLiteral("HTTP 502"));
    QCOMPARE(byName[QStringLiteral("relay")].value(QStringLiteral("state")).toString(), QStringLiteral("up"));
    QCOMPARE(byName[QStringLiteral("api")].value(QStringLiteral("state")).toString(), QStringLiteral("up"));
    QCOMPARE(byName[QStringLiteral("api")].value(QStringLiteral("detail")).toString(), QStringLiteral("HTTP 200"));
    QCOMPARE(byName[QStringLiteral("app")].value(QStringLiteral("state")).toString(), QStringLiteral("up"));
    QCOMPARE(byName[QStringLiteral("app")].value(QStringLiteral("detail")).toString(),
             QStringLiteral("depends on storage, which is down"));
    QCOMPARE(byName[QStringLiteral("tor")].value(QStringLiteral("state")).toString(), QStringLiteral("down"));
    QCOMPARE(byName[QStringLiteral("tor")].value(QStringLiteral("detail")).toString(),
             QStringLiteral("connection refused"));
    QCOMPARE(byName[QStringLiteral("p2p")].value(QStringLiteral("state")).toString(), QStringLiteral("up"));

    const QJsonObject nodeInfo = s.value(QStringLiteral("node")).toObject();
    QCOMPARE(nodeInfo.value(QStringLiteral("reachable")).toBool(), true);
    QCOMPARE(nodeInfo.value(QStringLiteral("blocks")).toInt(), 7);
    QCOMPARE(nodeInfo.value(QStringLiteral("chain")).toString(), QStringLiteral("signet"));
    QVERIFY(nodeInfo.contains(QStringLiteral("mempool_count")));
    QVERIFY(nodeInfo.contains(QStringLiteral("peers")));
    QVERIFY(s.value(QStringLiteral("process")).toObject().value(QStringLiteral("rss_kb")).toInt() > 0);
    QVERIFY(s.value(QStringLiteral("process")).toObject().value(QStringLiteral("threads")).toInt() > 0);
    QVERIFY(s.contains(QStringLiteral("utxos")));
    QVERIFY(s.contains(QStringLiteral("anchors")));

    // The node goes down: unreachable, with the reason.
    const QJsonObject down =
        status({QStringLiteral("--services"), f.fileName()},
               {{QStringLiteral("BITCOIN_RPC_URL"), QStringLiteral("http://127.0.0.1:%1/").arg(closedPort)},
                {QStringLiteral("BITCOIN_RPC_COOKIE"), node.cookieFile()}});
    QCOMPARE(down.value(QStringLiteral("node")).toObject().value(QStringLiteral("reachable")).toBool(true), false);
    QVERIFY(down.value(QStringLiteral("node"))
                .toObject()
                .value(QStringLiteral("reason"))
                .toString()
                .contains(QStringLiteral("unreachable")));
}

void TestStatus::noNodeIsSaidPlainly()
{
    QFile f(m_dir.path() + QStringLiteral("/none.json"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[]");
    f.close();
    const QJsonObject s = status({QStringLiteral("--services"), f.fileName()}, {});
    QCOMPARE(s.value(QStringLiteral("node")).toObject().value(QStringLiteral("configured")).toBool(true), false);
    QVERIFY(s.value(QStringLiteral("node"))
                .toObject()
                .value(QStringLiteral("reason"))
                .toString()
                .contains(QStringLiteral("No Bitcoin node")));
    QCOMPARE(s.value(QStringLiteral("services")).toArray().size(), 0);
}

void TestStatus::csvExport()
{
    QFile f(m_dir.path() + QStringLiteral("/none.json"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("[{\"name\":\"x\",\"url\":\"tcp://127.0.0.1:1\"}]");
    f.close();
    CliProcess p(QStringList{QStringLiteral("--data-dir"), m_dir.path() + QStringLiteral("/op"),
                             QStringLiteral("status"), QStringLiteral("--csv"), QStringLiteral("--services"),
                             f.fileName()},
                 {});
    p.start();
    QCOMPARE(p.waitForExit(30000), 0);
    const QByteArray csv = p.rawOutput();
    QVERIFY2(csv.startsWith("section,name,field,value\n"), csv.constData());
    QVERIFY(csv.contains("\"services\",\"x\",\"state\",\"down\""));
}

QTEST_GUILESS_MAIN(TestStatus)
#include "test_status.moc"
