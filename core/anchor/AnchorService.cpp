#include "anchor/AnchorService.h"

#include "anchor/AnchorLog.h"
#include "anchor/AnchorTx.h"

#include <QDateTime>

namespace uw {

namespace {

/// Each store write is one transaction: one that fails leaves the anchor as it was, to be
/// looked at again on the next round. Said in the log, since nobody waits for it.
void logFailure(qint64 anchorId, const char* what, const Result<void>& written)
{
    if (!written)
        qCWarning(lcAnchor) << "anchor" << anchorId << what << "not recorded:" << written.error().message;
}

} // namespace

AnchorService::AnchorService(AnchorStore* store, ChainBackend* backend, btc::WalletKey key, const Clock& clock,
                             Options options, QObject* parent)
    : QObject(parent), m_store(store), m_backend(backend), m_key(std::move(key)), m_clock(clock), m_options(options),
      m_feeRate(options.feeFloorSatPerVb)
{
    m_wakeup.setSingleShot(true);
    connect(&m_wakeup, &QTimer::timeout, this, &AnchorService::pump);
    m_mempoolCheck.setInterval(options.mempoolCheckMs);
    connect(&m_mempoolCheck, &QTimer::timeout, this, &AnchorService::checkMempool);
}

void AnchorService::start()
{
    m_running = true;
    const int released = m_store->releaseExpiredLocks(m_clock.nowSeconds());
    if (released > 0)
        qCWarning(lcAnchor) << "released" << released << "expired UTXO locks left by an interrupted run";
    m_mempoolCheck.start();
    refreshFee();
}

void AnchorService::stop()
{
    m_running = false;
    m_wakeup.stop();
    m_mempoolCheck.stop();
}

void AnchorService::checkMempool()
{
    const auto stale = m_store->unconfirmedSince(m_clock.nowSeconds() - m_options.mempoolGraceSeconds, 50);
    for (const AnchorRecord& a : stale) {
        m_backend->transactionStatus(a.txid, [this, a](Result<ChainBackend::TxStatus> status) {
            if (!status || status->known)
                return;
            qCInfo(lcAnchor) << "anchor" << a.id << "vanished from the node's mempool; sending it again";
            m_backend->sendRawTransaction(a.rawTx, [id = a.id](Result<QString> r) {
                if (!r)
                    qCWarning(lcAnchor) << "anchor" << id << "could not be sent again:" << r.error().message;
            });
        });
    }
}

std::int64_t AnchorService::retryAt(int attempts) const
{
    const qint64 delayMs =
        std::min<qint64>(m_options.retryMaxMs, qint64(m_options.retryBaseMs) << std::clamp(attempts, 0, 16));
    return m_clock.nowSeconds() + std::max<qint64>(1, delayMs / 1000);
}

void AnchorService::refreshFee()
{
    if (m_feePending)
        return;
    m_feePending = true;
    m_backend->estimateFeeRate(m_options.feeTargetBlocks, [this](Result<double> rate) {
        m_feePending = false;
        m_feeFetchedMs = QDateTime::currentMSecsSinceEpoch();
        // estimatesmartfee has no answer on a quiet signet node: the floor applies.
        m_feeRate = std::max(m_options.feeFloorSatPerVb, rate ? *rate : 0.0);
        pump();
    });
}

void AnchorService::onNewTip()
{
    if (auto woken = m_store->wakeQueued(); !woken)
        qCWarning(lcAnchor) << "the queued anchors wait for their retry time:" << woken.error().message;
    pump();
}

void AnchorService::pump()
{
    if (!m_running)
        return;
    if (m_feeFetchedMs == 0 || QDateTime::currentMSecsSinceEpoch() - m_feeFetchedMs > m_options.feeRefreshMs) {
        refreshFee();
        if (m_feeFetchedMs == 0)
            return; // the first estimate comes back with pump()
    }
    work();
}

void AnchorService::schedulePump()
{
    // Every answer that arrived in this turn of the event loop is recorded first; then one
    // work() signs as many anchors as there is room for, with one disk flush.
    if (m_pumpQueued)
        return;
    m_pumpQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_pumpQueued = false;
            if (m_wakeQueuedPending) {
                m_wakeQueuedPending = false;
                // A broadcast anchor's change can fund anchors waiting for funds.
                logFailure(0, "wake-up of the queue", m_store->wakeQueued());
            }
            pump();
        },
        Qt::QueuedConnection);
}

