// userwallet-anchord, the real daemon on loopback, against the Bitcoin Core double: its start-up
// refusals (token file, options, data dir, wallet, node), the bearer token, every bad input of the
// HTTP API, the limits that keep a slow or hostile client from stalling the others (body cap on
// Content-Length, slowloris, connections per address, the token's request budget), SIGTERM, and
// the anchoring itself: digests answered 202 only once on disk survive kill -9, rounds are
// anchored, and the .ots proof is served once confirmed (409 before, 503 when the node is gone).
#include "support/Processes.h"
#include "support/RawHttpClient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <sys/stat.h>

using namespace uw::test;

namespace {

const QByteArray kToken = "test-token-0123456789abcdef0123456789abcdef";
const QString kElsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");

QByteArray digest(int i)
{
    return QCryptographicHash::hash(QByteArray("anchord test " + QByteArray::number(i)), QCryptographicHash::Sha256)
        .toHex();
}

QByteArray digestsBody(const QList<QByteArray>& digests)
{
    QJsonArray a;
    for (const QByteArray& d : digests)
        a.append(QString::fromLatin1(d));
    return QJsonDocument(QJsonObject{{QStringLiteral("digests"), a}}).toJson(QJsonDocument::Compact);
}

bool writeFile(const QString& path, const QByteArray& content, int mode)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    f.write(content);
    f.close();
    return ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0;
}

/// One userwallet-anchord process.
class Anchord
{
public:
    Anchord(const QStringList& args, const QProcessEnvironment& env)
    {
        m_process.setProcessEnvironment(env);
        m_process.start(QStringLiteral(UW_ANCHORD_PATH), args);
    }
    ~Anchord()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    /// Waits for the "listening" line; false if the process exits (or stays silent) first.
    bool ready()
    {
        QByteArray out;
        while (!out.contains('\n')) {
            if (!m_process.waitForReadyRead(30000))
                return false;
            out += m_process.readAllStandardOutput();
        }
        const QString url =
            QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object().value(QStringLiteral("listening")).toString();
        m_port = quint16(url.mid(url.lastIndexOf(QLatin1Char(':')) + 1).toUInt());
        return url.startsWith(QStringLiteral("http://127.0.0.1:")) && m_port != 0;
    }
    /// The exit code once it exits (-1: still running after the timeout, -2: crashed or killed).
    int exitCode(int timeoutMs = 30000)
    {
        if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs))
            return -1;
        m_stderr += m_process.readAllStandardError();
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }
    QString stderrText()
    {
        m_stderr += m_process.readAllStandardError();
        return QString::fromUtf8(m_stderr);
    }
    QByteArray stdoutText() { return m_process.readAllStandardOutput(); }
    quint16 port() const { return m_port; }
    QProcess& process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_stderr;
    quint16 m_port = 0;
};

/// One request on its own connection.
std::optional<RawHttpClient::Response> call(quint16 port, const QByteArray& request)
{
    RawHttpClient c;
    if (!c.connectTo(port))
        return std::nullopt;
    c.send(request);
    return c.next(30000);
}

QJsonObject json(const std::optional<RawHttpClient::Response>& r)
{
    return r ? QJsonDocument::fromJson(r->body).object() : QJsonObject();
}

QString errorCode(const std::optional<RawHttpClient::Response>& r)
{
    return json(r).value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

} // namespace

class TestAnchord : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void healthNeedsNoToken();
    void everyOtherRouteNeedsTheToken();
    void tokenFileRefused_data();
    void tokenFileRefused();
    void startRefused_data();
    void startRefused();
    void badInput_data();
    void badInput();
    void bodyRefusedOnItsLengthBeforeItIsRead();
    void digestsAcceptedOnceEachAnsweredEach();
    void tenThousandDigestsInOneRequest();
    void slowClientDoesNotStallOthers();
    void connectionsPerAddressCapped();
    void tokenBudget();
    void sigtermDrainsAndExitsZero();
    void acceptedDigestsSurviveKill9();
    void proofServedOnceConfirmed();
    void roundIntervalFromSettingsUnlessGiven();
    void nodeGoneProofIs503DigestsStillAccepted(); // last: stops the node

