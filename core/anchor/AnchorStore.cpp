#include "anchor/AnchorStore.h"

#include "anchor/AnchorLog.h"
#include "anchor/AnchorReads.h"
#include "anchor/Merkle.h"
#include "store/SqliteStatement.h"

#include <QFileInfo>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace uw {

namespace {

const QList<Migration>& migrations()
{
    static const QList<Migration> m{
        {1,
         {QStringLiteral(
              "CREATE TABLE utxos (id INTEGER PRIMARY KEY, txid TEXT NOT NULL, vout INTEGER NOT NULL, "
              "value INTEGER NOT NULL, script BLOB NOT NULL, height INTEGER, chain_depth INTEGER NOT NULL DEFAULT 0, "
              "state TEXT NOT NULL, locked_until INTEGER, anchor_id INTEGER, spending_txid TEXT, spent_height INTEGER, "
              "UNIQUE (txid, vout))"),
          // The pick: state, then confirmed-ness, then the smallest sufficient value: one index range, LIMIT 1.
          QStringLiteral("CREATE INDEX utxos_pick ON utxos (state, chain_depth, value)"),
          QStringLiteral("CREATE INDEX utxos_locked ON utxos (locked_until) WHERE state = 'locked'"),
          QStringLiteral("CREATE INDEX utxos_spending ON utxos (spending_txid) WHERE spending_txid IS NOT NULL"),
          QStringLiteral("CREATE INDEX utxos_height ON utxos (height) WHERE height IS NOT NULL"),
          QStringLiteral("CREATE INDEX utxos_spent_height ON utxos (spent_height) WHERE spent_height IS NOT NULL"),
          QStringLiteral(
              "CREATE TABLE anchors (id INTEGER PRIMARY KEY, digest TEXT NOT NULL, forced INTEGER NOT NULL DEFAULT 0, "
              "state TEXT NOT NULL, txid TEXT, raw_tx BLOB, fee INTEGER, vsize INTEGER, utxo_id INTEGER, height "
              "INTEGER, "
              "block_hash TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL "
              "DEFAULT 0, "
              "created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, broadcast_at INTEGER)"),
          QStringLiteral("CREATE UNIQUE INDEX anchors_digest ON anchors (digest) WHERE forced = 0"),
          QStringLiteral("CREATE INDEX anchors_due ON anchors (state, next_attempt_at, id)"),
          QStringLiteral("CREATE INDEX anchors_txid ON anchors (txid) WHERE txid IS NOT NULL"),
          QStringLiteral("CREATE INDEX anchors_height ON anchors (height) WHERE height IS NOT NULL"),
          QStringLiteral("CREATE INDEX anchors_broadcast_at ON anchors (broadcast_at) WHERE broadcast_at IS NOT NULL"),
          QStringLiteral(
              "CREATE TABLE blocks (height INTEGER PRIMARY KEY, hash TEXT NOT NULL, prev_hash TEXT NOT NULL)")}},
        // Rounds: digests wait in round_digests (round NULL) until a round closes; the round is an
        // anchor (forced = 2, so that the digest index of single anchors does not see it) whose
        // digest is the Merkle root of its leaves.
        {2,
         {QStringLiteral("CREATE TABLE round_digests (digest TEXT PRIMARY KEY, accepted_at INTEGER NOT NULL, "
                         "round INTEGER, leaf INTEGER)"),
          QStringLiteral("CREATE INDEX round_digests_open ON round_digests (accepted_at) WHERE round IS NULL"),
          QStringLiteral(
              "CREATE UNIQUE INDEX round_digests_leaf ON round_digests (round, leaf) WHERE round IS NOT NULL"),
          QStringLiteral("ALTER TABLE anchors ADD COLUMN leaves INTEGER NOT NULL DEFAULT 1")}},
    };
    return m;
}

// The store is where states are text: the words in this file's SQL (and in the schema's partial
// indexes) are those of anchorStateToString() and utxoStateToString(), and rows are read back
// through anchorStateFromString() and utxoStateFromString().
const char* kAnchorColumns =
    "id, digest, state, txid, raw_tx, fee, vsize, utxo_id, height, block_hash, error, attempts, "
    "next_attempt_at, created_at, updated_at, leaves";
const char* kUtxoColumns = "id, txid, vout, value, script, height, chain_depth, state, spending_txid";

AnchorRecord readAnchor(const QSqlQuery& q)
{
    AnchorRecord a;
    a.id = q.value(0).toLongLong();
    a.digest = q.value(1).toString();
    const QString state = q.value(2).toString();
    if (const auto stage = anchorStateFromString(state)) {
        a.stage = *stage;
    } else {
        // Written by a newer version, or by hand: nothing acts on a failed anchor by itself.
        qCWarning(lcAnchor) << "anchor" << a.id << "has the unknown state" << state << "- read as failed";
        a.stage = AnchorState::Failed;
    }
    a.state = anchorStateToString(a.stage);
    a.txid = q.value(3).toString();
    a.rawTx = q.value(4).toByteArray();
    a.fee = q.value(5).toLongLong();
    a.vsize = q.value(6).toLongLong();
    a.utxoId = q.value(7).toLongLong();
    if (!q.value(8).isNull())
        a.height = q.value(8).toInt();
    a.blockHash = q.value(9).toString();
    a.error = q.value(10).toString();
    a.attempts = q.value(11).toInt();
    a.nextAttemptAt = q.value(12).toLongLong();
    a.createdAt = q.value(13).toLongLong();
    a.updatedAt = q.value(14).toLongLong();
    a.leaves = q.value(15).toInt();
    return a;
}

Utxo readUtxo(const QSqlQuery& q)
{
    Utxo u;
    u.id = q.value(0).toLongLong();
    u.txid = q.value(1).toString();
    u.vout = q.value(2).toUInt();
    u.value = q.value(3).toLongLong();
    u.script = q.value(4).toByteArray();
    if (!q.value(5).isNull())
        u.height = q.value(5).toInt();
    u.chainDepth = q.value(6).toInt();
    const QString state = q.value(7).toString();
    if (const auto known = utxoStateFromString(state)) {
        u.state = *known;
    } else {
        // Written by a newer version, or by hand: a locked UTXO is neither spent nor free.
        qCWarning(lcAnchor) << "UTXO" << u.id << "has the unknown state" << state << "- read as locked";
        u.state = UtxoState::Locked;
    }
    u.spendingTxid = q.value(8).toString();
    return u;
}

Error dbError(const QSqlQuery& q)
{
    return makeError(QStringLiteral("database"), q.lastError().text());
}

/// Ends a transaction that failed. The caller returns the first error; a ROLLBACK that fails
/// too (the connection is gone) is only logged: SQLite drops an unfinished transaction when
/// the connection closes, and the next BEGIN on this one would say what is wrong.
void rollback(const SqliteConnection& conn)
{
    if (auto r = conn.exec(QStringLiteral("ROLLBACK")); !r)
        qCWarning(lcAnchor) << "rollback failed:" << r.error().message;
}

/// Runs `body` inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error).
template <typename T, typename F> Result<T> transaction(const SqliteConnection& conn, F body)
{
    if (auto r = conn.exec(QStringLiteral("BEGIN IMMEDIATE")); !r)
        return r.error();
    Result<T> result = body();
    if (!result.ok()) {
        rollback(conn);
        return result;
    }
    if (auto r = conn.exec(QStringLiteral("COMMIT")); !r) {
        rollback(conn);
        return r.error();
    }
    return result;
}

/// Runs `body` inside SAVEPOINT `name` ... RELEASE (ROLLBACK TO on error): a part of the
/// enclosing transaction that can fail alone.
template <typename T, typename F> Result<T> savepoint(const SqliteConnection& conn, const QString& name, F body)
{
    if (auto r = conn.exec(QStringLiteral("SAVEPOINT ") + name); !r)
        return r.error();
    Result<T> result = body();
    if (!result.ok()) {
        if (auto r = conn.exec(QStringLiteral("ROLLBACK TO ") + name); !r)
            qCWarning(lcAnchor) << "rollback to a savepoint failed:" << r.error().message;
    }
    if (auto r = conn.exec(QStringLiteral("RELEASE ") + name); !r && result.ok())
        return r.error();
    return result;
}

/// transaction(), committed with synchronous=FULL: on disk (through a power loss) before anything
/// signed in it can reach the network, and before digests accepted in it are acknowledged. The
/// rest of the store commits with NORMAL (safe against a crash of the process).
template <typename T, typename F> Result<T> durableTransaction(const SqliteConnection& conn, F body)
{
    if (auto full = conn.exec(QStringLiteral("PRAGMA synchronous=FULL")); !full)
        return full.error();
    const auto restore = qScopeGuard([&conn] {
        if (auto normal = conn.exec(QStringLiteral("PRAGMA synchronous=NORMAL")); !normal)
            qCWarning(lcAnchor) << "commits stay fully synchronous (slower, as safe):" << normal.error().message;
    });
    return transaction<T>(conn, body);
}

QVariant nullableInt(const std::optional<int>& v)
{
    return v ? QVariant(*v) : QVariant(QMetaType::fromType<int>());
}

} // namespace

