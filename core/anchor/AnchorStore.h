#pragma once

#include "anchor/AnchorState.h"
#include "bitcoin/Transaction.h"
#include "chain/ChainTypes.h"
#include "store/SqliteConnection.h"

#include <QList>
#include <QMap>
#include <QString>
#include <functional>
#include <optional>

namespace uw {

/// One anchoring request and where it stands.
struct AnchorRecord
{
    qint64 id = 0;
    QString digest;
    AnchorState stage = AnchorState::Queued; ///< where it stands
    /// anchorStateToString(stage), kept only for core/status until it converts `stage` itself:
    /// compare `stage`, never this.
    QString state;
    QString txid;
    QByteArray rawTx;
    std::int64_t fee = 0;
    std::int64_t vsize = 0;
    qint64 utxoId = 0;
    std::optional<int> height;
    QString blockHash;
    QString error;
    int attempts = 0;
    std::int64_t nextAttemptAt = 0;
    std::int64_t createdAt = 0;
    std::int64_t updatedAt = 0;
    int leaves = 1; ///< digests committed to (a round's Merkle root; 1 for a digest anchored alone)
};

/// Where one digest stands, anchored alone or in a round: a digest accepted into a round is
/// `Queued` with `round` 0 until its round closes, then follows its round's anchor.
struct DigestStatus
{
    QString digest;
    AnchorState state = AnchorState::Queued;
    qint64 round = 0; ///< the anchor (transaction) that carries it; 0 while its round is open
    int leaves = 1;   ///< digests in that round
    QString txid;
    QString blockHash;
    std::optional<int> height;
    int confirmations = 0;
    QString error;
};

/// The digests of one closed round, in leaf order (32 bytes each).
struct RoundLeaves
{
    qint64 round = 0;
    QList<QByteArray> leaves;
};

/// What an import did: outpoints new to the store, and outpoints it held already (their
/// height refreshed, nothing else).
struct UtxoImportCounts
{
    int added = 0;
    int alreadyPresent = 0;
};

struct UtxoStats
{
    qint64 count = 0;
    std::int64_t value = 0;
};

/// The anchoring store (SQLite, WAL): the wallet's UTXOs, the anchor queue and the recent
/// chain. The UTXO to spend is chosen by one indexed query (LIMIT 1) inside the transaction
/// that locks it; nothing ever loads the UTXO set. One instance per thread.
class AnchorStore
{
public:
    static constexpr int kMaxChainDepth = 24; ///< Bitcoin Core's limit is 25 unconfirmed ancestors

    static Result<AnchorStore> open(const QString& path);
    /// The exact SQL of the pick (one placeholder: the minimum value), so that tests can check its plan.
    static QString pickQuery();

    // --- anchors
    struct Enqueued
    {
        qint64 id;
        bool existing; ///< the digest was already queued or anchored
    };
    /// Queues a digest (64 lowercase hex). An existing, non-failed anchor of the same digest is
    /// returned as is unless `force`; a failed one is queued again.
    Result<Enqueued> enqueue(const QString& digest, bool force, std::int64_t now);
    /// Queues many digests in one transaction.
    Result<QList<Enqueued>> enqueueMany(const QStringList& digests, bool force, std::int64_t now);

    // --- rounds (Merkle batching)
    /// Accepts digests (64 lowercase hex) into the open round, durably, in one transaction. A
    /// digest already accepted, or already anchored alone and not failed, is answered with where
    /// it stands and is not taken twice; so is a digest given twice in `digests`.
    /// `added`, when given, receives how many digests were new.
    Result<QList<DigestStatus>> acceptDigests(const QStringList& digests, std::int64_t now, int* added = nullptr);
    /// Digests waiting for their round to close, and when the oldest of them was accepted.
    qint64 pendingDigestCount() const;
    std::optional<std::int64_t> oldestPendingAt() const;
    /// Closes a round of at most `maxDigests` waiting digests (oldest first) in one transaction:
    /// an anchor whose digest is their Merkle root, each digest bound to it with its leaf
    /// index. Empty when nothing waits.
    Result<std::optional<qint64>> closeRound(int maxDigests, std::int64_t now);
    std::optional<DigestStatus> digestStatus(const QString& digest) const;
    /// The round `digest` is in and its leaf index there (0 for a digest anchored alone).
    struct Membership
    {
        qint64 round;
        int leaf;
    };
    std::optional<Membership> membership(const QString& digest) const;
    /// A closed round's digests in leaf order; a digest anchored alone is a round of one.
    std::optional<RoundLeaves> roundLeaves(qint64 round) const;