private:
    QStringList args(const QStringList& extra = {}) const;
    QProcessEnvironment env(bool withNode = true) const;
    std::unique_ptr<Anchord> start(const QStringList& extra = {});
    std::optional<RawHttpClient::Response> get(const QByteArray& path) const;
    std::optional<RawHttpClient::Response> post(const QList<QByteArray>& digests) const;
    QJsonObject waitForState(const QByteArray& digest, const QString& state, int timeoutMs = 60000) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<DoubleProcess> m_node;
    QString m_dataDir, m_tokenFile, m_passFile, m_address;
    std::unique_ptr<Anchord> m_daemon; ///< the one most tests talk to
};

QStringList TestAnchord::args(const QStringList& extra) const
{
    return QStringList{QStringLiteral("--data-dir"),        m_dataDir,
                       QStringLiteral("--listen"),          QStringLiteral("127.0.0.1:0"),
                       QStringLiteral("--token-file"),      m_tokenFile,
                       QStringLiteral("--passphrase-file"), m_passFile,
                       QStringLiteral("--poll-ms"),         QStringLiteral("100"),
                       QStringLiteral("--batch-interval"),  QStringLiteral("0")} +
           extra;
}

QProcessEnvironment TestAnchord::env(bool withNode) const
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const char* name :
         {"BITCOIN_RPC_URL", "BITCOIN_RPC_COOKIE", "MEMPOOL_API_URL", "USERWALLET_PASSPHRASE", "BITCOIN_ZMQ_HASHBLOCK"})
        e.remove(QString::fromLatin1(name));
    if (withNode) {
        e.insert(QStringLiteral("BITCOIN_RPC_URL"), m_node->url());
        e.insert(QStringLiteral("BITCOIN_RPC_COOKIE"), m_node->cookieFile());
    }
    return e;
}

std::unique_ptr<Anchord> TestAnchord::start(const QStringList& extra)
{
    auto d = std::make_unique<Anchord>(args(extra), env());
    if (!d->ready()) {
        qWarning("anchord did not start: %s", qPrintable(d->stderrText()));
        return nullptr;
    }
    return d;
}

std::optional<RawHttpClient::Response> TestAnchord::get(const QByteArray& path) const
{
    return call(m_daemon->port(), RawHttpClient::get(path, kToken));
}

std::optional<RawHttpClient::Response> TestAnchord::post(const QList<QByteArray>& digests) const
{
    return call(m_daemon->port(), RawHttpClient::post("/v1/anchors", digestsBody(digests), kToken));
}

QJsonObject TestAnchord::waitForState(const QByteArray& d, const QString& state, int timeoutMs) const
{
    QJsonObject last;
    (void)QTest::qWaitFor(
        [&] {
            last = json(get("/v1/anchors/" + d));
            return last.value(QStringLiteral("state")).toString() == state;
        },
        timeoutMs);
    return last;
}

void TestAnchord::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_node = std::make_unique<DoubleProcess>(m_dir->filePath(QStringLiteral(".cookie")));
    QVERIFY(m_node->start());
    m_dataDir = m_dir->filePath(QStringLiteral("anchord"));
    const QHash<QString, QString> nodeEnv{{QStringLiteral("BITCOIN_RPC_URL"), m_node->url()},
                                          {QStringLiteral("BITCOIN_RPC_COOKIE"), m_node->cookieFile()}};
    // The wallet the daemon anchors with, made and funded as an operator would, with the CLI.
    CliProcess address({QStringLiteral("--data-dir"), m_dataDir, QStringLiteral("address")}, {}, this, nodeEnv);
    address.start();
    QCOMPARE(address.waitForExit(), 0);
    m_address = address.lines().last().value(QStringLiteral("address")).toString();
    QVERIFY(!m_address.isEmpty());
    m_node->rpc(QStringLiteral("generatetoaddress"), {20, m_address});
    m_node->rpc(QStringLiteral("generatetoaddress"), {100, kElsewhere});
    CliProcess sync({QStringLiteral("--data-dir"), m_dataDir, QStringLiteral("utxo"), QStringLiteral("sync")}, {}, this,
                    nodeEnv);
    sync.start();
    QCOMPARE(sync.waitForExit(), 0);

    m_tokenFile = m_dir->filePath(QStringLiteral("token"));
    QVERIFY(writeFile(m_tokenFile, kToken + '\n', 0600));
    m_passFile = m_dir->filePath(QStringLiteral("passphrase"));
    QVERIFY(writeFile(m_passFile, "test passphrase\n", 0600)); // CliProcess's passphrase
    m_daemon = start({QStringLiteral("--requests-per-second"), QStringLiteral("100000"), QStringLiteral("--burst"),
                      QStringLiteral("100000")});
    QVERIFY(m_daemon);
}

