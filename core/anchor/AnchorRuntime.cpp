#include "anchor/AnchorRuntime.h"

#include "anchor/AnchorLog.h"
#include "anchor/AnchorProofs.h"
#include "anchor/ChainFollower.h"
#include "chain/ChainBackend.h"
#include "chain/ZmqNotifier.h"

#include <QDir>
#include <QTimer>
#include <algorithm>
#include <atomic>

namespace uw {

struct AnchorRuntime::Worker
{
    std::unique_ptr<AnchorStore> store;
    std::unique_ptr<ChainBackend> backend;
    std::unique_ptr<ChainFollower> follower;
    std::unique_ptr<AnchorService> service;
    std::unique_ptr<ZmqNotifier> zmq;
    std::unique_ptr<QTimer> roundTimer;
    std::unique_ptr<AnchorProofs> proofs;
    qint64 pending = 0; ///< digests waiting for a round (this thread is the store's only writer)
    /// Submissions that arrived while the thread was busy, accepted together in one commit.
    struct Intake
    {
        QStringList digests;
        std::function<void(Result<QList<DigestStatus>>)> done;
    };
    QList<Intake> intake;
    bool syncing = false;                   ///< a UTXO sync runs
    std::atomic_bool syncCancelled = false; ///< set from any thread by cancelSync()
};

AnchorRuntime::AnchorRuntime(Config config, const Clock& clock, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_clock(clock), m_worker(std::make_shared<Worker>())
{
    m_thread.setObjectName(QStringLiteral("anchoring"));
}

AnchorRuntime::~AnchorRuntime()
{
    if (m_thread.isRunning()) {
        // Tear the worker's objects down on their own thread, then stop it.
        QMetaObject::invokeMethod(
            m_context,
            [w = m_worker] {
                w->proofs.reset();
                w->roundTimer.reset();
                w->zmq.reset();
                w->service.reset();
                w->follower.reset();
                w->backend.reset();
                w->store.reset();
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    delete m_context;
}

void AnchorRuntime::start()
{
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(m_context, [this, w = m_worker] {
        // A start that fails leaves nothing half built: no store that accepts digests whose
        // rounds would never close, no follower without its service.
        auto abandon = [this, w](const QString& reason) {
            w->zmq.reset();
            w->service.reset();
            w->follower.reset();
            w->backend.reset();
            w->store.reset();
            Q_EMIT failed(reason);
        };
        auto store = AnchorStore::open(m_config.databasePath);
        if (!store)
            return abandon(tr("The anchor database %1 cannot be opened: %2")
                               .arg(QDir::toNativeSeparators(m_config.databasePath), store.error().message));
        w->store = std::make_unique<AnchorStore>(std::move(*store));
        w->backend = makeBackend(m_config.backend);
        if (!w->backend)
            return abandon(
                tr("No Bitcoin backend configured: set BITCOIN_RPC_URL (and BITCOIN_RPC_COOKIE) or MEMPOOL_API_URL."));
        w->follower =
            std::make_unique<ChainFollower>(w->store.get(), w->backend.get(), m_config.key.script(), m_config.pollMs);
        w->service =
            std::make_unique<AnchorService>(w->store.get(), w->backend.get(), m_config.key, m_clock, m_config.options);
        connect(w->service.get(), &AnchorService::anchorUpdated, this, &AnchorRuntime::anchorUpdated);
        connect(w->service.get(), &AnchorService::idle, this, &AnchorRuntime::idle);
        connect(w->follower.get(), &ChainFollower::tipChanged, this, &AnchorRuntime::tipChanged);
        connect(w->follower.get(), &ChainFollower::tipChanged, w->service.get(), &AnchorService::onNewTip);
        // The queue starts after the first chain check, so that a transaction recorded before
        // a crash is seen confirmed (or not) before it is re-sent.
        auto first = std::make_shared<QMetaObject::Connection>();
        *first = connect(w->follower.get(), &ChainFollower::synced, w->service.get(), [w, first] {
            QObject::disconnect(*first);
            w->service->start();
        });
        connect(w->follower.get(), &ChainFollower::synced, this, &AnchorRuntime::chainSynced);
        if (m_config.backend.zmqHashblock.isValid()) {
            // ZMQ tells at once; the poll stays as a slow safety net (a missed notification, a restart).
            w->zmq = std::make_unique<ZmqNotifier>();
            if (auto ok = w->zmq->subscribe(m_config.backend.zmqHashblock, "hashblock"); !ok)
                return abandon(tr("The node's block notifications (ZMQ, %1) cannot be subscribed to: %2")
                                   .arg(m_config.backend.zmqHashblock.toString(), ok.error().message));
            connect(w->zmq.get(), &ZmqNotifier::blockHash, w->follower.get(), &ChainFollower::syncNow);
        }
        w->proofs = std::make_unique<AnchorProofs>(w->store.get(), w->backend.get(), m_config.key.network());
        w->roundTimer = std::make_unique<QTimer>();
        w->roundTimer->setSingleShot(true);
        connect(w->roundTimer.get(), &QTimer::timeout, w->service.get(), [this] { closeRounds(true); });
        w->follower->start();
        w->pending = w->store->pendingDigestCount();
        scheduleRound(); // digests accepted before a crash or a stop
        Q_EMIT started();
    });
}

void AnchorRuntime::enqueue(const QStringList& digests, bool force)
{
    QMetaObject::invokeMethod(m_context, [this, w = m_worker, digests, force] {
        if (!w->store)
            return;
        auto r = w->store->enqueueMany(digests, force, m_clock.nowSeconds());
        if (!r) {
            Q_EMIT failed(r.error().message);
            return;
        }
        QList<qint64> ids;
        QList<bool> existing;
        for (const AnchorStore::Enqueued& e : std::as_const(*r)) {
            ids.append(e.id);
            existing.append(e.existing);
        }
        Q_EMIT enqueued(ids, existing);
        w->service->pump();
    });
}

void AnchorRuntime::submit(const QStringList& digests, std::function<void(Result<QList<DigestStatus>>)> done)
{
    QMetaObject::invokeMethod(m_context, [this, w = m_worker, digests, done = std::move(done)]() mutable {
        // Group commit: the first submission of a burst schedules the commit behind the others
        // already queued to this thread, so that every submission waiting joins the same
        // transaction (one commit and one fsync for all of them, each answered after it).
        w->intake.append({digests, std::move(done)});
        if (w->intake.size() == 1)
            QMetaObject::invokeMethod(
                m_context, [this, w] { acceptIntake(*w); }, Qt::QueuedConnection);
    });
}

void AnchorRuntime::acceptIntake(Worker& w)
{
    const QList<Worker::Intake> batch = std::exchange(w.intake, {});
    QStringList all;
    for (const Worker::Intake& in : batch)
        all.append(in.digests);
    int added = 0;
    Result<QList<DigestStatus>> r =
        w.store ? w.store->acceptDigests(all, m_clock.nowSeconds(), &added)
                : Result<QList<DigestStatus>>(
                      makeError(QStringLiteral("not_started"), tr("The anchoring core is not running.")));
    qsizetype offset = 0;
    for (const Worker::Intake& in : batch) {
        Result<QList<DigestStatus>> mine =
            r ? Result<QList<DigestStatus>>(r->mid(offset, in.digests.size())) : Result<QList<DigestStatus>>(r.error());
        offset += in.digests.size();
        QMetaObject::invokeMethod(this, [done = in.done, mine = std::move(mine)] { done(mine); });
    }
    if (r && added > 0) {
        w.pending += added;
        scheduleRound();
    }
}

void AnchorRuntime::status(const QString& digest, std::function<void(std::optional<DigestStatus>)> done)
{
    QMetaObject::invokeMethod(m_context, [this, w = m_worker, digest, done = std::move(done)] {
        std::optional<DigestStatus> st = w->store ? w->store->digestStatus(digest) : std::nullopt;
        QMetaObject::invokeMethod(this, [done, st] { done(st); });
    });
}

void AnchorRuntime::proof(const QString& digest, std::function<void(Result<QByteArray>)> done)
{
    QMetaObject::invokeMethod(m_context, [this, w = m_worker, digest, done = std::move(done)] {
        auto answer = [this, done](Result<QByteArray> r) { QMetaObject::invokeMethod(this, [done, r] { done(r); }); };
        if (!w->proofs)
            return answer(makeError(QStringLiteral("not_started"), tr("The anchoring core is not running.")));
        w->proofs->proof(digest, answer);
    });
}

void AnchorRuntime::snapshot(std::function<void(QJsonObject)> done)
{
    QMetaObject::invokeMethod(m_context, [this, w = m_worker, done = std::move(done)] {
        QJsonObject o;
        if (w->store) {
            if (const auto tip = w->store->tip())
                o.insert(QStringLiteral("tip"),
                         QJsonObject{{QStringLiteral("height"), tip->height}, {QStringLiteral("hash"), tip->hash}});
            o.insert(QStringLiteral("pending_digests"), w->store->pendingDigestCount());
            QJsonObject anchors;
            const auto counts = w->store->anchorCountsByState();
            for (auto it = counts.cbegin(); it != counts.cend(); ++it)
                anchors.insert(anchorStateToString(it.key()), it.value());
            o.insert(QStringLiteral("anchors"), anchors);
            QJsonObject utxos;
            const auto stats = w->store->utxoStatsByState();
            for (auto it = stats.cbegin(); it != stats.cend(); ++it)
                utxos.insert(utxoStateToString(it.key()), QJsonObject{{QStringLiteral("count"), it->count},
                                                                      {QStringLiteral("value"), qint64(it->value)}});
            o.insert(QStringLiteral("utxos"), utxos);
        }
        if (w->service) {
            o.insert(QStringLiteral("fee_rate_sat_vb"), w->service->feeRate());
            o.insert(QStringLiteral("in_flight"), w->service->inFlight());
        }
        QMetaObject::invokeMethod(this, [done, o] { done(o); });
    });
}

// Worker thread.
void AnchorRuntime::scheduleRound()
{
    Worker& w = *m_worker;
    if (!w.store || !w.roundTimer)
        return;
    if (w.pending >= m_config.batchMaxDigests) {
        closeRounds(false);
        return;
    }
    const auto oldest = w.store->oldestPendingAt();
    if (!oldest || w.roundTimer->isActive())
        return;
    const qint64 waitedMs = (m_clock.nowSeconds() - *oldest) * 1000;
    w.roundTimer->start(int(std::clamp<qint64>(m_config.batchIntervalMs - waitedMs, 0, m_config.batchIntervalMs)));
}

// Worker thread: closes full rounds (and, when `all`, the last partial one too).
void AnchorRuntime::closeRounds(bool all)
{
    Worker& w = *m_worker;
    bool closed = false;
    for (;;) {
        const qint64 pending = w.pending;
        if (pending == 0 || (!all && pending < m_config.batchMaxDigests))
            break;
        auto r = w.store->closeRound(m_config.batchMaxDigests, m_clock.nowSeconds());
        if (!r) {
            // The digests stay accepted; the next attempt comes after a full interval.
            qCWarning(lcAnchor) << "closing a round failed:" << r.error().message;
            w.roundTimer->start(m_config.batchIntervalMs);
            return;
        }
        if (!*r) {
            w.pending = 0;
            break;
        }
        closed = true;
        w.pending = std::max<qint64>(0, pending - m_config.batchMaxDigests);
        Q_EMIT roundClosed(**r, int(std::min<qint64>(pending, m_config.batchMaxDigests)));
    }
    if (closed)
        w.service->pump();
    if (!all)
        scheduleRound();
}

void AnchorRuntime::syncUtxos(SyncProgress progress, std::function<void(Result<UtxoImportCounts>)> done)
{
    m_worker->syncCancelled = false;
    QMetaObject::invokeMethod(m_context, [this, w = m_worker, progress = std::move(progress), done = std::move(done)] {
        auto answer = [this, done](Result<UtxoImportCounts> r) {
            QMetaObject::invokeMethod(this, [done, r] { done(r); });
        };
        auto tell = [this, progress](SyncPhase phase, qint64 at, qint64 total) {
            QMetaObject::invokeMethod(this, [progress, phase, at, total] { progress(phase, at, total); });
        };
        if (!w->backend || !w->store)
            return answer(makeError(QStringLiteral("not_started"), tr("The anchoring core is not running.")));
        if (w->syncing)
            return answer(makeError(QStringLiteral("sync_busy"), tr("A UTXO sync is already running.")));
        w->syncing = true;
        w->backend->scanUtxos(
            m_config.key.script(), m_config.key.address(),
            [tell](int percent) { tell(SyncPhase::Scanning, percent, percent < 0 ? 0 : 100); },
            [w, answer, tell](Result<QList<Utxo>> found) {
                if (found && w->syncCancelled) // cancelled as the node answered
                    found = makeError(QStringLiteral("cancelled"), tr("The sync was cancelled: nothing was imported."));
                if (!found) {
                    w->syncing = false;
                    return answer(found.error());
                }
                // This thread's loop waits for the import (one transaction); a cancel reaches it
                // through the atomic flag.
                auto r = w->store->importUtxosCounted(*found, [&](qsizetype at, qsizetype total) {
                    tell(SyncPhase::Saving, at, total);
                    return !w->syncCancelled;
                });
                w->syncing = false;
                if (r && r->added > 0 && w->service) { // new coins: anchors waiting for funds go now
                    if (auto woken = w->store->wakeQueued(); !woken)
                        qCWarning(lcAnchor) << "waking the queue after a sync failed:" << woken.error().message;
                    w->service->pump();
                }
                answer(r);
            });
    });
}

void AnchorRuntime::cancelSync()
{
    m_worker->syncCancelled = true;
    QMetaObject::invokeMethod(m_context, [w = m_worker] {
        if (w->syncing && w->backend)
            w->backend->cancelScan();
    });
}

void AnchorRuntime::syncChain()
{
    QMetaObject::invokeMethod(m_context, [w = m_worker] {
        if (w->follower)
            w->follower->syncNow();
    });
}

} // namespace uw
