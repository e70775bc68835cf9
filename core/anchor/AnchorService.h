#pragma once

#include "anchor/AnchorStore.h"
#include "bitcoin/WalletKey.h"
#include "chain/ChainBackend.h"
#include "util/Clock.h"

#include <QSet>
#include <QTimer>

namespace uw {

/// The anchoring pipeline for one wallet: takes due anchors from the store, picks + locks +
/// signs + records as many as there is room in flight for in one durable SQL transaction (one
/// fsync: AnchorStore::durableBatch), broadcasts them in queue order once it is committed, and
/// records each outcome; the next batch is signed while the previous one is on its way. A
/// recorded transaction is re-sent as it is after a crash or a transient failure, never
/// re-signed with another input. Lives on the anchoring thread.
class AnchorService : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnchorService)
public:
    struct Options
    {
        double feeFloorSatPerVb = 1.0;
        int feeTargetBlocks = 6;
        int maxInFlight = 8;
        int lockSeconds = 600;
        int maxAttempts = 5;
        int retryBaseMs = 1000;
        int retryMaxMs = 60000;
        int feeRefreshMs = 60000;
        int mempoolCheckMs = 10 * 60 * 1000; ///< how often broadcast anchors are looked for on the node
        int mempoolGraceSeconds = 60;        ///< an anchor younger than this is not checked yet
    };

    AnchorService(AnchorStore* store, ChainBackend* backend, btc::WalletKey key, const Clock& clock, Options options,
                  QObject* parent = nullptr);

    /// Starts working: expired locks released, then the queue.
    void start();
    void stop();
    /// Looks for due work now (after an enqueue, ...).
    void pump();
    /// A new block: UTXOs may have confirmed, so anchors waiting for funds try again now.
    void onNewTip();
    int inFlight() const { return int(m_inFlight.size()); }
    double feeRate() const { return m_feeRate; }

Q_SIGNALS:
    void anchorUpdated(qint64 id, uw::AnchorState state, const QString& txid, const QString& error);
    /// Nothing is in flight and nothing is due right now.
    void idle();

private:
    void work();
    /// pump() once this turn of the event loop is over (answers that came together, one batch).
    void schedulePump();
    void send(const AnchorRecord& a);
    void onSent(const AnchorRecord& a, Result<QString> result);
    /// The node says the input is missing or already spent.
    void inputGone(const AnchorRecord& a, const QString& reason, bool fresh, std::int64_t now);
    void refreshFee();
    void scheduleNext();
    std::int64_t retryAt(int attempts) const;
    void report(qint64 id);
    /// Broadcast transactions the node no longer knows (evicted, a node restarted without its
    /// mempool) are sent again, as they are.
    void checkMempool();

    AnchorStore* m_store;
    ChainBackend* m_backend;
    btc::WalletKey m_key;
    const Clock& m_clock;
    Options m_options;
    QSet<qint64> m_inFlight;
    QSet<qint64> m_signedHere; ///< signed by this run (not recovered from an earlier one)
    double m_feeRate;
    qint64 m_feeFetchedMs = 0;
    bool m_feePending = false;
    bool m_running = false;
    bool m_pumpQueued = false;
    bool m_wakeQueuedPending = false; ///< a broadcast since the last wake-up of the waiting anchors
    QTimer m_wakeup{this};            // parented: follows its owner to another thread
    QTimer m_mempoolCheck{this};      // parented: follows its owner to another thread
};

} // namespace uw
