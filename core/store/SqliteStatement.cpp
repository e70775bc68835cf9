#include "store/SqliteStatement.h"

#include <QSqlDriver>
#include <QVariant>
#include <sqlite3.h>
#include <utility>

namespace uw {

namespace {

Error sqliteError(sqlite3* db, const char* what)
{
    return makeError(QStringLiteral("database"),
                     QStringLiteral("%1: %2").arg(QString::fromUtf8(what), QString::fromUtf8(sqlite3_errmsg(db))));
}

} // namespace

Result<SqliteStatement> SqliteStatement::prepare(const SqliteConnection& conn, const char* sql)
{
    const QVariant handle = conn.db().driver()->handle();
    // Qt's SQLite driver hands out its sqlite3* under this type name; the driver and this file
    // use the same system library (Debian's Qt links libsqlite3.so.0).
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return makeError(QStringLiteral("database"), QStringLiteral("not an open SQLite connection"));
    sqlite3* db = *static_cast<sqlite3* const*>(handle.constData());
    if (!db)
        return makeError(QStringLiteral("database"), QStringLiteral("the SQLite connection is closed"));
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return sqliteError(db, sql);
    }
    return SqliteStatement(db, stmt);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_stmt(std::exchange(other.m_stmt, nullptr))
{}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt); // a no-op on nullptr
}

void SqliteStatement::bindText(int index, const QByteArray& text)
{
    sqlite3_bind_text(m_stmt, index, text.constData(), int(text.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::bindInt64(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, sqlite3_int64(value));
}

Result<bool> SqliteStatement::step()
{
    switch (sqlite3_step(m_stmt)) {
    case SQLITE_ROW:
        return true;
    case SQLITE_DONE:
        return false;
    default:
        return sqliteError(m_db, sqlite3_sql(m_stmt));
    }
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t SqliteStatement::columnInt64(int column) const
{
    return std::int64_t(sqlite3_column_int64(m_stmt, column));
}

QByteArray SqliteStatement::columnText(int column) const
{
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return text ? QByteArray(text, sqlite3_column_bytes(m_stmt, column)) : QByteArray();
}

bool SqliteStatement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

int SqliteStatement::changes() const
{
    return sqlite3_changes(m_db);
}

} // namespace uw
