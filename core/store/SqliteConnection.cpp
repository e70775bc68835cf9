#include "store/SqliteConnection.h"

#include <QAtomicInteger>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <utility>

Q_LOGGING_CATEGORY(lcDb, "userwallet.db", QtInfoMsg)

namespace uw {

namespace {

Error dbError(const QString& what, const QSqlError& err)
{
    return makeError(QStringLiteral("database"), QStringLiteral("%1: %2").arg(what, err.text()));
}

// After a failed migration step: the step's error is the one reported. If the rollback fails
// too, SQLite rolls the open transaction back when the connection closes, which the caller's
// error return causes; the failure is logged, not hidden.
void rollbackAfter(SqliteConnection& conn, const QString& purpose)
{
    if (auto r = conn.exec(QStringLiteral("ROLLBACK")); !r)
        qCWarning(lcDb) << "rollback of the" << purpose << "migration failed:" << r.error().message;
}

} // namespace

Result<SqliteConnection> SqliteConnection::connect(const QString& path, const QString& purpose, const QString& options,
                                                   const QString& failure)
{
    // One name per connection: Qt keys its connections by name, across every thread.
    static QAtomicInteger<quint64> counter;
    const QString name = QStringLiteral("%1:%2:%3")
                             .arg(purpose)
                             .arg(quintptr(QThread::currentThreadId()))
                             .arg(counter.fetchAndAddRelaxed(1));
    SqliteConnection conn(name);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    db.setConnectOptions(options);
    if (!db.open())
        return dbError(failure, db.lastError());
    return conn;
}

Result<SqliteConnection> SqliteConnection::open(const QString& path, const QString& purpose,
                                                const QList<Migration>& migrations)
{
    auto opened = connect(path, purpose, QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"),
                          QStringLiteral("Cannot open the database %1").arg(path));
    if (!opened)
        return opened;
    SqliteConnection conn = std::move(*opened);
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
        if (auto r = conn.exec(QString::fromLatin1(pragma)); !r)
            return r.error();
    }
    if (conn.schemaVersion() >= (migrations.isEmpty() ? 0 : migrations.last().version))
        return conn;
    // BEGIN IMMEDIATE takes the write lock first, so two processes never migrate at once.
    if (auto r = conn.exec(QStringLiteral("BEGIN IMMEDIATE")); !r)
        return r.error();
    const int current = conn.schemaVersion();
    for (const Migration& m : migrations) {
        if (m.version <= current)
            continue;
        for (const QString& sql : m.statements) {
            if (auto r = conn.exec(sql); !r) {
                rollbackAfter(conn, purpose);
                return r.error();
            }
        }
        if (auto r = conn.exec(QStringLiteral("PRAGMA user_version=%1").arg(m.version)); !r) {
            rollbackAfter(conn, purpose);
            return r.error();
        }
        qCDebug(lcDb) << "migrated" << purpose << "to schema version" << m.version;
    }
    if (auto r = conn.exec(QStringLiteral("COMMIT")); !r)
        return r.error();
    return conn;
}

Result<SqliteConnection> SqliteConnection::openReadOnly(const QString& path, const QString& purpose)
{
    // SQLite would refuse a missing file too, but with "unable to open database file": say it plainly.
    if (!QFileInfo(path).isFile())
        return makeError(QStringLiteral("not_found"), QStringLiteral("The database %1 does not exist.").arg(path));
    auto opened = connect(path, purpose + QStringLiteral(":ro"),
                          QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=10000"),
                          QStringLiteral("Cannot open the database %1 for reading").arg(path));
    if (!opened)
        return opened;
    SqliteConnection conn = std::move(*opened);
    if (auto r = conn.exec(QStringLiteral("PRAGMA query_only=ON")); !r)
        return r.error();
    return conn;
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept : m_name(std::exchange(other.m_name, QString()))
{}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept
{
    if (this != &other) {
        close();
        m_name = std::exchange(other.m_name, QString());
    }
    return *this;
}

SqliteConnection::~SqliteConnection()
{
    close();
}

void SqliteConnection::close()
{
    if (m_name.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

int SqliteConnection::schemaVersion() const
{
    QSqlQuery q(db());
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return -1;
    return q.value(0).toInt();
}

Result<void> SqliteConnection::exec(const QString& sql) const
{
    QSqlQuery q(db());
    if (!q.exec(sql))
        return dbError(QStringLiteral("SQL failed (%1)").arg(sql.left(60)), q.lastError());
    return {};
}

} // namespace uw