QString AnchorStore::pickQuery()
{
    return QStringLiteral(
               "SELECT %1 FROM utxos WHERE state = 'unspent' AND chain_depth = 0 AND value >= ? ORDER BY value LIMIT 1")
        .arg(QLatin1String(kUtxoColumns));
}

Result<AnchorStore> AnchorStore::open(const QString& path)
{
    auto conn = SqliteConnection::open(path, QStringLiteral("anchor"), migrations());
    if (!conn)
        return conn.error();
    // WAL + NORMAL: every commit survives a crash of the process; only the signed-transaction
    // record must also survive a power loss before it is broadcast, and pickSignRecord makes
    // that one commit FULL.
    if (auto r = conn->exec(QStringLiteral("PRAGMA synchronous=NORMAL")); !r)
        return r.error();
    // Up to 64 MiB of pages in memory (SQLite's default is 2 MiB): a round's digest index is
    // about 10 MiB per 100,000 digests, and each digest accepted lands at a random place in it.
    if (auto r = conn->exec(QStringLiteral("PRAGMA cache_size=-65536")); !r)
        return r.error();
    if (auto r = conn->exec(QStringLiteral("PRAGMA wal_autocheckpoint=8000")); !r)
        return r.error();
    return AnchorStore(std::move(*conn), path);
}

// ---------------------------------------------------------------- anchors

Result<AnchorStore::Enqueued> AnchorStore::enqueue(const QString& digest, bool force, std::int64_t now)
{
    auto many = enqueueMany({digest}, force, now);
    if (!many)
        return many.error();
    return many->first();
}

Result<QList<AnchorStore::Enqueued>> AnchorStore::enqueueMany(const QStringList& digests, bool force, std::int64_t now)
{
    return transaction<QList<Enqueued>>(m_conn, [&]() -> Result<QList<Enqueued>> {
        QList<Enqueued> out;
        QSqlQuery find(m_conn.db()), insert(m_conn.db()), requeue(m_conn.db());
        find.prepare(QStringLiteral("SELECT id, state FROM anchors WHERE digest = ? AND forced = 0"));
        insert.prepare(QStringLiteral(
            "INSERT INTO anchors (digest, forced, state, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?)"));
        requeue.prepare(
            QStringLiteral("UPDATE anchors SET state = 'queued', error = NULL, attempts = 0, next_attempt_at = 0, "
                           "updated_at = ? WHERE id = ?"));
        QSqlQuery inRound(m_conn.db());
        inRound.prepare(QStringLiteral("SELECT round FROM round_digests WHERE digest = ?"));
        for (const QString& d : digests) {
            if (!force) {
                inRound.addBindValue(d);
                if (!inRound.exec())
                    return dbError(inRound);
                if (inRound.next()) {
                    // In a round already (0 while the round is open): not anchored a second time.
                    out.append({inRound.value(0).toLongLong(), true});
                    inRound.finish();
                    continue;
                }
                inRound.finish();
                find.addBindValue(d);
                if (!find.exec())
                    return dbError(find);
                if (find.next()) {
                    const qint64 id = find.value(0).toLongLong();
                    if (anchorStateFromString(find.value(1).toString()) == AnchorState::Failed) {
                        requeue.addBindValue(qint64(now));
                        requeue.addBindValue(id);
                        if (!requeue.exec())
                            return dbError(requeue);
                        out.append({id, false});
                    } else {
                        out.append({id, true});
                    }
                    find.finish();
                    continue;
                }
                find.finish();
            }
            insert.addBindValue(d);
            insert.addBindValue(force ? 1 : 0);
            insert.addBindValue(qint64(now));
            insert.addBindValue(qint64(now));
            if (!insert.exec())
                return dbError(insert);
            out.append({insert.lastInsertId().toLongLong(), false});
        }
        return out;
    });
}

