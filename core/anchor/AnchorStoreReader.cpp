#include "anchor/AnchorStoreReader.h"

#include "anchor/AnchorReads.h"

#include <QFileInfo>
#include <QSqlQuery>

namespace uw {

using anchorReads::readError;

Result<std::optional<AnchorStoreReader>> AnchorStoreReader::open(const QString& path)
{
    if (!QFileInfo::exists(path))
        return std::optional<AnchorStoreReader>();
    auto conn = SqliteConnection::openReadOnly(path, QStringLiteral("anchor-reader"));
    if (!conn)
        return conn.error();
    QSqlQuery q(conn->db());
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return readError(q);
    const int version = q.value(0).toInt();
    q.finish();
    if (version == 0)
        return std::optional<AnchorStoreReader>(); // its writer has not made its tables yet: nothing to read
    return std::optional<AnchorStoreReader>(AnchorStoreReader(std::move(*conn), path, version));
}

Result<QMap<UtxoState, UtxoStats>> AnchorStoreReader::utxoStatsByState() const
{
    return anchorReads::utxoStatsByState(m_conn.db());
}

Result<qint64> AnchorStoreReader::expiredLockCount(std::int64_t now) const
{
    return anchorReads::expiredLockCount(m_conn.db(), now);
}

Result<QList<qint64>> AnchorStoreReader::valueHistogram(const QList<std::int64_t>& bounds) const
{
    return anchorReads::valueHistogram(m_conn.db(), bounds);
}

Result<QMap<AnchorState, qint64>> AnchorStoreReader::anchorCountsByState() const
{
    return anchorReads::anchorCountsByState(m_conn.db());
}

Result<QList<int>> AnchorStoreReader::anchorsPerMinute(std::int64_t now, int minutes) const
{
    return anchorReads::anchorsPerMinute(m_conn.db(), now, minutes);
}

Result<std::optional<AnchorStore::Tip>> AnchorStoreReader::tip() const
{
    return anchorReads::tip(m_conn.db());
}

Result<QList<AnchorRecord>> AnchorStoreReader::anchors(const QString& where, const QString& order, int limit) const
{
    QList<AnchorRecord> out;
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT id, digest, state, txid, height, error FROM anchors %1 ORDER BY %2 LIMIT ?")
                  .arg(where, order));
    q.addBindValue(limit);
    if (!q.exec())
        return readError(q);
    while (q.next()) {
        AnchorRecord a;
        a.id = q.value(0).toLongLong();
        a.digest = q.value(1).toString();
        // Written by a newer version, or by hand: shown as failed, as the store reads it.
        a.stage = anchorStateFromString(q.value(2).toString()).value_or(AnchorState::Failed);
        a.state = anchorStateToString(a.stage);
        a.txid = q.value(3).toString();
        if (!q.value(4).isNull())
            a.height = q.value(4).toInt();
        a.error = q.value(5).toString();
        out.append(std::move(a));
    }
    return out;
}

Result<QList<AnchorRecord>> AnchorStoreReader::latestAnchors(int limit) const
{
    return anchors(QString(), QStringLiteral("id DESC"), limit);
}

Result<QList<AnchorRecord>> AnchorStoreReader::failedAnchors(int limit) const
{
    return anchors(QStringLiteral("WHERE state = 'failed'"), QStringLiteral("updated_at DESC"), limit);
}

Result<qint64> AnchorStoreReader::pendingDigestCount() const
{
    if (m_version < 2)
        return qint64(0); // no rounds before schema version 2
    return anchorReads::pendingDigestCount(m_conn.db());
}

qint64 AnchorStoreReader::databaseBytes() const
{
    return QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size();
}

} // namespace uw
