#pragma once

#include "anchor/AnchorStore.h"
#include "util/Result.h"

#include <QList>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <optional>

namespace uw {

/// The anchor database's figures, read the same way by its writer (AnchorStore) and by those who
/// only look at it (AnchorStoreReader, on a read-only connection). Each reads columns that schema
/// version 1 already had; an error says the database cannot be read and why.
namespace anchorReads {

/// "The anchor database cannot be read: …", with the query's error.
Error readError(const QSqlQuery& q);

Result<QMap<UtxoState, UtxoStats>> utxoStatsByState(const QSqlDatabase& db);
/// Locks past their expiry.
Result<qint64> expiredLockCount(const QSqlDatabase& db, std::int64_t now);
/// Counts of unspent confirmed UTXOs by value bucket (upper bounds in satoshis, ascending).
Result<QList<qint64>> valueHistogram(const QSqlDatabase& db, const QList<std::int64_t>& bounds);
Result<QMap<AnchorState, qint64>> anchorCountsByState(const QSqlDatabase& db);
/// Anchors per minute over the last `minutes` minutes (broadcast time), oldest first.
Result<QList<int>> anchorsPerMinute(const QSqlDatabase& db, std::int64_t now, int minutes);
Result<std::optional<AnchorStore::Tip>> tip(const QSqlDatabase& db);
/// Digests waiting for their round (schema version 2 and later).
Result<qint64> pendingDigestCount(const QSqlDatabase& db);

} // namespace anchorReads
} // namespace uw