    std::optional<AnchorRecord> anchor(qint64 id) const;
    std::optional<AnchorRecord> anchorByDigest(const QString& digest) const;
    /// Anchors due for work: signed ones to (re)send first, then queued ones, oldest first.
    QList<AnchorRecord> dueAnchors(std::int64_t now, int limit) const;
    QList<AnchorRecord> latestAnchors(int limit) const;
    /// Broadcast (unconfirmed) anchors sent before `before`: candidates for a mempool check.
    QList<AnchorRecord> unconfirmedSince(std::int64_t before, int limit) const;
    QList<AnchorRecord> failedAnchors(int limit) const;
    QMap<AnchorState, qint64> anchorCountsByState() const;
    /// anchorCountsByState() keyed by anchorStateToString(), kept only for core/status until it
    /// converts the states itself.
    QHash<QString, qint64> anchorCounts() const;
    std::optional<std::int64_t> nextAttemptAt() const;
    /// Anchors per minute over the last `minutes` minutes (broadcast time), oldest first.
    QList<int> anchorsPerMinute(std::int64_t now, int minutes) const;

    /// Picks the smallest unspent UTXO worth at least `minValue` (confirmed first, then
    /// unconfirmed within the chain limit), lets `build` make and sign the transaction, and
    /// records it with the lock, all in one transaction. `build` returns the signed
    /// transaction, or an error that leaves everything as it was.
    struct Built
    {
        btc::Transaction tx;
        std::int64_t fee;
        std::optional<btc::TxOut> change; ///< output 1 when present
    };
    Result<std::optional<Utxo>> pickSignRecord(qint64 anchorId, std::int64_t minValue, std::int64_t now,
                                               std::int64_t lockSeconds,
                                               const std::function<Result<Built>(const Utxo&)>& build);
    /// Runs `body` inside one transaction whose commit is fully synchronous (one fsync): every
    /// pickSignRecord called from `body` is a savepoint of it instead of a transaction of its
    /// own, so that a batch of anchors is signed and recorded with one disk flush (group commit).
    /// An error of one pick undoes only that pick. Nothing signed in `body` is on disk, nor may
    /// be sent, before this returns success; on an error (the commit failed) nothing of `body`
    /// was written.
    Result<void> durableBatch(const std::function<void()>& body);
    /// The UTXO pickSignRecord would take, without locking anything (for --dry-run).
    std::optional<Utxo> peekPick(std::int64_t minValue) const;
    /// After the node accepted: input spent (unconfirmed), change inserted, anchor broadcast.
    Result<void> markBroadcast(qint64 anchorId, std::int64_t now);
    /// The node refused for good: release the lock, queue the anchor again (or fail it after
    /// `maxAttempts`), remember why.
    Result<void> releaseAndRequeue(qint64 anchorId, const QString& error, std::int64_t retryAt, int maxAttempts,
                                   std::int64_t now);
    /// The input is gone (spent elsewhere): forget it and queue the anchor again at once.
    Result<void> dropInputAndRequeue(qint64 anchorId, const QString& error, std::int64_t now);
    /// A transient failure: keep the signed transaction, try again at `retryAt`.
    Result<void> postpone(qint64 anchorId, const QString& error, std::int64_t retryAt, std::int64_t now);
    Result<void> markFailed(qint64 anchorId, const QString& error, std::int64_t now);
    /// A new block may have freed UTXOs: queued anchors become due now.
    Result<void> wakeQueued();
    /// Waiting for UTXOs: stays queued, retried at `retryAt`.
    Result<void> waitForFunds(qint64 anchorId, const QString& error, std::int64_t retryAt, std::int64_t now);