// ---------------------------------------------------------------- rounds

Result<QList<DigestStatus>> AnchorStore::acceptDigests(const QStringList& digests, std::int64_t now, int* added)
{
    int fresh = 0;
    QList<bool> inserted(digests.size(), false); // waiting for its round: nothing to read back
    // The ingest's loop, on SQLite's own statements: two statements a digest, nothing converted.
    auto accepted = durableTransaction<bool>(m_conn, [&]() -> Result<bool> {
        auto single = SqliteStatement::prepare(
            m_conn, "SELECT 1 FROM anchors WHERE digest = ?1 AND forced = 0 AND state != 'failed'");
        if (!single)
            return single.error();
        auto insert = SqliteStatement::prepare(
            m_conn, "INSERT OR IGNORE INTO round_digests (digest, accepted_at) VALUES (?1, ?2)");
        if (!insert)
            return insert.error();
        for (qsizetype i = 0; i < digests.size(); ++i) {
            const QByteArray d = digests[i].toLatin1();
            single->bindText(1, d);
            auto alone = single->step();
            single->reset();
            if (!alone)
                return alone.error();
            if (*alone)
                continue; // anchored alone already: answered with that anchor below
            insert->bindText(1, d);
            insert->bindInt64(2, now);
            auto done = insert->step();
            if (!done)
                return done.error();
            inserted[i] = insert->changes() > 0;
            insert->reset();
            fresh += inserted[i] ? 1 : 0;
        }
        return true;
    });
    if (!accepted)
        return accepted.error();
    if (added)
        *added = fresh;
    QList<DigestStatus> out;
    out.reserve(digests.size());
    for (qsizetype i = 0; i < digests.size(); ++i) {
        const QString& d = digests[i];
        if (inserted[i]) {
            DigestStatus waiting;
            waiting.digest = d;
            out.append(std::move(waiting));
            continue;
        }
        auto st = digestStatus(d);
        if (!st)
            return makeError(QStringLiteral("database"),
                             QStringLiteral("digest %1 not found after accepting it").arg(d));
        out.append(std::move(*st));
    }
    return out;
}

qint64 AnchorStore::pendingDigestCount() const
{
    return anchorReads::pendingDigestCount(m_conn.db()).value_or(0);
}

std::optional<std::int64_t> AnchorStore::oldestPendingAt() const
{
    QSqlQuery q(m_conn.db());
    if (q.exec(QStringLiteral("SELECT MIN(accepted_at) FROM round_digests WHERE round IS NULL")) && q.next() &&
        !q.value(0).isNull())
        return q.value(0).toLongLong();
    return std::nullopt;
}

Result<std::optional<qint64>> AnchorStore::closeRound(int maxDigests, std::int64_t now)
{
    return transaction<std::optional<qint64>>(m_conn, [&]() -> Result<std::optional<qint64>> {
        auto pick = SqliteStatement::prepare(
            m_conn, "SELECT rowid, digest FROM round_digests WHERE round IS NULL ORDER BY accepted_at, rowid LIMIT ?1");
        if (!pick)
            return pick.error();
        pick->bindInt64(1, maxDigests);
        QList<qint64> rows;
        QList<QByteArray> leaves;
        for (;;) {
            auto row = pick->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            rows.append(pick->columnInt64(0));
            leaves.append(QByteArray::fromHex(pick->columnText(1)));
        }
        if (rows.isEmpty())
            return std::optional<qint64>();
        const QString root = QString::fromLatin1(merkle::root(leaves).toHex());
        QSqlQuery insert(m_conn.db());
        insert.prepare(QStringLiteral("INSERT INTO anchors (digest, forced, state, leaves, created_at, updated_at) "
                                      "VALUES (?, 2, 'queued', ?, ?, ?)"));
        insert.addBindValue(root);
        insert.addBindValue(qint64(rows.size()));
        insert.addBindValue(qint64(now));
        insert.addBindValue(qint64(now));
        if (!insert.exec())
            return dbError(insert);
        const qint64 round = insert.lastInsertId().toLongLong();
        auto bind = SqliteStatement::prepare(m_conn, "UPDATE round_digests SET round = ?1, leaf = ?2 WHERE rowid = ?3");
        if (!bind)
            return bind.error();
        for (int i = 0; i < rows.size(); ++i) {
            bind->bindInt64(1, round);
            bind->bindInt64(2, i);
            bind->bindInt64(3, rows[i]);
            auto done = bind->step();
            bind->reset();
            if (!done)
                return done.error();
        }
        return std::optional<qint64>(round);
    });
}

std::optional<AnchorStore::Membership> AnchorStore::membership(const QString& digest) const
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT round, leaf FROM round_digests WHERE digest = ?"));
    q.addBindValue(digest);
    if (q.exec() && q.next()) {
        if (q.value(0).isNull())
            return Membership{0, 0};
        return Membership{q.value(0).toLongLong(), q.value(1).toInt()};
    }
    if (auto a = anchorByDigest(digest))
        return Membership{a->id, 0};
    return std::nullopt;
}

