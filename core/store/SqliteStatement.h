#pragma once

#include "store/SqliteConnection.h"
#include "util/Result.h"

#include <QByteArray>
#include <cstdint>

struct sqlite3;
struct sqlite3_stmt;

namespace uw {

/// A statement prepared once on a connection's own SQLite handle and run many times, for the
/// few loops where QSqlQuery's cost per row (a QVariant per value, UTF-16 text converted back to
/// UTF-8 on every bind) is the time: the ingest of digests, a round's leaves. It lives inside
/// one call on the connection's thread and is finalized before the call returns; everything
/// else in the stores stays QSqlQuery.
class SqliteStatement
{
public:
    static Result<SqliteStatement> prepare(const SqliteConnection& conn, const char* sql);

    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&&) = delete;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    ~SqliteStatement();

    /// Binds parameter `index` (from 1). Text is copied by SQLite: `text` may go away at once.
    void bindText(int index, const QByteArray& text);
    void bindInt64(int index, std::int64_t value);
    /// Runs one step: true with a row to read, false when done; an error names the statement.
    Result<bool> step();
    /// Ready for the next binding (bindings cleared).
    void reset();
    std::int64_t columnInt64(int column) const;
    QByteArray columnText(int column) const;
    bool columnIsNull(int column) const;
    /// Rows the last completed INSERT/UPDATE/DELETE on this connection changed.
    int changes() const;

private:
    SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

} // namespace uw
