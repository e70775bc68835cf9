#pragma once

#include "anchor/AnchorStore.h"
#include "chain/ChainBackend.h"

#include <QTimer>

namespace uw {

/// Follows the chain: polls the best block hash, fetches each new block
/// (getblock verbosity 2), applies what it changes for the wallet's script and the
/// anchors, and on a reorg rolls back to the fork point first. On the very first start
/// it only records the tip: the UTXO set is imported once, then followed.
class ChainFollower : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChainFollower)
public:
    ChainFollower(AnchorStore* store, ChainBackend* backend, QByteArray walletScript, int pollMs,
                  QObject* parent = nullptr);

    void start();
    void stop();
    /// Checks now (a ZMQ hashblock notification, or a test, may call it).
    void syncNow();
    bool isSynced() const { return m_synced; }

Q_SIGNALS:
    void tipChanged(int height, const QString& hash);
    void reorganized(int forkHeight);
    void syncFailed(const QString& reason);
    /// After each completed check, whether or not the tip moved.
    void synced();

private:
    void fetch(const QString& hash);
    void finish(const std::optional<QString>& error);

    AnchorStore* m_store;
    ChainBackend* m_backend;
    QByteArray m_script;
    QTimer m_poll{this}; // parented: follows its owner to another thread
    bool m_busy = false;
    bool m_again = false;
    bool m_synced = false;
    QList<ChainBlock> m_pending; ///< fetched, oldest first, waiting for their connection point
};

} // namespace uw
