#include "anchor/AnchorStoreReader.h"

#include "anchor/AnchorLog.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace uw {

namespace {

Error readError(const QSqlQuery& q)
{
    return makeError(QStringLiteral("database"),
                     QStringLiteral("The anchor database cannot be read: %1").arg(q.lastError().text()));
}

} // namespace

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
    QMap<UtxoState, UtxoStats> out;
    QSqlQuery q(m_conn.db());
    if (!q.exec(QStringLiteral("SELECT state, COUNT(*), COALESCE(SUM(value), 0) FROM utxos GROUP BY state")))
        return readError(q);
    while (q.next()) {
        if (const auto state = utxoStateFromString(q.value(0).toString()))
            out.insert(*state, UtxoStats{q.value(1).toLongLong(), q.value(2).toLongLong()});
        else
            qCWarning(lcAnchor) << "UTXOs in the unknown state" << q.value(0).toString() << "are not counted";
    }
    return out;
}

Result<qint64> AnchorStoreReader::expiredLockCount(std::int64_t now) const
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM utxos WHERE state = 'locked' AND locked_until < ?"));
    q.addBindValue(qint64(now));
    if (!q.exec() || !q.next())
        return readError(q);
    return q.value(0).toLongLong();
}

Result<QList<qint64>> AnchorStoreReader::valueHistogram(const QList<std::int64_t>& bounds) const
{
    QList<qint64> out;
    std::int64_t low = 0;
    for (std::int64_t high : bounds) {
        QSqlQuery q(m_conn.db());
        q.prepare(QStringLiteral(
            "SELECT COUNT(*) FROM utxos WHERE state = 'unspent' AND chain_depth = 0 AND value >= ? AND value < ?"));
        q.addBindValue(qint64(low));
        q.addBindValue(qint64(high));
        if (!q.exec() || !q.next())
            return readError(q);
        out.append(q.value(0).toLongLong());
        low = high;
    }
    return out;
}

Result<QMap<AnchorState, qint64>> AnchorStoreReader::anchorCountsByState() const
{
    QMap<AnchorState, qint64> out;
    QSqlQuery q(m_conn.db());
    if (!q.exec(QStringLiteral("SELECT state, COUNT(*) FROM anchors GROUP BY state")))
        return readError(q);
    while (q.next()) {
        if (const auto state = anchorStateFromString(q.value(0).toString()))
            out.insert(*state, q.value(1).toLongLong());
        else
            qCWarning(lcAnchor) << "anchors in the unknown state" << q.value(0).toString() << "are not counted";
    }
    return out;
}

Result<QList<int>> AnchorStoreReader::anchorsPerMinute(std::int64_t now, int minutes) const
{
    QList<int> out(minutes, 0);
    const std::int64_t start = now - std::int64_t(minutes) * 60;
    QSqlQuery q(m_conn.db());
    q.prepare(
        QStringLiteral("SELECT (broadcast_at - ?) / 60, COUNT(*) FROM anchors WHERE broadcast_at >= ? GROUP BY 1"));
    q.addBindValue(qint64(start));
    q.addBindValue(qint64(start));
    if (!q.exec())
        return readError(q);
    while (q.next()) {
        const int bucket = q.value(0).toInt();
        if (bucket >= 0 && bucket < minutes)
            out[bucket] = q.value(1).toInt();
    }
    return out;
}

Result<std::optional<AnchorStore::Tip>> AnchorStoreReader::tip() const
{
    QSqlQuery q(m_conn.db());
    if (!q.exec(QStringLiteral("SELECT height, hash FROM blocks ORDER BY height DESC LIMIT 1")))
        return readError(q);
    if (!q.next())
        return std::optional<AnchorStore::Tip>();
    return std::optional<AnchorStore::Tip>(AnchorStore::Tip{q.value(0).toInt(), q.value(1).toString()});
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
        return qint64(0);
    QSqlQuery q(m_conn.db());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM round_digests WHERE round IS NULL")) || !q.next())
        return readError(q);
    return q.value(0).toLongLong();
}

qint64 AnchorStoreReader::databaseBytes() const
{
    return QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size();
}

} // namespace uw
