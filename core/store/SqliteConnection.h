#pragma once

#include "util/Result.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace uw {

/// One step of a schema: applied once, in order, when user_version is below `version`.
struct Migration
{
    int version;
    QStringList statements;
};

/// Owns one named SQLite connection for the thread that opened it (Qt SQL
/// connections must not cross threads). WAL mode, a busy timeout so that two
/// processes sharing a profile wait for each other instead of failing, and
/// versioned migrations applied in one IMMEDIATE transaction.
class SqliteConnection
{
public:
    static Result<SqliteConnection> open(const QString& path, const QString& purpose,
                                         const QList<Migration>& migrations);
    /// A reader beside the database's writer (another thread or process): opened read-only
    /// (QSQLITE_OPEN_READONLY, query_only), no pragma that writes, no migration, so it never
    /// changes the file and never takes its write lock. A missing file is "not_found" (never
    /// created); the schema is whatever the writer left (schemaVersion()).
    static Result<SqliteConnection> openReadOnly(const QString& path, const QString& purpose);

    SqliteConnection(SqliteConnection&& other) noexcept;
    SqliteConnection& operator=(SqliteConnection&& other) noexcept;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;
    ~SqliteConnection();

    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    const QString& name() const { return m_name; }
    int schemaVersion() const;

    /// Runs one statement without results; the error names the statement's purpose.
    Result<void> exec(const QString& sql) const;

private:
    explicit SqliteConnection(QString name) : m_name(std::move(name)) {}
    /// Adds and opens a named Qt connection with the driver's `options`; `failure` begins the error.
    static Result<SqliteConnection> connect(const QString& path, const QString& purpose, const QString& options,
                                            const QString& failure);
    void close();
    QString m_name;
};

} // namespace uw