    // --- UTXOs
    /// Imports outputs (JSON-lines import, scantxoutset) in one transaction: a new outpoint is
    /// inserted as unspent; one already stored keeps its state and only has its height (and
    /// depth) refreshed, for sync. An outpoint already stored with another value or script is
    /// an error ("utxo_conflict") that names it, and nothing is imported: the stored value is
    /// what the wallet signs for, never replaced behind the user's back.
    /// `progress` (may be empty) hears how many of the outpoints are written, every
    /// kImportProgressRows and at the end, before the commit; answering false stops the import:
    /// the transaction is rolled back and the error is "cancelled".
    using ImportProgress = std::function<bool(qsizetype done, qsizetype total)>;
    static constexpr qsizetype kImportProgressRows = 1000;
    Result<UtxoImportCounts> importUtxosCounted(const QList<Utxo>& utxos, const ImportProgress& progress = {});
    /// importUtxosCounted(), as the number of outpoints added or already present.
    Result<int> importUtxos(const QList<Utxo>& utxos);
    /// Locks past their expiry whose anchor has no signed transaction are released; returns how many.
    int releaseExpiredLocks(std::int64_t now);
    /// Locks past their expiry (the leak the old design could not see).
    qint64 expiredLockCount(std::int64_t now) const;
    QMap<UtxoState, UtxoStats> utxoStatsByState() const;
    /// utxoStatsByState() keyed by utxoStateToString(), kept only for core/status until it
    /// converts the states itself.
    QHash<QString, UtxoStats> utxoStats() const;
    /// Counts of unspent UTXOs by value bucket (upper bounds in satoshis, ascending).
    QList<qint64> valueHistogram(const QList<std::int64_t>& bounds) const;
    std::optional<Utxo> utxo(qint64 id) const;
    std::optional<Utxo> utxoByOutpoint(const QString& txid, std::uint32_t vout) const;
    /// A maintenance transaction (a fan-out): picks the largest confirmed unspent UTXO worth at
    /// least `minValue`, lets `build` make and sign the transaction, and locks the UTXO (no
    /// anchor) until `now + lockSeconds`, all in one transaction as pickSignRecord does for an
    /// anchor: two fan-outs at once, or a fan-out and an anchor, never take the same UTXO. An
    /// error from `build` leaves nothing locked; an empty answer means no UTXO is large enough.
    struct MaintenancePick
    {
        Utxo utxo;
        Built built;
    };
    Result<std::optional<MaintenancePick>> pickLockMaintenance(std::int64_t minValue, std::int64_t now,
                                                               std::int64_t lockSeconds,
                                                               const std::function<Result<Built>(const Utxo&)>& build);
    /// The maintenance transaction was not sent: its input is free again.
    Result<void> releaseMaintenanceLock(qint64 utxoId);
    /// After the node accepted the maintenance transaction: its input spent (unconfirmed), its
    /// outputs to the wallet unspent. Refused if an anchor took the input meanwhile.
    Result<void> recordMaintenanceSpend(qint64 utxoId, const QString& txid, const QList<Utxo>& newOutputs);

    // --- chain
    struct Tip
    {
        int height;
        QString hash;
        bool operator==(const Tip&) const = default;
    };
    std::optional<Tip> tip() const;
    std::optional<QString> blockHashAt(int height) const;
    /// The oldest block the store remembers (it keeps the last 1,000).
    std::optional<int> lowestBlockHeight() const;
    /// Applies a block on top of the tip: spends, new outputs of `walletScript`, confirmations.
    Result<void> applyBlock(const ChainBlock& block, const QByteArray& walletScript);
    /// Undoes every block above `height`.
    Result<void> rollbackTo(int height);
    /// Sets the tip without applying anything (first start: follow from here on).
    Result<void> setTip(int height, const QString& hash, const QString& prevHash);

    qint64 databaseBytes() const;
    const SqliteConnection& connection() const { return m_conn; }

private:
    Result<std::optional<Utxo>> pickSignRecordBody(qint64 anchorId, std::int64_t minValue, std::int64_t now,
                                                   std::int64_t lockSeconds,
                                                   const std::function<Result<Built>(const Utxo&)>& build);
    explicit AnchorStore(SqliteConnection conn, QString path) : m_conn(std::move(conn)), m_path(std::move(path)) {}
    SqliteConnection m_conn;
    QString m_path;
    bool m_inDurableBatch = false;
};

} // namespace uw
