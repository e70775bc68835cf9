#pragma once

#include "relay/RelayPool.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QThread>
#include <memory>

namespace uw::ui {

/// The relay thread (ARCHITECTURE.md): the RelayPool, its WebSockets and every object that
/// talks to them (login session, co-signer, pairing) live there. A model builds such an object
/// on the GUI thread without a parent, connects its signals to itself (so they arrive queued,
/// and stop when the model goes), hands it over with adopt(), and from then on reaches it only
/// through calls queued with the object itself as their context; it ends it with deleteLater().
/// The GUI thread never waits on the network.
///
/// Models that adopted objects are destroyed before the runtime (MainWindow does so).
class RelayRuntime : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayRuntime)
public:
    explicit RelayRuntime(const QStringList& relayUrls, QObject* parent = nullptr);
    ~RelayRuntime() override;

    /// Moves `object` (no parent, not used yet) to the relay thread, which owns it from now on.
    void adopt(QObject* object);
    /// Runs `work(object)` on the relay thread, unless `object` is gone by then (queued; never blocks).
    template <typename T, typename Work> static void call(T* object, Work work)
    {
        QMetaObject::invokeMethod(
            object, [object, work = std::move(work)]() mutable { work(object); }, Qt::QueuedConnection);
    }
    /// Like call(), and `done(result)` runs on `receiver`'s thread unless `receiver` or `object` is
    /// gone by then. The result travels through a future: neither thread touches the other's object.
    template <typename T, typename Work, typename Done>
    static void call(T* object, Work work, QObject* receiver, Done done)
    {
        using R = std::invoke_result_t<Work, T*>;
        auto promise = std::make_shared<QPromise<R>>();
        auto* watcher = new QFutureWatcher<R>(receiver);
        QObject::connect(watcher, &QFutureWatcherBase::finished, receiver, [watcher, done = std::move(done)]() mutable {
            watcher->deleteLater();
            if (watcher->future().resultCount() > 0)
                done(watcher->future().takeResult());
        });
        watcher->setFuture(promise->future());
        promise->start();
        // If `object` goes first, the call is dropped with its promise, which cancels the future.
        call(object, [promise, work = std::move(work)](T* o) mutable {
            promise->addResult(work(o));
            promise->finish();
        });
    }

    /// The pool, to build objects for the relay thread with; only those objects call it.
    RelayPool* pool() const { return m_pool; }
    QStringList relayUrls() const { return m_urls; }
    /// The last known state of each relay (GUI thread), for screens built after the fact.
    QHash<QString, std::pair<QString, QString>> states() const { return m_states; }
    /// Tries every relay that is not connected again at once, instead of at the end of its
    /// back-off (a person's "Retry"); the answers come as relayStateChanged(). Never blocks.
    void reconnectNow()
    {
        call(m_pool, [](RelayPool* pool) { pool->start(); });
    }

Q_SIGNALS:
    /// Queued to the GUI: a relay's state as words ("connected", "connecting", ...).
    void relayStateChanged(const QString& url, const QString& state, const QString& detail);

private:
    QThread m_thread;
    QObject* m_context; ///< lives on the relay thread; the pool is its child
    RelayPool* m_pool;
    QStringList m_urls;
    QHash<QString, std::pair<QString, QString>> m_states;
};

/// A relay state said plainly (translated).
QString relayStateText(RelayConnection::State state);

} // namespace uw::ui
