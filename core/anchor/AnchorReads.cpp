#include "anchor/AnchorReads.h"

#include "anchor/AnchorLog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace uw::anchorReads {

Error readError(const QSqlQuery& q)
{
    return makeError(QStringLiteral("database"),
                     QStringLiteral("The anchor database cannot be read: %1").arg(q.lastError().text()));
}

Result<QMap<UtxoState, UtxoStats>> utxoStatsByState(const QSqlDatabase& db)
{
    QMap<UtxoState, UtxoStats> out;
    QSqlQuery q(db);
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

Result<qint64> expiredLockCount(const QSqlDatabase& db, std::int64_t now)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM utxos WHERE state = 'locked' AND locked_until < ?"));
    q.addBindValue(qint64(now));
    if (!q.exec() || !q.next())
        return readError(q);
    return q.value(0).toLongLong();
}

Result<QList<qint64>> valueHistogram(const QSqlDatabase& db, const QList<std::int64_t>& bounds)
{
    QList<qint64> out;
    std::int64_t low = 0;
    for (std::int64_t high : bounds) {
        QSqlQuery q(db);
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

Result<QMap<AnchorState, qint64>> anchorCountsByState(const QSqlDatabase& db)
{
    QMap<AnchorState, qint64> out;
    QSqlQuery q(db);
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

Result<QList<int>> anchorsPerMinute(const QSqlDatabase& db, std::int64_t now, int minutes)
{
    QList<int> out(minutes, 0);
    const std::int64_t start = now - std::int64_t(minutes) * 60;
    QSqlQuery q(db);
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

Result<std::optional<AnchorStore::Tip>> tip(const QSqlDatabase& db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT height, hash FROM blocks ORDER BY height DESC LIMIT 1")))
        return readError(q);
    if (!q.next())
        return std::optional<AnchorStore::Tip>();
    return std::optional<AnchorStore::Tip>(AnchorStore::Tip{q.value(0).toInt(), q.value(1).toString()});
}

Result<qint64> pendingDigestCount(const QSqlDatabase& db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM round_digests WHERE round IS NULL")) || !q.next())
        return readError(q);
    return q.value(0).toLongLong();
}

} // namespace uw::anchorReads