void TestAnchord::cleanupTestCase()
{
    m_daemon.reset();
    m_node.reset();
}

void TestAnchord::healthNeedsNoToken()
{
    QNetworkAccessManager nam;
    QNetworkReply* reply =
        nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/health").arg(m_daemon->port()))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(30000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("status")).toString(),
             QStringLiteral("ok"));
    reply->deleteLater();
}

void TestAnchord::everyOtherRouteNeedsTheToken()
{
    const QList<QByteArray> routes{"GET /v1/status", "GET /v1/anchors/" + digest(1),
                                   "GET /v1/anchors/" + digest(1) + "/proof", "POST /v1/anchors", "GET /v1/nowhere"};
    for (const QByteArray& route : routes) {
        const QByteArray head = route + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
        const QByteArray body = digestsBody({digest(1)});
        const QByteArray tail = "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        const auto none = call(m_daemon->port(), head + tail);
        QVERIFY(none);
        QCOMPARE(none->status, 401);
        QCOMPARE(errorCode(none), QStringLiteral("missing_token"));
        QCOMPARE(none->header("www-authenticate"), QByteArray("Bearer"));
        QVERIFY(!json(none)
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .isEmpty());
        for (const QByteArray& wrong :
             QList<QByteArray>{QByteArray("Bearer wrong"), "Bearer " + kToken + "x", "Bearer " + kToken.left(10),
                               "Basic " + kToken, QByteArray("Bearer"), "bearer  " + kToken}) {
            const auto r = call(m_daemon->port(), head + "Authorization: " + wrong + "\r\n" + tail);
            QVERIFY(r);
            QCOMPARE(r->status, 401);
            QCOMPARE(errorCode(r), QStringLiteral("bad_token"));
        }
    }
    // The right token in any case of "Bearer".
    const auto ok =
        call(m_daemon->port(), "GET /v1/status HTTP/1.1\r\nHost: a\r\nAuthorization: bEaReR " + kToken + "\r\n\r\n");
    QVERIFY(ok);
    QCOMPARE(ok->status, 200);
    QVERIFY(!json(ok).isEmpty());
}

void TestAnchord::tokenFileRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("says");
    QTest::newRow("mode 0644") << "0644"
                               << "chmod 600";
    QTest::newRow("mode 0640") << "0640"
                               << "chmod 600";
    QTest::newRow("symbolic link") << "symlink"
                                   << "symbolic link";
    QTest::newRow("empty") << "empty"
                           << "is empty";
    QTest::newRow("missing") << "missing"
                             << "Cannot read";
    QTest::newRow("directory") << "directory"
                               << "not a regular file";
}

void TestAnchord::tokenFileRefused()
{
    QFETCH(QString, kind);
    QFETCH(QString, says);
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("token"));
    if (kind == QLatin1String("0644"))
        QVERIFY(writeFile(path, kToken, 0644));
    else if (kind == QLatin1String("0640"))
        QVERIFY(writeFile(path, kToken, 0640));
    else if (kind == QLatin1String("symlink"))
        QVERIFY(QFile::link(m_tokenFile, path)); // to the good 0600 file
    else if (kind == QLatin1String("empty"))
        QVERIFY(writeFile(path, "\n", 0600));
    else if (kind == QLatin1String("directory"))
        QVERIFY(QDir().mkdir(path));
    QStringList a = args();
    a[a.indexOf(QStringLiteral("--token-file")) + 1] = path;
    Anchord d(a, env());
    QCOMPARE(d.exitCode(), 2);
    QVERIFY(d.stdoutText().isEmpty()); // never said it was listening
    const QString err = d.stderrText();
    QVERIFY2(err.contains(QStringLiteral("token file")) && err.contains(says) && err.contains(path), qPrintable(err));
}

