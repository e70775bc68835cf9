#include "support/Processes.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

namespace uw::test {

RelayProcess::RelayProcess(const QString& dbPath, QStringList extraArgs, QObject* parent)
    : QObject(parent), m_db(dbPath), m_extra(std::move(extraArgs))
{}

RelayProcess::~RelayProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool RelayProcess::start(quint16 port)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(QStringLiteral(UW_RELAY_PATH),
                    QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
                                QStringLiteral("--db"), m_db} +
                        m_extra);
    if (!m_process.waitForStarted(10000))
        return false;
    QElapsedTimer t;
    t.start();
    QByteArray out;
    while (!out.contains('\n') && t.elapsed() < 20000) {
        if (!m_process.waitForReadyRead(20000))
            return false;
        out += m_process.readAllStandardOutput();
    }
    m_url = QJsonDocument::fromJson(out.left(out.indexOf('\n'))).object().value(QStringLiteral("listening")).toString();
    return !m_url.isEmpty();
}

quint16 RelayProcess::port() const
{
    return quint16(m_url.mid(m_url.lastIndexOf(QLatin1Char(':')) + 1).toUInt());
}

void RelayProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

int RelayProcess::terminate()
{
    m_process.terminate();
    if (!m_process.waitForFinished(10000))
        return -1;
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
}

CliProcess::CliProcess(const QStringList& args, const QStringList& relays, QObject* parent,
                       const QHash<QString, QString>& extraEnv)
    : QObject(parent), m_args(args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("USERWALLET_PASSPHRASE"), QStringLiteral("test passphrase"));
    for (auto it = extraEnv.cbegin(); it != extraEnv.cend(); ++it)
        env.insert(it.key(), it.value());
    if (!relays.isEmpty())
        env.insert(QStringLiteral("RELAY_URLS"), relays.join(QLatin1Char(',')));
    m_process.setProcessEnvironment(env);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, [this] {
        const QByteArray chunk = m_process.readAllStandardOutput();
        m_raw += chunk;
        m_buffer += chunk;
        qsizetype nl;
        while ((nl = m_buffer.indexOf('\n')) >= 0) {
            const QJsonObject line = QJsonDocument::fromJson(m_buffer.left(nl)).object();
            m_buffer.remove(0, nl + 1);
            m_lines.append(line);
            Q_EMIT lineReceived(line);
        }
    });
    connect(&m_process, &QProcess::readyReadStandardError, this,
            [this] { m_stderr += m_process.readAllStandardError(); });
}

DoubleProcess::DoubleProcess(const QString& cookieFile, QStringList extraArgs, QObject* parent)
    : QObject(parent), m_cookie(cookieFile), m_extra(std::move(extraArgs))
{}

DoubleProcess::~DoubleProcess()
{
    if (const QString problems = stop(); !problems.isEmpty())
        qFatal("bitcoind-double: %s", qPrintable(problems));
}

namespace {

/// One JSON-RPC call on a blocking socket: no event loop needed (a destructor may run where none
/// turns). The answer's "result", or its "error" object; null when there was no answer.
QJsonValue blockingRpc(const QString& url, const QByteArray& cookie, const QString& method)
{
    const QUrl u(url);
    QTcpSocket socket;
    socket.connectToHost(u.host(), quint16(u.port()));
    if (!socket.waitForConnected(10000))
        return {};
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("id"), 1},
                                                      {QStringLiteral("method"), method},
                                                      {QStringLiteral("params"), QJsonArray()}})
                                .toJson(QJsonDocument::Compact);
    socket.write("POST / HTTP/1.1\r\nHost: " + u.host().toLatin1() + "\r\nAuthorization: Basic " + cookie.toBase64() +
                 "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                 "\r\n\r\n" + body);
    QByteArray answer;
    while (true) {
        const qsizetype headerEnd = answer.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
            const qsizetype at = answer.toLower().indexOf("content-length:");
            const qsizetype length =
                at >= 0 ? answer.mid(at + 15, answer.indexOf('\r', at) - at - 15).trimmed().toLongLong() : 0;
            if (answer.size() >= headerEnd + 4 + length) {
                const QJsonObject o = QJsonDocument::fromJson(answer.mid(headerEnd + 4, length)).object();
                return o.value(QStringLiteral("error")).isObject() ? o.value(QStringLiteral("error"))
                                                                   : o.value(QStringLiteral("result"));
            }
        }
        if (!socket.waitForReadyRead(60000))
            return {};
        answer += socket.readAll();
    }
}

} // namespace