std::optional<DigestStatus> AnchorStore::digestStatus(const QString& digest) const
{
    const auto m = membership(digest);
    if (!m)
        return std::nullopt;
    DigestStatus st;
    st.digest = digest;
    if (m->round == 0)
        return st; // waiting for its round
    const auto a = anchor(m->round);
    if (!a)
        return std::nullopt;
    st.round = a->id;
    st.leaves = a->leaves;
    st.state = a->stage;
    st.txid = a->txid;
    st.blockHash = a->blockHash;
    st.height = a->height;
    st.error = a->error;
    if (a->height)
        if (const auto t = tip(); t && t->height >= *a->height)
            st.confirmations = t->height - *a->height + 1;
    return st;
}

std::optional<RoundLeaves> AnchorStore::roundLeaves(qint64 round) const
{
    const auto a = anchor(round);
    if (!a)
        return std::nullopt;
    RoundLeaves out;
    out.round = round;
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT digest FROM round_digests WHERE round = ? ORDER BY leaf"));
    q.addBindValue(round);
    if (!q.exec())
        return std::nullopt;
    while (q.next())
        out.leaves.append(QByteArray::fromHex(q.value(0).toString().toLatin1()));
    if (out.leaves.isEmpty())
        out.leaves.append(QByteArray::fromHex(a->digest.toLatin1())); // anchored alone: a round of one
    return out;
}

std::optional<AnchorRecord> AnchorStore::anchor(qint64 id) const
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT %1 FROM anchors WHERE id = ?").arg(QLatin1String(kAnchorColumns)));
    q.addBindValue(id);
    if (q.exec() && q.next())
        return readAnchor(q);
    return std::nullopt;
}

std::optional<AnchorRecord> AnchorStore::anchorByDigest(const QString& digest) const
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT %1 FROM anchors WHERE digest = ? ORDER BY forced, id LIMIT 1")
                  .arg(QLatin1String(kAnchorColumns)));
    q.addBindValue(digest);
    if (q.exec() && q.next())
        return readAnchor(q);
    return std::nullopt;
}

QList<AnchorRecord> AnchorStore::dueAnchors(std::int64_t now, int limit) const
{
    QList<AnchorRecord> out;
    for (AnchorState state : {AnchorState::Signed, AnchorState::Queued}) {
        QSqlQuery q(m_conn.db());
        q.prepare(
            QStringLiteral(
                "SELECT %1 FROM anchors WHERE state = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?")
                .arg(QLatin1String(kAnchorColumns)));
        q.addBindValue(anchorStateToString(state));
        q.addBindValue(qint64(now));
        q.addBindValue(limit - out.size());
        if (q.exec())
            while (q.next())
                out.append(readAnchor(q));
        if (out.size() >= limit)
            break;
    }
    return out;
}

QList<AnchorRecord> AnchorStore::latestAnchors(int limit) const
{
    QList<AnchorRecord> out;
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT %1 FROM anchors ORDER BY id DESC LIMIT ?").arg(QLatin1String(kAnchorColumns)));
    q.addBindValue(limit);
    if (q.exec())
        while (q.next())
            out.append(readAnchor(q));
    return out;
}

QList<AnchorRecord> AnchorStore::unconfirmedSince(std::int64_t before, int limit) const
{
    QList<AnchorRecord> out;
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral(
                  "SELECT %1 FROM anchors WHERE state = 'broadcast' AND broadcast_at < ? ORDER BY broadcast_at LIMIT ?")
                  .arg(QLatin1String(kAnchorColumns)));
    q.addBindValue(qint64(before));
    q.addBindValue(limit);
    if (q.exec())
        while (q.next())
            out.append(readAnchor(q));
    return out;
}

QList<AnchorRecord> AnchorStore::failedAnchors(int limit) const
{
    QList<AnchorRecord> out;
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT %1 FROM anchors WHERE state = 'failed' ORDER BY updated_at DESC LIMIT ?")
                  .arg(QLatin1String(kAnchorColumns)));
    q.addBindValue(limit);
    if (q.exec())
        while (q.next())
            out.append(readAnchor(q));
    return out;
}

QMap<AnchorState, qint64> AnchorStore::anchorCountsByState() const
{
    return anchorReads::anchorCountsByState(m_conn.db()).value_or({});
}

namespace {
/// A typed table keyed by its states' words, for the readers that still want text.
template <typename State, typename Value>
QHash<QString, Value> byWord(const QMap<State, Value>& typed, QString (*toString)(State))
{
    QHash<QString, Value> out;
    for (auto it = typed.cbegin(); it != typed.cend(); ++it)
        out.insert(toString(it.key()), it.value());
    return out;
}
} // namespace

QHash<QString, qint64> AnchorStore::anchorCounts() const
{
    return byWord(anchorCountsByState(), anchorStateToString);
}

std::optional<std::int64_t> AnchorStore::nextAttemptAt() const
{
    QSqlQuery q(m_conn.db());
    if (q.exec(QStringLiteral("SELECT MIN(next_attempt_at) FROM anchors WHERE state IN ('queued', 'signed')")) &&
        q.next() && !q.value(0).isNull())
        return q.value(0).toLongLong();
    return std::nullopt;
}

QList<int> AnchorStore::anchorsPerMinute(std::int64_t now, int minutes) const
{
    return anchorReads::anchorsPerMinute(m_conn.db(), now, minutes).value_or(QList<int>(minutes, 0));
}

Result<void> AnchorStore::durableBatch(const std::function<void()>& body)
{
    if (m_inDurableBatch)
        return makeError(QStringLiteral("state"), QStringLiteral("durableBatch does not nest."));
    const auto leave = qScopeGuard([this] { m_inDurableBatch = false; });
    return durableTransaction<void>(m_conn, [&]() -> Result<void> {
        m_inDurableBatch = true;
        body();
        return {};
    });
}

Result<std::optional<Utxo>> AnchorStore::pickSignRecord(qint64 anchorId, std::int64_t minValue, std::int64_t now,
                                                        std::int64_t lockSeconds,
                                                        const std::function<Result<Built>(const Utxo&)>& build)
{
    if (m_inDurableBatch) // a part of the batch's transaction, on disk with its commit
        return savepoint<std::optional<Utxo>>(m_conn, QStringLiteral("pick"), [&] {
            return pickSignRecordBody(anchorId, minValue, now, lockSeconds, build);
        });
    // This commit must be on disk before the transaction can reach the network: nothing is
    // signed unless it will be.
    return durableTransaction<std::optional<Utxo>>(
        m_conn, [&] { return pickSignRecordBody(anchorId, minValue, now, lockSeconds, build); });
}

