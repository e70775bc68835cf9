#pragma once

#include "anchor/AnchorStore.h"
#include "store/SqliteConnection.h"
#include "util/Result.h"

#include <QList>
#include <QMap>
#include <optional>

namespace uw {

/// A read-only view of a profile's anchor database, for those who only look at it (the
/// dashboard, `userwallet-cli status`) while the anchoring core (AnchorRuntime, the CLI's anchor
/// commands, userwallet-anchord) is its only writer. Opened with SqliteConnection::openReadOnly:
/// it runs no migration and never writes, so a database an older version left stays as it was
/// until its writer opens it; it reads the columns schema version 1 already had. One instance
/// per thread, like AnchorStore.
class AnchorStoreReader
{
public:
    /// The reader, or nothing when there is no database yet (no anchoring wallet, no anchors), or
    /// an error that says why the file cannot be read as an anchor database.
    static Result<std::optional<AnchorStoreReader>> open(const QString& path);

    int schemaVersion() const { return m_version; }

    Result<QMap<UtxoState, UtxoStats>> utxoStatsByState() const;
    /// Locks past their expiry.
    Result<qint64> expiredLockCount(std::int64_t now) const;
    /// Counts of unspent confirmed UTXOs by value bucket (upper bounds in satoshis, ascending).
    Result<QList<qint64>> valueHistogram(const QList<std::int64_t>& bounds) const;
    Result<QMap<AnchorState, qint64>> anchorCountsByState() const;
    /// Anchors per minute over the last `minutes` minutes (broadcast time), oldest first.
    Result<QList<int>> anchorsPerMinute(std::int64_t now, int minutes) const;
    Result<std::optional<AnchorStore::Tip>> tip() const;
    /// The latest anchors, newest first; only id, digest, stage/state, txid, height and error are read.
    Result<QList<AnchorRecord>> latestAnchors(int limit) const;
    /// Failed anchors, the most recent first (the same columns as latestAnchors()).
    Result<QList<AnchorRecord>> failedAnchors(int limit) const;
    /// Digests waiting for their round (0 before schema version 2, which has no rounds).
    Result<qint64> pendingDigestCount() const;
    /// The database and its write-ahead log, in bytes.
    qint64 databaseBytes() const;

private:
    AnchorStoreReader(SqliteConnection conn, QString path, int version)
        : m_conn(std::move(conn)), m_path(std::move(path)), m_version(version)
    {}
    Result<QList<AnchorRecord>> anchors(const QString& where, const QString& order, int limit) const;
    SqliteConnection m_conn;
    QString m_path;
    int m_version;
};

} // namespace uw
