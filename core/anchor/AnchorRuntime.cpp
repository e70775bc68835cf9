#include "anchor/AnchorRuntime.h"

#include "anchor/ChainFollower.h"
#include "chain/ChainBackend.h"
#include "chain/ZmqNotifier.h"

namespace uw {

struct AnchorRuntime::Worker
{
    std::unique_ptr<AnchorStore> store;
    std::unique_ptr<ChainBackend> backend;
    std::unique_ptr<ChainFollower> follower;
    std::unique_ptr<AnchorService> service;
    std::unique_ptr<ZmqNotifier> zmq;
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
        auto store = AnchorStore::open(m_config.databasePath);
        if (!store) {
            Q_EMIT failed(store.error().message);
            return;
        }
        w->store = std::make_unique<AnchorStore>(std::move(*store));
        w->backend = makeBackend(m_config.backend);
        if (!w->backend) {
            Q_EMIT failed(
                tr("No Bitcoin backend configured: set BITCOIN_RPC_URL (and BITCOIN_RPC_COOKIE) or MEMPOOL_API_URL."));
            return;
        }
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
            if (auto ok = w->zmq->subscribe(m_config.backend.zmqHashblock, "hashblock"); !ok) {
                Q_EMIT failed(ok.error().message);
                return;
            }
            connect(w->zmq.get(), &ZmqNotifier::blockHash, w->follower.get(), &ChainFollower::syncNow);
        }
        w->follower->start();
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

void AnchorRuntime::syncChain()
{
    QMetaObject::invokeMethod(m_context, [w = m_worker] {
        if (w->follower)
            w->follower->syncNow();
    });
}

} // namespace uw