Result<std::optional<Utxo>> AnchorStore::pickSignRecordBody(qint64 anchorId, std::int64_t minValue, std::int64_t now,
                                                            std::int64_t lockSeconds,
                                                            const std::function<Result<Built>(const Utxo&)>& build)
{
    QSqlQuery pick(m_conn.db());
    // Confirmed outputs first (chain_depth = 0), then unconfirmed change within the chain limit.
    pick.prepare(pickQuery());
    pick.addBindValue(qint64(minValue));
    if (!pick.exec())
        return dbError(pick);
    std::optional<Utxo> chosen;
    if (pick.next()) {
        chosen = readUtxo(pick);
    } else {
        QSqlQuery deeper(m_conn.db());
        deeper.prepare(
            QStringLiteral(
                "SELECT %1 FROM utxos WHERE state = 'unspent' AND chain_depth BETWEEN 1 AND ? AND value >= ? "
                "ORDER BY chain_depth, value LIMIT 1")
                .arg(QLatin1String(kUtxoColumns)));
        deeper.addBindValue(kMaxChainDepth - 1);
        deeper.addBindValue(qint64(minValue));
        if (!deeper.exec())
            return dbError(deeper);
        if (deeper.next())
            chosen = readUtxo(deeper);
    }
    if (!chosen)
        return std::optional<Utxo>();
    auto built = build(*chosen);
    if (!built)
        return built.error();
    QSqlQuery lock(m_conn.db());
    lock.prepare(QStringLiteral(
        "UPDATE utxos SET state = 'locked', locked_until = ?, anchor_id = ? WHERE id = ? AND state = 'unspent'"));
    lock.addBindValue(qint64(now + lockSeconds));
    lock.addBindValue(anchorId);
    lock.addBindValue(chosen->id);
    if (!lock.exec() || lock.numRowsAffected() != 1)
        return dbError(lock);
    QSqlQuery rec(m_conn.db());
    rec.prepare(
        QStringLiteral("UPDATE anchors SET state = 'signed', txid = ?, raw_tx = ?, fee = ?, vsize = ?, utxo_id = ?, "
                       "attempts = attempts + 1, error = NULL, next_attempt_at = 0, updated_at = ? WHERE id = ?"));
    rec.addBindValue(built->tx.txid().hex());
    rec.addBindValue(built->tx.serialize());
    rec.addBindValue(qint64(built->fee));
    rec.addBindValue(qint64(built->tx.vsize()));
    rec.addBindValue(chosen->id);
    rec.addBindValue(qint64(now));
    rec.addBindValue(anchorId);
    if (!rec.exec() || rec.numRowsAffected() != 1)
        return dbError(rec);
    chosen->state = UtxoState::Locked;
    return chosen;
}

std::optional<Utxo> AnchorStore::peekPick(std::int64_t minValue) const
{
    // The same two indexed queries as pickSignRecord, without the lock.
    QSqlQuery q(m_conn.db());
    q.prepare(pickQuery());
    q.addBindValue(qint64(minValue));
    if (q.exec() && q.next())
        return readUtxo(q);
    QSqlQuery deeper(m_conn.db());
    deeper.prepare(
        QStringLiteral("SELECT %1 FROM utxos WHERE state = 'unspent' AND chain_depth BETWEEN 1 AND ? AND value >= ? "
                       "ORDER BY chain_depth, value LIMIT 1")
            .arg(QLatin1String(kUtxoColumns)));
    deeper.addBindValue(kMaxChainDepth - 1);
    deeper.addBindValue(qint64(minValue));
    if (deeper.exec() && deeper.next())
        return readUtxo(deeper);
    return std::nullopt;
}

Result<void> AnchorStore::markBroadcast(qint64 anchorId, std::int64_t now)
{
    return transaction<void>(m_conn, [&]() -> Result<void> {
        const auto a = anchor(anchorId);
        if (!a || a->stage != AnchorState::Signed)
            return makeError(QStringLiteral("state"),
                             QStringLiteral("Anchor %1 is not waiting for broadcast.").arg(anchorId));
        const auto input = utxo(a->utxoId);
        auto tx = btc::Transaction::deserialize(a->rawTx);
        if (!input || !tx)
            return makeError(QStringLiteral("state"),
                             QStringLiteral("Anchor %1 has lost its transaction.").arg(anchorId));
        QSqlQuery spend(m_conn.db());
        spend.prepare(QStringLiteral(
            "UPDATE utxos SET state = 'spent_unconfirmed', spending_txid = ?, locked_until = NULL WHERE id = ?"));
        spend.addBindValue(a->txid);
        spend.addBindValue(input->id);
        if (!spend.exec())
            return dbError(spend);
        // The change (any output paying our script) is ours now, unconfirmed, one deeper in the chain.
        QSqlQuery change(m_conn.db());
        change.prepare(
            QStringLiteral("INSERT OR IGNORE INTO utxos (txid, vout, value, script, height, chain_depth, state) "
                           "VALUES (?, ?, ?, ?, NULL, ?, 'unspent')"));
        for (int i = 0; i < tx->outputs.size(); ++i) {
            if (tx->outputs[i].script != input->script)
                continue;
            change.addBindValue(a->txid);
            change.addBindValue(i);
            change.addBindValue(qint64(tx->outputs[i].value));
            change.addBindValue(tx->outputs[i].script);
            change.addBindValue(input->chainDepth + 1);
            if (!change.exec())
                return dbError(change);
        }
        QSqlQuery upd(m_conn.db());
        upd.prepare(QStringLiteral(
            "UPDATE anchors SET state = 'broadcast', error = NULL, broadcast_at = ?, updated_at = ? WHERE id = ?"));
        upd.addBindValue(qint64(now));
        upd.addBindValue(qint64(now));
        upd.addBindValue(anchorId);
        if (!upd.exec())
            return dbError(upd);
        return {};
    });
}

