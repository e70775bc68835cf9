// `userwallet-cli status --json` against real listeners on loopback (an HTTP server answering
// 200, one answering 502, a WebSocket server, a closed port) and the Bitcoin Core test double.
#include "support/HttpTestServer.h"
#include "support/Processes.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
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
    void anchorDatabaseIsOnlyRead();
    void unreadableOrMissingAnchorDatabase();

private:
    /// `status --services []` on the profile folder `dataDir`.
    QJsonObject statusOf(const QString& dataDir);
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

QJsonObject TestStatus::statusOf(const QString& dataDir)
{
    QFile none(m_dir.path() + QStringLiteral("/no-services.json"));
    if (!none.open(QIODevice::WriteOnly) || none.write("[]") != 2)
        return {};
    none.close();
    CliProcess p(QStringList{QStringLiteral("--data-dir"), dataDir, QStringLiteral("status"),
                             QStringLiteral("--services"), none.fileName()},
                 {});
    p.start();
    if (p.waitForExit(30000) != 0)
        return {};
    return p.lines().isEmpty() ? QJsonObject() : p.lines().last();
}

namespace {

/// What a look at a file can tell: its bytes, when it was last written, its SQLite schema version.
struct FileState
{
    QByteArray sha256;
    QDateTime modified;
    int userVersion = -1;
    bool operator==(const FileState&) const = default;
};

FileState fileState(const QString& path)
{
    FileState out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    out.sha256 = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
    out.modified = QFileInfo(path).lastModified();
    // user_version is the big-endian 32-bit integer at offset 60 of the header (no connection needed).
    const QByteArray header = [&] {
        f.seek(0);
        return f.read(100);
    }();
    if (header.size() == 100 && header.startsWith("SQLite format 3"))
        out.userVersion = int(quint32(quint8(header[60])) << 24 | quint32(quint8(header[61])) << 16 |
                              quint32(quint8(header[62])) << 8 | quint32(quint8(header[63])));
    return out;
}

} // namespace