QString DoubleProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return {};
    QStringList problems;
    const QJsonObject listed = blockingRpc(m_url, m_cookieValue, QStringLiteral("listconflicts")).toObject();
    const QJsonObject conflicts = listed.value(QStringLiteral("conflicts")).toObject();
    if (!m_allowConflicts)
        for (auto it = conflicts.constBegin(); it != conflicts.constEnd(); ++it)
            problems.append(
                QStringLiteral("two transactions were submitted for %1: %2")
                    .arg(it.key(), QString::fromUtf8(QJsonDocument(it->toArray()).toJson(QJsonDocument::Compact))));
    if (!m_allowConflicts && !listed.value(QStringLiteral("replaced")).toArray().isEmpty())
        problems.append(
            QStringLiteral("transactions were replaced: %1")
                .arg(QString::fromUtf8(
                    QJsonDocument(listed.value(QStringLiteral("replaced")).toArray()).toJson(QJsonDocument::Compact))));
    const QJsonValue stopped = blockingRpc(m_url, m_cookieValue, QStringLiteral("stop"));
    if (stopped.isObject())
        problems.append(stopped.toObject().value(QStringLiteral("message")).toString());
    if (stopped.isNull() || !m_process.waitForFinished(60000)) {
        problems.append(QStringLiteral("it did not stop"));
        m_process.kill();
        m_process.waitForFinished(5000);
    } else if (m_process.exitStatus() != QProcess::NormalExit || m_process.exitCode() != 0) {
        problems.append(QStringLiteral("exit code %1: %2")
                            .arg(m_process.exitCode())
                            .arg(QString::fromUtf8(m_process.readAllStandardError()).trimmed()));
    }
    return problems.join(QStringLiteral("; "));
}

bool DoubleProcess::start()
{
    // Every transaction the double accepts goes to bitcoinjs-lib, in batches (#15).
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("UW_TXCHECK_DIR"), QStringLiteral(UW_SOURCE_DIR "/tests/tools/txcheck"));
    m_process.setProcessEnvironment(env);
    m_process.start(QStringLiteral(UW_DOUBLE_PATH), QStringList{QStringLiteral("--cookie-file"), m_cookie} + m_extra);
    if (!m_process.waitForReadyRead(10000)) {
        qWarning("bitcoind-double did not start: %s", m_process.readAllStandardError().constData());
        return false;
    }
    m_url = QJsonDocument::fromJson(m_process.readLine()).object().value(QStringLiteral("rpc")).toString();
    QFile cookie(m_cookie); // kept: stop() may run after the test removed its folder
    if (cookie.open(QIODevice::ReadOnly))
        m_cookieValue = cookie.readAll().trimmed();
    return !m_url.isEmpty();
}

QJsonValue DoubleProcess::rpc(const QString& method, const QJsonArray& params)
{
    QFile cookie(m_cookie);
    if (!cookie.open(QIODevice::ReadOnly))
        return {};
    QNetworkAccessManager nam;
    QNetworkRequest req{QUrl(m_url)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setRawHeader("Authorization", "Basic " + cookie.readAll().trimmed().toBase64());
    QNetworkReply* reply = nam.post(req, QJsonDocument(QJsonObject{{QStringLiteral("id"), 1},
                                                                   {QStringLiteral("method"), method},
                                                                   {QStringLiteral("params"), params}})
                                             .toJson(QJsonDocument::Compact));
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(30000))
        return {};
    const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return answer.value(QStringLiteral("error")).isObject() ? answer.value(QStringLiteral("error"))
                                                            : answer.value(QStringLiteral("result"));
}

CliProcess::~CliProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

void CliProcess::start()
{
    m_process.start(QStringLiteral(UW_CLI_PATH), m_args);
    m_process.closeWriteChannel();
}

QList<QJsonObject> CliProcess::events(const QString& name) const
{
    QList<QJsonObject> out;
    for (const QJsonObject& l : m_lines)
        if (l.value(QStringLiteral("event")).toString() == name)
            out.append(l);
    return out;
}

QJsonObject CliProcess::waitForEvent(const QString& name, int timeoutMs)
{
    // QTest::qWaitFor keeps the event loop running (the hostile relay and the HTTP
    // parent of a test live in it) until the line arrives or the process is gone.
    (void)QTest::qWaitFor([&] { return !events(name).isEmpty() || m_process.state() == QProcess::NotRunning; },
                          timeoutMs);
    const auto found = events(name);
    return found.isEmpty() ? QJsonObject() : found.first();
}

int CliProcess::waitForExit(int timeoutMs)
{
    if (m_process.state() != QProcess::NotRunning) {
        QSignalSpy finished(&m_process, &QProcess::finished);
        if (!finished.wait(timeoutMs))
            return -1;
    }
    const QByteArray rest = m_process.readAllStandardOutput();
    m_raw += rest;
    m_buffer += rest;
    if (!m_buffer.trimmed().isEmpty()) {
        for (const QByteArray& l : m_buffer.split('\n'))
            if (!l.trimmed().isEmpty())
                m_lines.append(QJsonDocument::fromJson(l).object());
        m_buffer.clear();
    }
    return m_process.exitCode();
}

QJsonObject runCli(const QStringList& args, const QStringList& relays, int* exitCode)
{
    CliProcess p(args, relays);
    p.start();
    const int code = p.waitForExit(60000);
    if (exitCode)
        *exitCode = code;
    return p.lines().isEmpty() ? QJsonObject() : p.lines().last();
}

} // namespace uw::test