Result<void> AnchorStore::releaseAndRequeue(qint64 anchorId, const QString& error, std::int64_t retryAt,
                                            int maxAttempts, std::int64_t now)
{
    return transaction<void>(m_conn, [&]() -> Result<void> {
        const auto a = anchor(anchorId);
        if (!a)
            return makeError(QStringLiteral("state"), QStringLiteral("No anchor %1.").arg(anchorId));
        QSqlQuery release(m_conn.db());
        release.prepare(QStringLiteral("UPDATE utxos SET state = 'unspent', locked_until = NULL, anchor_id = NULL "
                                       "WHERE id = ? AND state = 'locked'"));
        release.addBindValue(a->utxoId);
        if (!release.exec())
            return dbError(release);
        const bool giveUp = a->attempts >= maxAttempts;
        QSqlQuery upd(m_conn.db());
        upd.prepare(
            QStringLiteral("UPDATE anchors SET state = ?, txid = NULL, raw_tx = NULL, utxo_id = NULL, error = ?, "
                           "next_attempt_at = ?, updated_at = ? WHERE id = ?"));
        upd.addBindValue(anchorStateToString(giveUp ? AnchorState::Failed : AnchorState::Queued));
        upd.addBindValue(error);
        upd.addBindValue(qint64(retryAt));
        upd.addBindValue(qint64(now));
        upd.addBindValue(anchorId);
        if (!upd.exec())
            return dbError(upd);
        return {};
    });
}

Result<void> AnchorStore::dropInputAndRequeue(qint64 anchorId, const QString& error, std::int64_t now)
{
    return transaction<void>(m_conn, [&]() -> Result<void> {
        const auto a = anchor(anchorId);
        if (!a)
            return makeError(QStringLiteral("state"), QStringLiteral("No anchor %1.").arg(anchorId));
        QSqlQuery gone(m_conn.db());
        gone.prepare(QStringLiteral("UPDATE utxos SET state = 'spent', locked_until = NULL WHERE id = ?"));
        gone.addBindValue(a->utxoId);
        if (!gone.exec())
            return dbError(gone);
        QSqlQuery upd(m_conn.db());
        upd.prepare(QStringLiteral(
            "UPDATE anchors SET state = 'queued', txid = NULL, raw_tx = NULL, utxo_id = NULL, error = ?, "
            "next_attempt_at = 0, updated_at = ? WHERE id = ?"));
        upd.addBindValue(error);
        upd.addBindValue(qint64(now));
        upd.addBindValue(anchorId);
        if (!upd.exec())
            return dbError(upd);
        return {};
    });
}

namespace {
/// Sets an anchor's reason and retry time, and its state unless `state` is empty.
Result<void> setAnchor(const SqliteConnection& conn, qint64 id, std::optional<AnchorState> state, const QString& error,
                       std::int64_t retryAt, std::int64_t now)
{
    QSqlQuery q(conn.db());
    q.prepare(QStringLiteral(
        "UPDATE anchors SET state = COALESCE(?, state), error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?"));
    q.addBindValue(state ? QVariant(anchorStateToString(*state)) : QVariant(QMetaType::fromType<QString>()));
    q.addBindValue(error);
    q.addBindValue(qint64(retryAt));
    q.addBindValue(qint64(now));
    q.addBindValue(id);
    if (!q.exec())
        return dbError(q);
    return {};
}
} // namespace

Result<void> AnchorStore::postpone(qint64 anchorId, const QString& error, std::int64_t retryAt, std::int64_t now)
{
    return setAnchor(m_conn, anchorId, std::nullopt, error, retryAt, now);
}

Result<void> AnchorStore::wakeQueued()
{
    return m_conn.exec(
        QStringLiteral("UPDATE anchors SET next_attempt_at = 0 WHERE state = 'queued' AND next_attempt_at > 0"));
}

Result<void> AnchorStore::waitForFunds(qint64 anchorId, const QString& error, std::int64_t retryAt, std::int64_t now)
{
    return setAnchor(m_conn, anchorId, AnchorState::Queued, error, retryAt, now);
}

Result<void> AnchorStore::markFailed(qint64 anchorId, const QString& error, std::int64_t now)
{
    return setAnchor(m_conn, anchorId, AnchorState::Failed, error, 0, now);
}

// ---------------------------------------------------------------- UTXOs

Result<UtxoImportCounts> AnchorStore::importUtxosCounted(const QList<Utxo>& utxos, const ImportProgress& progress)
{
    // Asked every kImportProgressRows and before the commit; an answer of false rolls back.
    const auto stopped = [&](qsizetype done) {
        return progress && (done % kImportProgressRows == 0 || done == utxos.size()) && !progress(done, utxos.size());
    };
    const auto cancelled = [] {
        return makeError(QStringLiteral("cancelled"),
                         QStringLiteral("The import was cancelled: nothing was imported."));
    };
    return transaction<UtxoImportCounts>(m_conn, [&]() -> Result<UtxoImportCounts> {
        QSqlQuery existing(m_conn.db());
        existing.prepare(QStringLiteral("SELECT value, script FROM utxos WHERE txid = ? AND vout = ?"));
        QSqlQuery insert(m_conn.db());
        insert.prepare(QStringLiteral("INSERT INTO utxos (txid, vout, value, script, height, chain_depth, state) "
                                      "VALUES (?, ?, ?, ?, ?, ?, 'unspent')"));
        QSqlQuery refresh(m_conn.db());
        refresh.prepare(QStringLiteral("UPDATE utxos SET height = ?, chain_depth = CASE WHEN ? IS NULL THEN "
                                       "chain_depth ELSE 0 END WHERE txid = ? AND vout = ?"));
        UtxoImportCounts counts;
        for (const Utxo& u : utxos) {
            if (stopped(counts.added + counts.alreadyPresent))
                return cancelled();
            existing.addBindValue(u.txid);
            existing.addBindValue(u.vout);
            if (!existing.exec())
                return dbError(existing);
            if (existing.next()) {
                const qint64 storedValue = existing.value(0).toLongLong();
                const QByteArray storedScript = existing.value(1).toByteArray();
                existing.finish();
                if (storedValue != qint64(u.value) || storedScript != u.script)
                    return makeError(
                        QStringLiteral("utxo_conflict"),
                        QStringLiteral("%1:%2 is already stored with %3; the import says %4. Nothing was imported.")
                            .arg(u.txid)
                            .arg(u.vout)
                            .arg(storedValue != qint64(u.value)
                                     ? QStringLiteral("the value %1 sat").arg(storedValue)
                                     : QStringLiteral("the script %1").arg(QString::fromLatin1(storedScript.toHex())),
                                 storedValue != qint64(u.value) ? QStringLiteral("%1 sat").arg(qint64(u.value))
                                                                : QString::fromLatin1(u.script.toHex())));
                refresh.addBindValue(nullableInt(u.height));
                refresh.addBindValue(nullableInt(u.height));
                refresh.addBindValue(u.txid);
                refresh.addBindValue(u.vout);
                if (!refresh.exec())
                    return dbError(refresh);
                ++counts.alreadyPresent;
                continue;
            }
            existing.finish();
            insert.addBindValue(u.txid);
            insert.addBindValue(u.vout);
            insert.addBindValue(qint64(u.value));
            insert.addBindValue(u.script);
            insert.addBindValue(nullableInt(u.height));
            insert.addBindValue(u.height ? 0 : std::max(1, u.chainDepth));
            if (!insert.exec())
                return dbError(insert);
            ++counts.added;
        }
        if (stopped(utxos.size()))
            return cancelled();
        return counts;
    });
}

