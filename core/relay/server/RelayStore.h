#pragma once

#include "relay/NostrFilter.h"
#include "store/SqliteConnection.h"

namespace uw {

/// The relay daemon's event store: SQLite (WAL), one row per event plus an
/// index of its single-letter tags. An event is committed before the relay
/// answers OK true, so an acknowledged event survives a crash of the daemon.
class RelayStore
{
public:
    static Result<RelayStore> open(const QString& path);

    enum class Insert
    {
        Stored,
        Duplicate
    };
    /// Stores the (already verified) event and its serialized JSON, in one transaction.
    Result<Insert> insert(const NostrEvent& event, const QByteArray& json, std::int64_t now);

    /// The serialized events matching `filter` (newest first, at most its limit
    /// or `defaultLimit`), leaving out events whose NIP-40 expiration has passed.
    QList<QByteArray> query(const NostrFilter& filter, int defaultLimit, std::int64_t now) const;

    /// Deletes expired events and those received more than `retentionSeconds` ago; returns how many.
    int purge(std::int64_t now, std::int64_t retentionSeconds);
    qint64 count() const;

private:
    explicit RelayStore(SqliteConnection conn) : m_conn(std::move(conn)) {}
    SqliteConnection m_conn;
};

} // namespace uw