void TestAnchord::startRefused_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("says");
    QTest::newRow("no --data-dir") << "no-data-dir"
                                   << "--data-dir DIR is required";
    QTest::newRow("no --token-file") << "no-token"
                                     << "--token-file FILE is required";
    QTest::newRow("bad --listen") << "listen"
                                  << "--listen must be HOST:PORT";
    QTest::newRow("negative --batch-interval") << "batch"
                                               << "--batch-interval must be an integer";
    QTest::newRow("zero --requests-per-second") << "rate"
                                                << "--requests-per-second must be a positive number";
    QTest::newRow("missing data dir") << "missing-dir"
                                      << "does not exist";
    QTest::newRow("no wallet in the data dir") << "no-wallet"
                                               << "userwallet-cli address";
    QTest::newRow("wrong passphrase") << "wrong-pass"
                                      << "passphrase";
    QTest::newRow("passphrase file 0644") << "pass-mode"
                                          << "chmod 600";
    QTest::newRow("no passphrase at all") << "no-pass"
                                          << "--passphrase-file FILE or USERWALLET_PASSPHRASE";
    QTest::newRow("no node configured") << "no-node"
                                        << "no Bitcoin node configured";
}

void TestAnchord::startRefused()
{
    QFETCH(QString, change);
    QFETCH(QString, says);
    QTemporaryDir dir;
    QStringList a = args();
    bool withNode = true;
    auto set = [&](const char* option, const QString& value) { a[a.indexOf(QString::fromLatin1(option)) + 1] = value; };
    auto drop = [&](const char* option) {
        const qsizetype i = a.indexOf(QString::fromLatin1(option));
        a.remove(i, 2);
    };
    if (change == QLatin1String("no-data-dir"))
        drop("--data-dir");
    else if (change == QLatin1String("no-token"))
        drop("--token-file");
    else if (change == QLatin1String("listen"))
        set("--listen", QStringLiteral("somewhere"));
    else if (change == QLatin1String("batch"))
        set("--batch-interval", QStringLiteral("-1"));
    else if (change == QLatin1String("rate"))
        a << QStringLiteral("--requests-per-second") << QStringLiteral("0");
    else if (change == QLatin1String("missing-dir"))
        set("--data-dir", dir.filePath(QStringLiteral("absent")));
    else if (change == QLatin1String("no-wallet"))
        set("--data-dir", dir.path());
    else if (change == QLatin1String("wrong-pass")) {
        QVERIFY(writeFile(dir.filePath(QStringLiteral("pass")), "not the passphrase", 0600));
        set("--passphrase-file", dir.filePath(QStringLiteral("pass")));
    } else if (change == QLatin1String("pass-mode")) {
        QVERIFY(writeFile(dir.filePath(QStringLiteral("pass")), "test passphrase", 0644));
        set("--passphrase-file", dir.filePath(QStringLiteral("pass")));
    } else if (change == QLatin1String("no-pass"))
        drop("--passphrase-file");
    else if (change == QLatin1String("no-node"))
        withNode = false;
    Anchord d(a, env(withNode));
    QCOMPARE(d.exitCode(), 2);
    QVERIFY(d.stdoutText().isEmpty());
    const QString err = d.stderrText();
    QVERIFY2(err.contains(says), qPrintable(err));
}

