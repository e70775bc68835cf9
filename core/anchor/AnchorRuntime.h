#pragma once

#include "anchor/AnchorService.h"
#include "bitcoin/WalletKey.h"
#include "chain/BackendConfig.h"

#include <QThread>
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
    };

    AnchorRuntime(Config config, const Clock& clock, QObject* parent = nullptr);
    ~AnchorRuntime() override;

    /// Opens everything on the worker thread; answers with started() or failed().
    void start();
    void enqueue(const QStringList& digests, bool force);
    /// Asks the chain follower to check now.
    void syncChain();

Q_SIGNALS:
    void started();
    void failed(const QString& reason);
    void enqueued(const QList<qint64>& ids, const QList<bool>& existing);
    void anchorUpdated(qint64 id, uw::AnchorState state, const QString& txid, const QString& error);
    void tipChanged(int height, const QString& hash);
    void chainSynced();
    void idle();

private:
    struct Worker;
    Config m_config;
    const Clock& m_clock;
    QThread m_thread;
    QObject* m_context = nullptr; ///< lives on m_thread; owns the worker's objects
    std::shared_ptr<Worker> m_worker;
};

} // namespace uw