void AnchorService::work()
{
    const std::int64_t now = m_clock.nowSeconds();
    const int room = m_options.maxInFlight - int(m_inFlight.size());
    if (room > 0) {
        const QList<AnchorRecord> due = m_store->dueAnchors(now, room + int(m_inFlight.size()));
        // Recovered signed anchors are sent as they are; queued ones are signed and recorded in
        // one durable batch (group commit: one fsync for all of them), and only once that batch
        // is on disk do they go to the network, in queue order. While they are on their way,
        // their answers come back one by one and the next batch is signed with the room they free.
        QList<AnchorRecord> ready;
        QList<qint64> fresh, refused;
        auto signDue = [&] {
            bool outOfFunds = false;
            for (const AnchorRecord& a : due) {
                if (ready.size() >= room)
                    break;
                if (m_inFlight.contains(a.id))
                    continue;
                if (a.stage == AnchorState::Signed) {
                    ready.append(a);
                    continue;
                }
                if (outOfFunds)
                    continue; // nothing to spend this round; the next broadcast or block wakes them
                auto build = [&](const Utxo& u) { return anchorTx::build(u, a.digest, m_key, m_feeRate); };
                auto picked = m_store->pickSignRecord(a.id, anchorTx::minimumInputWithChange(m_key, m_feeRate), now,
                                                      m_options.lockSeconds, build);
                if (picked && !*picked) // nothing large enough to keep change: spend a smaller one whole
                    picked = m_store->pickSignRecord(a.id, anchorTx::minimumInput(m_key, m_feeRate), now,
                                                     m_options.lockSeconds, build);
                if (!picked) {
                    qCWarning(lcAnchor) << "anchor" << a.id << picked.error().message;
                    logFailure(a.id, "failure", m_store->markFailed(a.id, picked.error().message, now));
                    refused.append(a.id);
                    continue;
                }
                if (!*picked) {
                    outOfFunds = true;
                    logFailure(
                        a.id, "wait for funds",
                        m_store->waitForFunds(a.id, tr("No spendable UTXO: fund the wallet or wait for confirmations."),
                                              retryAt(a.attempts), now));
                    refused.append(a.id);
                    continue;
                }
                fresh.append(a.id);
                ready.append(a); // its signed transaction is read back once the batch is on disk
            }
        };
        const bool anyToSign = std::any_of(due.cbegin(), due.cend(), [this](const AnchorRecord& a) {
            return a.stage != AnchorState::Signed && !m_inFlight.contains(a.id);
        });
        if (!anyToSign) {
            signDue(); // only recovered signed anchors: nothing to write
        } else if (const auto batch = m_store->durableBatch(signDue); !batch) {
            // Nothing of the batch was written: the anchors are still queued and due. The signed
            // ones recovered from before were on disk already, and go.
            qCWarning(lcAnchor) << "signing batch not recorded:" << batch.error().message;
            QList<AnchorRecord> recovered;
            for (const AnchorRecord& a : std::as_const(ready))
                if (!fresh.contains(a.id))
                    recovered.append(a);
            for (const AnchorRecord& a : std::as_const(recovered))
                send(a);
            m_wakeup.start(m_options.retryBaseMs);
            return;
        }
        for (qint64 id : std::as_const(refused))
            report(id);
        for (const AnchorRecord& a : std::as_const(ready)) {
            if (!fresh.contains(a.id)) {
                send(a);
                continue;
            }
            report(a.id);
            m_signedHere.insert(a.id);
            if (const auto signedAnchor = m_store->anchor(a.id))
                send(*signedAnchor);
        }
    }
    scheduleNext();
}

void AnchorService::send(const AnchorRecord& a)
{
    m_inFlight.insert(a.id);
    m_backend->sendRawTransaction(a.rawTx, [this, a](Result<QString> r) { onSent(a, std::move(r)); });
}

void AnchorService::onSent(const AnchorRecord& a, Result<QString> r)
{
    m_inFlight.remove(a.id);
    const bool fresh = m_signedHere.contains(a.id);
    const std::int64_t now = m_clock.nowSeconds();
    const std::optional<ChainError> failure = r ? std::nullopt : std::optional(classifyChainError(r.error()));
    if (!failure || *failure == ChainError::AlreadyInChain) {
        // Accepted, or already in the chain (a re-send after a crash): broadcast either way.
        logFailure(a.id, "broadcast", m_store->markBroadcast(a.id, now));
        m_wakeQueuedPending = true; // its change can fund waiting anchors: before the next work()
    } else {
        const Error& e = r.error();
        switch (*failure) {
        case ChainError::Unreachable:
        case ChainError::Warmup:
        case ChainError::Auth:
            logFailure(a.id, "retry", m_store->postpone(a.id, e.message, retryAt(a.attempts), now));
            break;
        case ChainError::VerifyError:
            // -25 is also Bitcoin Core's answer to a fee rate above maxfeerate: told apart by the
            // transaction's own figures, never by the message. That one is refused like any other.
            if (a.vsize > 0 && double(a.fee) / double(a.vsize) <= kNodeMaxFeeRateSatPerVb) {
                inputGone(a, e.message, fresh, now);
                break;
            }
            [[fallthrough]];
        default:
            logFailure(a.id, "refusal",
                       m_store->releaseAndRequeue(a.id, e.message, retryAt(a.attempts), m_options.maxAttempts, now));
            break;
        }
        qCInfo(lcAnchor) << "anchor" << a.id << "not broadcast:" << e.message;
    }
    // Only the first answer can tell a fresh transaction: after a timeout it may have reached the node.
    m_signedHere.remove(a.id);
    report(a.id);
    schedulePump();
}

void AnchorService::inputGone(const AnchorRecord& a, const QString& reason, bool fresh, std::int64_t now)
{
    // Signed by this run, or seen spent by another transaction in a block: take another UTXO.
    // Recovered from an earlier run, it may be our own transaction already confirmed: the chain
    // follower decides, so it waits.
    const auto input = m_store->utxo(a.utxoId);
    const bool spentElsewhere = input && input->state == UtxoState::Spent && input->spendingTxid != a.txid;
    if (fresh || spentElsewhere)
        logFailure(a.id, "new input", m_store->dropInputAndRequeue(a.id, reason, now));
    else
        logFailure(a.id, "retry", m_store->postpone(a.id, reason, retryAt(a.attempts), now));
}

void AnchorService::report(qint64 id)
{
    if (const auto a = m_store->anchor(id))
        Q_EMIT anchorUpdated(a->id, a->stage, a->txid, a->error);
}

void AnchorService::scheduleNext()
{
    if (!m_inFlight.isEmpty())
        return;
    const auto next = m_store->nextAttemptAt();
    if (!next) {
        Q_EMIT idle();
        return;
    }
    const std::int64_t waitS = *next - m_clock.nowSeconds();
    m_wakeup.start(int(std::clamp<std::int64_t>(waitS * 1000, 0, 3600 * 1000)));
    if (waitS > 0)
        Q_EMIT idle();
}

} // namespace uw