void TestStatus::anchorDatabaseIsOnlyRead()
{
    // A profile whose anchor database an earlier release made (schema version 1: no rounds yet),
    // never opened since by the anchoring core. `status` reads it as it is: it neither migrates
    // it (the anchoring core does that, as the only writer) nor writes anything else to it.
    const QString dataDir = m_dir.path() + QStringLiteral("/older");
    QVERIFY(QDir().mkpath(dataDir));
    const QString path = dataDir + QStringLiteral("/anchor.sqlite");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        const QStringList statements{
            // Schema version 1, as AnchorStore's first migration made it.
            QStringLiteral("PRAGMA journal_mode=WAL"),
            QStringLiteral(
                "CREATE TABLE utxos (id INTEGER PRIMARY KEY, txid TEXT NOT NULL, vout INTEGER NOT NULL, "
                "value INTEGER NOT NULL, script BLOB NOT NULL, height INTEGER, chain_depth INTEGER NOT NULL DEFAULT 0, "
                "state TEXT NOT NULL, locked_until INTEGER, anchor_id INTEGER, spending_txid TEXT, spent_height "
                "INTEGER, UNIQUE (txid, vout))"),
            QStringLiteral("CREATE TABLE anchors (id INTEGER PRIMARY KEY, digest TEXT NOT NULL, forced INTEGER NOT "
                           "NULL DEFAULT 0, state TEXT NOT NULL, txid TEXT, raw_tx BLOB, fee INTEGER, vsize INTEGER, "
                           "utxo_id INTEGER, height INTEGER, block_hash TEXT, error TEXT, attempts INTEGER NOT NULL "
                           "DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, "
                           "updated_at INTEGER NOT NULL, broadcast_at INTEGER)"),
            QStringLiteral("CREATE TABLE blocks (height INTEGER PRIMARY KEY, hash TEXT NOT NULL, prev_hash TEXT NOT "
                           "NULL)"),
            QStringLiteral("INSERT INTO utxos (txid, vout, value, script, height, state) VALUES "
                           "('%1', 0, 50000, x'0014', 100, 'unspent')")
                .arg(QString(64, QLatin1Char('a'))),
            QStringLiteral("INSERT INTO utxos (txid, vout, value, script, height, state, locked_until) VALUES "
                           "('%1', 1, 70000, x'0014', 100, 'locked', 1)")
                .arg(QString(64, QLatin1Char('a'))),
            QStringLiteral("INSERT INTO anchors (digest, state, txid, height, created_at, updated_at) VALUES "
                           "('%1', 'confirmed', '%2', 100, 1, 1)")
                .arg(QString(64, QLatin1Char('1')), QString(64, QLatin1Char('c'))),
            QStringLiteral("INSERT INTO anchors (digest, state, created_at, updated_at) VALUES ('%1', 'queued', 2, 2)")
                .arg(QString(64, QLatin1Char('2'))),
            QStringLiteral("INSERT INTO anchors (digest, state, error, created_at, updated_at) VALUES "
                           "('%1', 'failed', 'the node refused it', 3, 3)")
                .arg(QString(64, QLatin1Char('3'))),
            QStringLiteral("INSERT INTO blocks VALUES (100, '%1', '%2')")
                .arg(QString(64, QLatin1Char('b')), QString(64, QLatin1Char('0'))),
            QStringLiteral("INSERT INTO blocks VALUES (101, '%1', '%2')")
                .arg(QString(64, QLatin1Char('d')), QString(64, QLatin1Char('b'))),
            QStringLiteral("PRAGMA user_version=1"),
        };
        for (const QString& sql : statements)
            QVERIFY2(q.exec(sql), qPrintable(sql + QStringLiteral(": ") + q.lastError().text()));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v1")); // closed: the WAL is checkpointed into the file
    const FileState before = fileState(path);
    QCOMPARE(before.userVersion, 1);

    const QJsonObject snapshot = statusOf(dataDir);
    const QJsonObject anchors = snapshot.value(QStringLiteral("anchors")).toObject();
    QVERIFY2(!anchors.contains(QStringLiteral("error")), qPrintable(anchors.value(QStringLiteral("error")).toString()));
    const QJsonObject counts = anchors.value(QStringLiteral("counts")).toObject();
    QCOMPARE(counts.value(QStringLiteral("confirmed")).toInt(), 1);
    QCOMPARE(counts.value(QStringLiteral("queued")).toInt(), 1);
    QCOMPARE(counts.value(QStringLiteral("failed")).toInt(), 1);
    QCOMPARE(anchors.value(QStringLiteral("queue_depth")).toInt(), 1);
    const QJsonArray latest = anchors.value(QStringLiteral("latest")).toArray();
    QCOMPARE(latest.size(), 3);
    QCOMPARE(latest.last().toObject().value(QStringLiteral("confirmations")).toInt(), 2); // block 100, tip 101
    QCOMPARE(anchors.value(QStringLiteral("failures")).toArray().first().toObject().value(QStringLiteral("reason")),
             QStringLiteral("the node refused it"));
    const QJsonObject utxos = snapshot.value(QStringLiteral("utxos")).toObject();
    QCOMPARE(utxos.value(QStringLiteral("unspent")).toObject().value(QStringLiteral("value")).toInt(), 50000);
    QCOMPARE(utxos.value(QStringLiteral("expired_locks")).toInt(), 1);

    // Not a byte of the file changed, nor its schema version.
    QCOMPARE(fileState(path), before);
    QCOMPARE(fileState(path).userVersion, 1);
}

void TestStatus::unreadableOrMissingAnchorDatabase()
{
    // No database: no anchors yet, said as such, and none is created.
    const QString empty = m_dir.path() + QStringLiteral("/fresh");
    QVERIFY(QDir().mkpath(empty));
    QJsonObject s = statusOf(empty);
    QCOMPARE(s.value(QStringLiteral("anchors")).toObject(), (QJsonObject{{QStringLiteral("available"), false}}));
    QVERIFY(!QFileInfo::exists(empty + QStringLiteral("/anchor.sqlite")));
    // A file that is not a database: the reason, and the file as it was.
    const QString damaged = m_dir.path() + QStringLiteral("/damaged");
    QVERIFY(QDir().mkpath(damaged));
    QFile f(damaged + QStringLiteral("/anchor.sqlite"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("not a database, whatever the name says\n").repeated(200));
    f.close();
    const FileState before = fileState(f.fileName());
    s = statusOf(damaged);
    const QString error = s.value(QStringLiteral("anchors")).toObject().value(QStringLiteral("error")).toString();
    QVERIFY2(error.startsWith(QStringLiteral("The anchor database cannot be read: ")), qPrintable(error));
    QCOMPARE(fileState(f.fileName()), before);
}

QTEST_GUILESS_MAIN(TestStatus)
#include "test_status.moc"
