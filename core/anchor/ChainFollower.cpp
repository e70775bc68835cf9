#include "anchor/ChainFollower.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcChain, "userwallet.chain", QtInfoMsg)

namespace uw {

namespace {
constexpr int kMaxCatchUpBlocks = 2000;
}

ChainFollower::ChainFollower(AnchorStore* store, ChainBackend* backend, QByteArray walletScript, int pollMs,
                             QObject* parent)
    : QObject(parent), m_store(store), m_backend(backend), m_script(std::move(walletScript))
{
    m_poll.setInterval(pollMs);
    connect(&m_poll, &QTimer::timeout, this, &ChainFollower::syncNow);
}

void ChainFollower::start()
{
    m_poll.start();
    syncNow();
}

void ChainFollower::stop()
{
    m_poll.stop();
}

void ChainFollower::syncNow()
{
    if (m_busy) {
        m_again = true;
        return;
    }
    m_busy = true;
    m_pending.clear();
    m_backend->bestBlockHash([this](Result<QString> best) {
        if (!best)
            return finish(best.error().message);
        const auto tip = m_store->tip();
        if (tip && tip->hash == *best)
            return finish(std::nullopt);
        fetch(*best);
    });
}

void ChainFollower::fetch(const QString& hash)
{
    m_backend->block(hash, [this](Result<ChainBlock> b) {
        if (!b)
            return finish(b.error().message);
        const auto tip = m_store->tip();
        if (!tip) {
            // First start: follow from here on.
            if (auto r = m_store->setTip(b->height, b->hash, b->prevHash); !r)
                return finish(r.error().message);
            Q_EMIT tipChanged(b->height, b->hash);
            return finish(std::nullopt);
        }
        // Already on our chain: the node's chain got shorter (invalidateblock, a reorg in
        // progress). Roll back to it; newer blocks fetched on the way are applied after.
        if (m_store->blockHashAt(b->height) == std::optional<QString>(b->hash)) {
            if (tip->height > b->height) {
                qCInfo(lcChain) << "reorganization: rolling back to height" << b->height;
                if (auto r = m_store->rollbackTo(b->height); !r)
                    return finish(r.error().message);
                Q_EMIT reorganized(b->height);
            }
            for (const ChainBlock& block : std::as_const(m_pending))
                if (auto r = m_store->applyBlock(block, m_script); !r)
                    return finish(r.error().message);
            const auto now = m_store->tip();
            m_pending.clear();
            if (now)
                Q_EMIT tipChanged(now->height, now->hash);
            return finish(std::nullopt);
        }
        const auto known = m_store->blockHashAt(b->height - 1);
        const bool connects = known && *known == b->prevHash;
        const auto lowest = m_store->lowestBlockHeight();
        const bool beyondHistory = !known && lowest && b->height - 1 < *lowest;
        if (!connects && !beyondHistory && b->height > 0 && m_pending.size() < kMaxCatchUpBlocks) {
            m_pending.prepend(*b); // walking back: each older block goes in front
            return fetch(b->prevHash);
        }
        if (!connects) {
            qCWarning(lcChain) << "no connection point within the recent blocks; following from height" << b->height;
            if (auto r = m_store->rollbackTo(b->height - 1); !r)
                return finish(r.error().message);
        } else if (tip->height >= b->height) {
            qCInfo(lcChain) << "reorganization: rolling back to height" << b->height - 1;
            if (auto r = m_store->rollbackTo(b->height - 1); !r)
                return finish(r.error().message);
            Q_EMIT reorganized(b->height - 1);
        }
        QList<ChainBlock> toApply{*b};
        toApply += m_pending;
        m_pending.clear();
        for (const ChainBlock& block : std::as_const(toApply)) {
            if (auto r = m_store->applyBlock(block, m_script); !r)
                return finish(r.error().message);
        }
        Q_EMIT tipChanged(toApply.last().height, toApply.last().hash);
        finish(std::nullopt);
    });
}

void ChainFollower::finish(const std::optional<QString>& error)
{
    m_busy = false;
    m_synced = !error.has_value();
    if (error) {
        qCInfo(lcChain) << "chain sync failed:" << *error;
        Q_EMIT syncFailed(*error);
    }
    Q_EMIT synced();
    if (m_again) {
        m_again = false;
        syncNow();
    }
}

} // namespace uw
