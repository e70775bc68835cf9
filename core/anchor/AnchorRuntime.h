#pragma once

#include "anchor/AnchorService.h"
#include "bitcoin/WalletKey.h"
#include "chain/BackendConfig.h"

#include <QJsonObject>
#include <QThread>
#include <functional>
#include <memory>

namespace uw {

class AnchorStore;
class ChainBackend;
class ChainFollower;

/// The anchoring core on its own thread: the store (its SQLite connection belongs to that
/// thread), the backend, the chain follower and the service. The owner talks to it through
/// queued calls and receives queued signals; nothing here blocks the caller.
class AnchorRuntime : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnchorRuntime)
public:
    struct Config
    {
        QString databasePath;
        BackendConfig backend;
        btc::WalletKey key;
        AnchorService::Options options;
        int pollMs = 2000;
        int batchIntervalMs = 10000;  ///< a round closes at most this long after its first digest
        int batchMaxDigests = 100000; ///< ... or as soon as this many wait
    };

    AnchorRuntime(Config config, const Clock& clock, QObject* parent = nullptr);
    ~AnchorRuntime() override;

    /// Opens everything on the worker thread; answers with started() or failed().
    void start();
    /// Anchors each digest alone (one transaction per digest).
    void enqueue(const QStringList& digests, bool force);
    /// Accepts digests (64 lowercase hex, checked by the caller) into the open round. `done` runs
    /// on this object's thread once they are committed to disk (a FULL commit: through a power
    /// loss), or with the store's error. Submissions queued while the thread is busy share one
    /// commit.
    void submit(const QStringList& digests, std::function<void(Result<QList<DigestStatus>>)> done);
    /// Where a digest stands (empty: never accepted). `done` runs on this object's thread.
    void status(const QString& digest, std::function<void(std::optional<DigestStatus>)> done);
    /// The `.ots` proof of a confirmed digest (AnchorProofs::proof: not_found, not_confirmed, the
    /// node's errors). `done` runs on this object's thread.
    void proof(const QString& digest, std::function<void(Result<QByteArray>)> done);
    /// The anchoring core's figures as JSON: tip, digests waiting for a round, anchors and UTXOs
    /// by state, fee rate, transactions in flight. `done` runs on this object's thread.
    void snapshot(std::function<void(QJsonObject)> done);
    /// Asks the chain follower to check now.
    void syncChain();

    /// A UTXO sync's two steps: the node's scan of its UTXO set (minutes on mainnet), then the
    /// found UTXOs saved in one transaction.
    enum class SyncPhase
    {
        Scanning, ///< `done` percent of `total` 100; -1 of 0 while the backend gives no figure
        Saving,   ///< `done` of `total` UTXOs written
    };
    Q_ENUM(SyncPhase)
    using SyncProgress = std::function<void(SyncPhase phase, qint64 done, qint64 total)>;
    /// Imports the wallet's UTXOs from the node (scantxoutset, or Esplora) into the store, all or
    /// nothing. `progress` and `done` run on this object's thread; one sync at a time.
    void syncUtxos(SyncProgress progress, std::function<void(Result<UtxoImportCounts>)> done);
    /// Stops the sync from any thread: the node's scan is aborted, or the import rolled back;
    /// its `done` then gets the error "cancelled" and the store is as it was.
    void cancelSync();

Q_SIGNALS:
    void started();
    void failed(const QString& reason);
    void enqueued(const QList<qint64>& ids, const QList<bool>& existing);
    void anchorUpdated(qint64 id, uw::AnchorState state, const QString& txid, const QString& error);
    void tipChanged(int height, const QString& hash);
    void chainSynced();
    void idle();
    /// A round closed: `digests` digests committed to by anchor `round`.
    void roundClosed(qint64 round, int digests);

private:
    struct Worker;
    void scheduleRound();
    void acceptIntake(Worker& w);
    void closeRounds(bool all);
    Config m_config;
    const Clock& m_clock;
    QThread m_thread;
    QObject* m_context = nullptr; ///< lives on m_thread; owns the worker's objects
    std::shared_ptr<Worker> m_worker;
};

} // namespace uw