Result<int> AnchorStore::importUtxos(const QList<Utxo>& utxos)
{
    auto counts = importUtxosCounted(utxos);
    if (!counts)
        return counts.error();
    return counts->added + counts->alreadyPresent;
}

int AnchorStore::releaseExpiredLocks(std::int64_t now)
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral(
        "UPDATE utxos SET state = 'unspent', locked_until = NULL, anchor_id = NULL WHERE state = 'locked' "
        "AND locked_until < ? AND NOT EXISTS (SELECT 1 FROM anchors a WHERE a.id = utxos.anchor_id "
        "AND a.state IN ('signed', 'broadcast', 'confirmed'))"));
    q.addBindValue(qint64(now));
    return q.exec() ? q.numRowsAffected() : 0;
}

qint64 AnchorStore::expiredLockCount(std::int64_t now) const
{
    return anchorReads::expiredLockCount(m_conn.db(), now).value_or(0);
}

QMap<UtxoState, UtxoStats> AnchorStore::utxoStatsByState() const
{
    return anchorReads::utxoStatsByState(m_conn.db()).value_or({});
}

QHash<QString, UtxoStats> AnchorStore::utxoStats() const
{
    return byWord(utxoStatsByState(), utxoStateToString);
}

QList<qint64> AnchorStore::valueHistogram(const QList<std::int64_t>& bounds) const
{
    return anchorReads::valueHistogram(m_conn.db(), bounds).value_or(QList<qint64>(bounds.size(), 0));
}

std::optional<Utxo> AnchorStore::utxo(qint64 id) const
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT %1 FROM utxos WHERE id = ?").arg(QLatin1String(kUtxoColumns)));
    q.addBindValue(id);
    if (q.exec() && q.next())
        return readUtxo(q);
    return std::nullopt;
}

std::optional<Utxo> AnchorStore::utxoByOutpoint(const QString& txid, std::uint32_t vout) const
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT %1 FROM utxos WHERE txid = ? AND vout = ?").arg(QLatin1String(kUtxoColumns)));
    q.addBindValue(txid);
    q.addBindValue(vout);
    if (q.exec() && q.next())
        return readUtxo(q);
    return std::nullopt;
}

Result<std::optional<AnchorStore::MaintenancePick>>
AnchorStore::pickLockMaintenance(std::int64_t minValue, std::int64_t now, std::int64_t lockSeconds,
                                 const std::function<Result<Built>(const Utxo&)>& build)
{
    return transaction<std::optional<MaintenancePick>>(m_conn, [&]() -> Result<std::optional<MaintenancePick>> {
        QSqlQuery pick(m_conn.db());
        pick.prepare(QStringLiteral("SELECT %1 FROM utxos WHERE state = 'unspent' AND chain_depth = 0 AND value >= ? "
                                    "ORDER BY value DESC LIMIT 1")
                         .arg(QLatin1String(kUtxoColumns)));
        pick.addBindValue(qint64(minValue));
        if (!pick.exec())
            return dbError(pick);
        if (!pick.next())
            return std::optional<MaintenancePick>();
        Utxo chosen = readUtxo(pick);
        pick.finish();
        auto built = build(chosen);
        if (!built)
            return built.error();
        QSqlQuery lock(m_conn.db());
        lock.prepare(QStringLiteral("UPDATE utxos SET state = 'locked', locked_until = ?, anchor_id = NULL "
                                    "WHERE id = ? AND state = 'unspent'"));
        lock.addBindValue(qint64(now + lockSeconds));
        lock.addBindValue(chosen.id);
        if (!lock.exec() || lock.numRowsAffected() != 1)
            return dbError(lock);
        chosen.state = UtxoState::Locked;
        return std::optional<MaintenancePick>(MaintenancePick{chosen, std::move(*built)});
    });
}

Result<void> AnchorStore::releaseMaintenanceLock(qint64 utxoId)
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("UPDATE utxos SET state = 'unspent', locked_until = NULL WHERE id = ? AND state = "
                             "'locked' AND anchor_id IS NULL"));
    q.addBindValue(utxoId);
    if (!q.exec())
        return dbError(q);
    return {};
}

