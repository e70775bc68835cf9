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
        Duplicate,  ///< this very event is stored already
        Superseded, ///< a replaceable/addressable event of the same address is newer: not stored
        Ephemeral   ///< kinds 20000-29999: to be delivered, never stored
    };
    /// NIP-01's classes of kinds.
    enum class KindClass
    {
        Regular,
        Replaceable, ///< 0, 3, 10000-19999: one event per (pubkey, kind)
        Ephemeral,   ///< 20000-29999
        Addressable  ///< 30000-39999: one event per (pubkey, kind, first "d" tag's value)
    };
    static KindClass classify(int kind);

    /// Stores the (already verified) event and its serialized JSON, in one transaction. For a
    /// replaceable or addressable kind the older event of the same address is deleted in the
    /// same transaction, or the incoming one is not stored when it is the older.
    Result<Insert> insert(const NostrEvent& event, const QByteArray& json, std::int64_t now);

    /// The serialized events matching `filter` (newest first, at most its limit
    /// or `defaultLimit`), leaving out events whose NIP-40 expiration has passed.
    QList<QByteArray> query(const NostrFilter& filter, int defaultLimit, std::int64_t now) const;

    /// Deletes expired events and those received more than `retentionSeconds` ago; returns how many.
    int purge(std::int64_t now, std::int64_t retentionSeconds);
    qint64 count() const;
    /// The SQLite file, for a second (reading) connection on another thread.
    const QString& path() const { return m_path; }

private:
    RelayStore(SqliteConnection conn, QString path) : m_conn(std::move(conn)), m_path(std::move(path)) {}
    SqliteConnection m_conn;
    QString m_path;
};

} // namespace uw