void TestAnchord::badInput_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const QByteArray d = digest(7);
    auto postBody = [](const QByteArray& body, const QByteArray& type = "application/json") {
        return RawHttpClient::post("/v1/anchors", body, kToken, type);
    };
    QTest::newRow("not JSON") << postBody("digests please") << 400 << "bad_json";
    QTest::newRow("empty body") << postBody("") << 400 << "bad_json";
    QTest::newRow("trailing garbage") << postBody(digestsBody({d}) + " x") << 400 << "bad_json";
    QTest::newRow("a key twice") << postBody("{\"digests\":[],\"digests\":[\"" + d + "\"]}") << 400 << "bad_json";
    QTest::newRow("invalid UTF-8") << postBody("{\"digests\":[\"\xff\"]}") << 400 << "bad_json";
    QTest::newRow("an array") << postBody("[\"" + d + "\"]") << 400 << "bad_body";
    QTest::newRow("no digests") << postBody("{}") << 400 << "bad_body";
    QTest::newRow("digests a string") << postBody("{\"digests\":\"" + d + "\"}") << 400 << "bad_body";
    QTest::newRow("empty list") << postBody("{\"digests\":[]}") << 400 << "no_digests";
    QTest::newRow("unknown member") << postBody("{\"digests\":[\"" + d + "\"],\"force\":true}") << 400
                                    << "unknown_field";
    QTest::newRow("63 hex digits") << postBody(digestsBody({d.left(63)})) << 400 << "bad_digest";
    QTest::newRow("65 hex digits") << postBody(digestsBody({d + "0"})) << 400 << "bad_digest";
    QTest::newRow("upper case") << postBody(digestsBody({d.toUpper()})) << 400 << "bad_digest";
    QTest::newRow("not hex") << postBody(digestsBody({QByteArray(64, 'g')})) << 400 << "bad_digest";
    QTest::newRow("blank inside") << postBody(digestsBody({" " + d.left(63)})) << 400 << "bad_digest";
    QTest::newRow("a number") << postBody("{\"digests\":[\"" + d + "\",1]}") << 400 << "bad_digest";
    QTest::newRow("null") << postBody("{\"digests\":[null]}") << 400 << "bad_digest";
    QList<QByteArray> tooMany;
    for (int i = 0; i < 10'001; ++i)
        tooMany.append(digest(100'000 + i));
    QTest::newRow("10,001 digests") << postBody(digestsBody(tooMany)) << 400 << "too_many_digests";
    QTest::newRow("text/plain") << postBody(digestsBody({d}), "text/plain") << 415 << "unsupported_media_type";
    QTest::newRow("no content type") << postBody(digestsBody({d}), "") << 415 << "unsupported_media_type";
    QTest::newRow("digest in the path not hex") << RawHttpClient::get("/v1/anchors/xyz", kToken) << 400 << "bad_digest";
    QTest::newRow("digest in the path upper case")
        << RawHttpClient::get("/v1/anchors/" + d.toUpper(), kToken) << 400 << "bad_digest";
    QTest::newRow("proof of a bad digest")
        << RawHttpClient::get("/v1/anchors/" + d.left(10) + "/proof", kToken) << 400 << "bad_digest";
    QTest::newRow("unknown digest") << RawHttpClient::get("/v1/anchors/" + digest(999'999), kToken) << 404
                                    << "unknown_digest";
    QTest::newRow("proof of an unknown digest")
        << RawHttpClient::get("/v1/anchors/" + digest(999'999) + "/proof", kToken) << 404 << "unknown_digest";
    QTest::newRow("unknown route") << RawHttpClient::get("/v1/nowhere", kToken) << 404 << "not_found";
    QTest::newRow("too deep") << RawHttpClient::get("/v1/anchors/" + d + "/proof/x", kToken) << 404 << "not_found";
    QTest::newRow("trailing slash") << RawHttpClient::get("/v1/health/", kToken) << 404 << "not_found";
    QTest::newRow("GET /v1/anchors") << RawHttpClient::get("/v1/anchors", kToken) << 405 << "method_not_allowed";
    QTest::newRow("DELETE an anchor") << QByteArray("DELETE /v1/anchors/" + d +
                                                    " HTTP/1.1\r\nHost: a\r\n"
                                                    "Authorization: Bearer " +
                                                    kToken + "\r\n\r\n")
                                      << 405 << "method_not_allowed";
    QTest::newRow("POST /v1/health") << RawHttpClient::post("/v1/health", "{}") << 405 << "method_not_allowed";
    QTest::newRow("chunked body") << QByteArray(
                                         "POST /v1/anchors HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + kToken +
                                         "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                                  << 411 << "length_required";
    QTest::newRow("header too large") << QByteArray("GET /v1/status HTTP/1.1\r\nHost: a\r\nX: " +
                                                    QByteArray(20'000, 'x') + "\r\n\r\n")
                                      << 431 << "header_too_large";
    QTest::newRow("no Host") << QByteArray("GET /v1/health HTTP/1.1\r\n\r\n") << 400 << "bad_request";
}

void TestAnchord::badInput()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, code);
    const auto r = call(m_daemon->port(), request);
    QVERIFY(r);
    QCOMPARE(r->status, status);
    QCOMPARE(errorCode(r), code);
    QVERIFY(!json(r).value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString().isEmpty());
    QCOMPARE(r->header("content-type"), QByteArray("application/json"));
    if (status == 405)
        QVERIFY(!r->header("allow").isEmpty());
    // Nothing of a refused request was accepted.
    if (request.startsWith("POST /v1/anchors") && request.contains(digest(7)))
        QCOMPARE(get("/v1/anchors/" + digest(7))->status, 404);
}

void TestAnchord::bodyRefusedOnItsLengthBeforeItIsRead()
{
    RawHttpClient c;
    QVERIFY(c.connectTo(m_daemon->port()));
    c.send("POST /v1/anchors HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + kToken +
           "\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n");
    const auto r = c.next();
    QVERIFY(r);
    QCOMPARE(r->status, 413);
    QCOMPARE(errorCode(r), QStringLiteral("body_too_large"));
    QVERIFY(c.waitForClosed());
}

void TestAnchord::digestsAcceptedOnceEachAnsweredEach()
{
    const QList<QByteArray> given{digest(1), digest(2), digest(1), digest(3)};
    const auto r = post(given);
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    const QJsonArray anchors = json(r).value(QStringLiteral("anchors")).toArray();
    QCOMPARE(anchors.size(), 4); // the duplicate answered too, in its place
    for (qsizetype i = 0; i < given.size(); ++i) {
        const QJsonObject a = anchors.at(i).toObject();
        QCOMPARE(a.value(QStringLiteral("digest")).toString().toLatin1(), given[i]);
        QVERIFY(a.contains(QStringLiteral("state")));
        QVERIFY(a.contains(QStringLiteral("round")));
    }
    QCOMPARE(anchors.at(0).toObject().value(QStringLiteral("round")),
             anchors.at(2).toObject().value(QStringLiteral("round")));
    // Known afterwards, with where it stands; posted again, the same anchor (not a second one).
    for (const QByteArray& d : given) {
        const auto st = get("/v1/anchors/" + d);
        QVERIFY(st);
        QCOMPARE(st->status, 200);
        QCOMPARE(json(st).value(QStringLiteral("digest")).toString().toLatin1(), d);
        QVERIFY(json(st).contains(QStringLiteral("confirmations")));
    }
    const QJsonObject firstRound = waitForState(digest(1), QStringLiteral("broadcast"));
    QCOMPARE(firstRound.value(QStringLiteral("state")).toString(), QStringLiteral("broadcast"));
    QVERIFY(firstRound.value(QStringLiteral("round")).toInteger() > 0);
    QCOMPARE(firstRound.value(QStringLiteral("txid")).toString().size(), 64);
    const auto again = post({digest(1)});
    QVERIFY(again);
    QCOMPARE(again->status, 202);
    QCOMPARE(json(again).value(QStringLiteral("anchors")).toArray().at(0).toObject().value(QStringLiteral("round")),
             firstRound.value(QStringLiteral("round")));
}

void TestAnchord::tenThousandDigestsInOneRequest()
{
    QList<QByteArray> many;
    for (int i = 0; i < 10'000; ++i)
        many.append(digest(200'000 + i));
    const auto r = post(many);
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    QCOMPARE(json(r).value(QStringLiteral("anchors")).toArray().size(), 10'000);
    QCOMPARE(get("/v1/anchors/" + many.last())->status, 200);
}

void TestAnchord::slowClientDoesNotStallOthers()
{
    auto d = start({QStringLiteral("--header-timeout-ms"), QStringLiteral("2000")});
    QVERIFY(d);
    RawHttpClient slow;
    QVERIFY(slow.connectTo(d->port()));
    slow.send("GET /v1/status HTTP/1.1\r\nHost: a\r\nAuthorization: Bea"); // and nothing more
    const auto quick = call(d->port(), RawHttpClient::get("/v1/health"));
    QVERIFY(quick);
    QCOMPARE(quick->status, 200);
    QVERIFY(slow.isConnected()); // the quick one did not wait for the slow one's deadline
    const auto cut = slow.next();
    QVERIFY(cut);
    QCOMPARE(cut->status, 408);
    QCOMPARE(errorCode(cut), QStringLiteral("header_timeout"));
    QVERIFY(slow.waitForClosed());
}

void TestAnchord::connectionsPerAddressCapped()
{
    auto d = start({QStringLiteral("--max-connections-per-ip"), QStringLiteral("3")});
    QVERIFY(d);
    std::vector<std::unique_ptr<RawHttpClient>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<RawHttpClient>());
        QVERIFY(held.back()->connectTo(d->port()));
        held.back()->send(RawHttpClient::get("/v1/health")); // admitted and served
        QVERIFY(held.back()->next());
    }
    RawHttpClient fourth;
    QVERIFY(fourth.connectTo(d->port()));
    const auto refused = fourth.next();
    QVERIFY(refused);
    QCOMPARE(refused->status, 503);
    QCOMPARE(errorCode(refused), QStringLiteral("too_many_connections"));
    QVERIFY(fourth.waitForClosed());
    held.front()->socket().disconnectFromHost();
    // Once the daemon has seen it go, a new connection gets its place.
    int attempts = 0;
    QVERIFY(QTest::qWaitFor(
        [&] {
            ++attempts;
            const auto r = call(d->port(), RawHttpClient::get("/v1/health"));
            return r && r->status == 200;
        },
        10000));
    qInfo("admitted after %d attempt(s)", attempts);
}

void TestAnchord::tokenBudget()
{
    // One request every 100 s, three at once: the fourth is refused, whatever the route.
    auto d = start({QStringLiteral("--requests-per-second"), QStringLiteral("0.01"), QStringLiteral("--burst"),
                    QStringLiteral("3")});
    QVERIFY(d);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(call(d->port(), RawHttpClient::get("/v1/anchors/" + digest(999'999), kToken))->status, 404);
    const auto limited = call(d->port(), RawHttpClient::get("/v1/status", kToken));
    QVERIFY(limited);
    QCOMPARE(limited->status, 429);
    QCOMPARE(errorCode(limited), QStringLiteral("rate_limited"));
    QVERIFY(limited->header("retry-after").toInt() >= 1);
    // Health is not budgeted; a wrong token is refused as such, not as over budget.
    QCOMPARE(call(d->port(), RawHttpClient::get("/v1/health"))->status, 200);
    QCOMPARE(call(d->port(), RawHttpClient::get("/v1/status", "wrong"))->status, 401);
}

void TestAnchord::sigtermDrainsAndExitsZero()
{
    auto d = start();
    QVERIFY(d);
    RawHttpClient kept;
    QVERIFY(kept.connectTo(d->port()));
    kept.send(RawHttpClient::get("/v1/health"));
    QVERIFY(kept.next());
    d->process().terminate(); // SIGTERM
    QCOMPARE(d->exitCode(), 0);
    QVERIFY(kept.waitForClosed());
    const QString err = d->stderrText();
    QVERIFY2(err.contains(QStringLiteral("draining")) && err.contains(QStringLiteral("stopped")), qPrintable(err));
}

void TestAnchord::acceptedDigestsSurviveKill9()
{
    // Rounds that stay open: the digests are only accepted (on disk) when the process dies.
    auto d = start({QStringLiteral("--batch-interval"), QStringLiteral("3600")});
    QVERIFY(d);
    QList<QByteArray> given;
    for (int i = 0; i < 50; ++i)
        given.append(digest(300'000 + i));
    const auto r = call(d->port(), RawHttpClient::post("/v1/anchors", digestsBody(given), kToken));
    QVERIFY(r);
    QCOMPARE(r->status, 202);
    d->process().kill(); // SIGKILL right after the 202
    QCOMPARE(d->exitCode(), -2);
    d.reset();

    auto again = start({QStringLiteral("--batch-interval"), QStringLiteral("3600")});
    QVERIFY(again);
    for (const QByteArray& g : given) {
        const auto st = call(again->port(), RawHttpClient::get("/v1/anchors/" + g, kToken));
        QVERIFY(st);
        QCOMPARE(st->status, 200);
        QCOMPARE(json(st).value(QStringLiteral("state")).toString(), QStringLiteral("queued"));
    }
    again.reset();
    // Restarted with rounds closing at once, they are anchored.
    auto anchoring = start();
    QVERIFY(anchoring);
    QTRY_VERIFY_WITH_TIMEOUT(json(call(anchoring->port(), RawHttpClient::get("/v1/anchors/" + given.last(), kToken)))
                                     .value(QStringLiteral("round"))
                                     .toInteger() > 0,
                             60000);
}

void TestAnchord::proofServedOnceConfirmed()
{
    const QByteArray d = digest(400'000);
    QCOMPARE(post({d})->status, 202);
    const QJsonObject broadcast = waitForState(d, QStringLiteral("broadcast"));
    QCOMPARE(broadcast.value(QStringLiteral("state")).toString(), QStringLiteral("broadcast"));
    const auto early = get("/v1/anchors/" + d + "/proof");
    QVERIFY(early);
    QCOMPARE(early->status, 409);
    QCOMPARE(errorCode(early), QStringLiteral("not_confirmed"));

    m_node->rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});
    const QJsonObject confirmed = waitForState(d, QStringLiteral("confirmed"));
    QCOMPARE(confirmed.value(QStringLiteral("state")).toString(), QStringLiteral("confirmed"));
    QCOMPARE(confirmed.value(QStringLiteral("confirmations")).toInt(), 1);
    QCOMPARE(confirmed.value(QStringLiteral("block_hash")).toString().size(), 64);
    QCOMPARE(confirmed.value(QStringLiteral("height")).toInt(), m_node->rpc(QStringLiteral("getblockcount")).toInt());
    QCOMPARE(confirmed.value(QStringLiteral("txid")).toString(), broadcast.value(QStringLiteral("txid")).toString());

    const auto proof = get("/v1/anchors/" + d + "/proof");
    QVERIFY(proof);
    QCOMPARE(proof->status, 200);
    QCOMPARE(proof->header("content-type"), QByteArray("application/octet-stream"));
    QVERIFY(proof->header("content-disposition").contains(QByteArray(d + ".ots")));
    // OpenTimestamps' magic, then the file hash op (SHA-256) and the digest itself.
    const QByteArray magic = QByteArray("\x00OpenTimestamps\x00\x00Proof\x00\xbf\x89\xe2\xe8\x84\xe8\x92\x94", 31);
    QVERIFY(proof->body.startsWith(magic));
    QVERIFY(proof->body.contains(QByteArray::fromHex(d)));
}

// The round interval comes from the profile's setting (here its environment variable) unless
// --batch-interval is given, which wins.
void TestAnchord::roundIntervalFromSettingsUnlessGiven()
{
    QProcessEnvironment e = env();
    e.insert(QStringLiteral("ANCHOR_ROUND_INTERVAL"), QStringLiteral("37"));
    QStringList fromSettings = args();
    fromSettings.remove(fromSettings.indexOf(QStringLiteral("--batch-interval")), 2);
    {
        Anchord d(fromSettings, e);
        QVERIFY2(d.ready(), qPrintable(d.stderrText()));
        QTRY_VERIFY_WITH_TIMEOUT(d.stderrText().contains(QStringLiteral("rounds every 37 s")), 10000);
    }
    Anchord given(args({QStringLiteral("--batch-interval"), QStringLiteral("5")}), e);
    QVERIFY2(given.ready(), qPrintable(given.stderrText()));
    QTRY_VERIFY_WITH_TIMEOUT(given.stderrText().contains(QStringLiteral("rounds every 5 s")), 10000);
}

void TestAnchord::nodeGoneProofIs503DigestsStillAccepted()
{
    const QByteArray d = digest(500'000);
    QCOMPARE(post({d})->status, 202);
    QCOMPARE(waitForState(d, QStringLiteral("broadcast")).value(QStringLiteral("state")).toString(),
             QStringLiteral("broadcast"));
    m_node->rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});
    QCOMPARE(waitForState(d, QStringLiteral("confirmed")).value(QStringLiteral("state")).toString(),
             QStringLiteral("confirmed"));
    m_node.reset();                                        // the node goes away
    const auto proof = get("/v1/anchors/" + d + "/proof"); // needs the block's transactions
    QVERIFY(proof);
    QCOMPARE(proof->status, 503);
    QCOMPARE(errorCode(proof), QStringLiteral("node_unreachable"));
    // Digests are still accepted and queued; what the store knows is still served.
    const auto accepted = post({digest(500'001)});
    QVERIFY(accepted);
    QCOMPARE(accepted->status, 202);
    QCOMPARE(get("/v1/anchors/" + digest(500'001))->status, 200);
    QCOMPARE(get("/v1/anchors/" + d)->status, 200);
    m_daemon->process().terminate();
    QCOMPARE(m_daemon->exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestAnchord)
#include "test_anchord.moc"