Result<void> AnchorStore::recordMaintenanceSpend(qint64 utxoId, const QString& txid, const QList<Utxo>& newOutputs)
{
    return transaction<void>(m_conn, [&]() -> Result<void> {
        QSqlQuery spend(m_conn.db());
        // Locked by pickLockMaintenance, or unspent again if the lock expired meanwhile; never an anchor's.
        spend.prepare(QStringLiteral(
            "UPDATE utxos SET state = 'spent_unconfirmed', spending_txid = ?, locked_until = NULL WHERE id = ? "
            "AND anchor_id IS NULL AND state IN ('locked', 'unspent')"));
        spend.addBindValue(txid);
        spend.addBindValue(utxoId);
        if (!spend.exec() || spend.numRowsAffected() != 1)
            return makeError(QStringLiteral("state"), QStringLiteral("The UTXO was taken meanwhile."));
        // The outputs wait for their block (chain depth kMaxChainDepth: never picked unconfirmed).
        // A transaction spending one while the fan-out is in the mempool is its descendant, and
        // Bitcoin Core takes 24 of those at most ("too many descendants"), whatever the outputs.
        QSqlQuery ins(m_conn.db());
        ins.prepare(QStringLiteral("INSERT INTO utxos (txid, vout, value, script, height, chain_depth, state) VALUES "
                                   "(?, ?, ?, ?, NULL, ?, 'unspent')"));
        for (const Utxo& u : newOutputs) {
            ins.addBindValue(u.txid);
            ins.addBindValue(u.vout);
            ins.addBindValue(qint64(u.value));
            ins.addBindValue(u.script);
            ins.addBindValue(kMaxChainDepth);
            if (!ins.exec())
                return dbError(ins);
        }
        return {};
    });
}

// ---------------------------------------------------------------- chain

std::optional<AnchorStore::Tip> AnchorStore::tip() const
{
    return anchorReads::tip(m_conn.db()).value_or(std::nullopt);
}

std::optional<QString> AnchorStore::blockHashAt(int height) const
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT hash FROM blocks WHERE height = ?"));
    q.addBindValue(height);
    if (q.exec() && q.next())
        return q.value(0).toString();
    return std::nullopt;
}

std::optional<int> AnchorStore::lowestBlockHeight() const
{
    QSqlQuery q(m_conn.db());
    if (q.exec(QStringLiteral("SELECT MIN(height) FROM blocks")) && q.next() && !q.value(0).isNull())
        return q.value(0).toInt();
    return std::nullopt;
}

Result<void> AnchorStore::setTip(int height, const QString& hash, const QString& prevHash)
{
    return transaction<void>(m_conn, [&]() -> Result<void> {
        QSqlQuery q(m_conn.db());
        q.prepare(
            QStringLiteral("INSERT OR REPLACE INTO blocks (height, hash, prev_hash) VALUES (?, ?, COALESCE(?, ''))"));
        q.addBindValue(height);
        q.addBindValue(hash);
        q.addBindValue(prevHash);
        if (!q.exec())
            return dbError(q);
        return {};
    });
}

Result<void> AnchorStore::applyBlock(const ChainBlock& b, const QByteArray& walletScript)
{
    return transaction<void>(m_conn, [&]() -> Result<void> {
        QSqlQuery spend(m_conn.db()), out(m_conn.db()), conf(m_conn.db());
        spend.prepare(
            QStringLiteral("UPDATE utxos SET state = 'spent', spent_height = ?, spending_txid = ?, locked_until = NULL "
                           "WHERE txid = ? AND vout = ?"));
        out.prepare(QStringLiteral("INSERT INTO utxos (txid, vout, value, script, height, chain_depth, state) VALUES "
                                   "(?, ?, ?, ?, ?, 0, 'unspent') "
                                   "ON CONFLICT (txid, vout) DO UPDATE SET height = excluded.height, chain_depth = 0"));
        conf.prepare(QStringLiteral("UPDATE anchors SET state = 'confirmed', height = ?, block_hash = ?, error = NULL "
                                    "WHERE txid = ? AND state IN ('signed', 'broadcast')"));
        for (const ChainTx& tx : b.txs) {
            for (const btc::OutPoint& in : tx.inputs) {
                spend.addBindValue(b.height);
                spend.addBindValue(tx.txid);
                spend.addBindValue(in.txid.hex());
                spend.addBindValue(in.vout);
                if (!spend.exec())
                    return dbError(spend);
            }
            for (int i = 0; i < tx.outputs.size(); ++i) {
                if (tx.outputs[i].script != walletScript)
                    continue;
                out.addBindValue(tx.txid);
                out.addBindValue(i);
                out.addBindValue(qint64(tx.outputs[i].value));
                out.addBindValue(tx.outputs[i].script);
                out.addBindValue(b.height);
                if (!out.exec())
                    return dbError(out);
            }
            conf.addBindValue(b.height);
            conf.addBindValue(b.hash);
            conf.addBindValue(tx.txid);
            if (!conf.exec())
                return dbError(conf);
        }
        QSqlQuery blk(m_conn.db());
        blk.prepare(
            QStringLiteral("INSERT OR REPLACE INTO blocks (height, hash, prev_hash) VALUES (?, ?, COALESCE(?, ''))"));
        blk.addBindValue(b.height);
        blk.addBindValue(b.hash);
        blk.addBindValue(b.prevHash);
        if (!blk.exec())
            return dbError(blk);
        QSqlQuery prune(m_conn.db());
        prune.prepare(QStringLiteral("DELETE FROM blocks WHERE height < ?"));
        prune.addBindValue(b.height - 1000);
        if (!prune.exec())
            return dbError(prune);
        return {};
    });
}

Result<void> AnchorStore::rollbackTo(int height)
{
    return transaction<void>(m_conn, [&]() -> Result<void> {
        const QStringList statements{
            QStringLiteral("UPDATE anchors SET state = 'broadcast', height = NULL, block_hash = NULL WHERE state = "
                           "'confirmed' AND height > :h"),
            QStringLiteral("UPDATE utxos SET height = NULL, chain_depth = 1 WHERE height > :h"),
            QStringLiteral("UPDATE utxos SET state = 'spent_unconfirmed', spent_height = NULL WHERE state = 'spent' "
                           "AND spent_height > :h"),
            QStringLiteral("DELETE FROM blocks WHERE height > :h"),
        };
        for (const QString& sql : statements) {
            QSqlQuery q(m_conn.db());
            q.prepare(sql);
            q.bindValue(QStringLiteral(":h"), height);
            if (!q.exec())
                return dbError(q);
        }
        return {};
    });
}

qint64 AnchorStore::databaseBytes() const
{
    return QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size();
}

} // namespace uw
