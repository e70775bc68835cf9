#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QStringList>

namespace uw::test {

/// A real `userwallet-relay` daemon on 127.0.0.1, on a free port, with its own SQLite file.
class RelayProcess : public QObject
{
    Q_OBJECT
public:
    explicit RelayProcess(const QString& dbPath, QStringList extraArgs = {}, QObject* parent = nullptr);
    ~RelayProcess() override;

    /// Starts the daemon (on `port`, 0 for a free one) and waits for its "listening" line.
    bool start(quint16 port = 0);
    QString url() const { return m_url; }
    quint16 port() const;
    /// SIGKILL: no chance to clean up, like a crash.
    void kill();
    /// SIGTERM, then wait for a clean exit; returns the exit code.
    int terminate();
    QProcess& process() { return m_process; }

private:
    QString m_db;
    QStringList m_extra;
    QProcess m_process;
    QString m_url;
};

/// The Bitcoin Core test double as its own process (it must outlive the processes a test kills).
/// It hands every transaction it accepts to bitcoinjs-lib (tests/tools/txcheck) in batches, and
/// records every outpoint two submitted transactions spend. stop() (the destructor calls it)
/// reports a rejected batch, a conflicting submission or a replacement; the destructor ends the
/// test process with it (qFatal), so that no test passes over one.
class DoubleProcess : public QObject
{
    Q_OBJECT
public:
    /// `extraArgs`: bitcoind-double's options, e.g. {"--scan-extra-coins", "200000", "--scan-rate", "100000"}.
    explicit DoubleProcess(const QString& cookieFile, QStringList extraArgs = {}, QObject* parent = nullptr);
    ~DoubleProcess() override;
    bool start();
    QString url() const { return m_url; }
    const QString& cookieFile() const { return m_cookie; }
    /// One JSON-RPC call over HTTP; returns "result", or an object {"code","message"} for an error.
    QJsonValue rpc(const QString& method, const QJsonArray& params = {});
    /// Stops the double ("stop"): empty, or what went wrong (bitcoinjs-lib's refusal, two
    /// transactions submitted for one coin unless allowConflicts(), a replacement, no exit).
    QString stop();
    /// For a test that spends a coin twice on purpose.
    void allowConflicts() { m_allowConflicts = true; }

private:
    QString m_cookie;
    QStringList m_extra;
    bool m_allowConflicts = false;
    QByteArray m_cookieValue;
    QProcess m_process;
    QString m_url;
};

/// A `userwallet-cli` process whose JSON lines are read as they come.
class CliProcess : public QObject
{
    Q_OBJECT
public:
    CliProcess(const QStringList& args, const QStringList& relays, QObject* parent = nullptr,
               const QHash<QString, QString>& extraEnv = {});
    ~CliProcess() override;

    void start();
    /// Waits (event loop running) for a JSON line whose "event" is `name`; returns it, or an empty object.
    QJsonObject waitForEvent(const QString& name, int timeoutMs = 20000);
    /// Waits for the process to exit; returns the exit code (-1 on timeout).
    int waitForExit(int timeoutMs = 30000);
    QList<QJsonObject> lines() const { return m_lines; }
    QList<QJsonObject> events(const QString& name) const;
    QByteArray stderrText() const { return m_stderr; }
    QByteArray rawOutput() const { return m_raw; }
    QProcess& process() { return m_process; }

Q_SIGNALS:
    void lineReceived(const QJsonObject& line);

private:
    QProcess m_process;
    QStringList m_args;
    QByteArray m_buffer;
    QByteArray m_stderr;
    QByteArray m_raw;
    QList<QJsonObject> m_lines;
};

/// Runs `userwallet-cli args` to completion and returns its last JSON line.
QJsonObject runCli(const QStringList& args, const QStringList& relays = {}, int* exitCode = nullptr);

} // namespace uw::test
