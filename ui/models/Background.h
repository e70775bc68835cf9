#pragma once

#include <QFutureWatcher>
#include <QtConcurrent>
#include <type_traits>

namespace uw::ui {

/// Runs `work` on `pool` (disk, key derivation: never on the GUI or the relay thread);
/// `done(result)` follows on `receiver`'s thread, the context of the call, unless `receiver` is
/// gone by then. `work` must not touch `receiver`.
template <typename Work, typename Done> void runInBackground(QThreadPool* pool, QObject* receiver, Work work, Done done)
{
    using R = std::invoke_result_t<Work>;
    auto* watcher = new QFutureWatcher<R>(receiver);
    QObject::connect(watcher, &QFutureWatcherBase::finished, receiver, [watcher, done = std::move(done)]() mutable {
        watcher->deleteLater();
        done(watcher->future().takeResult());
    });
    watcher->setFuture(QtConcurrent::run(pool, std::move(work)));
}

/// The same on Qt's global thread pool.
template <typename Work, typename Done> void runInBackground(QObject* receiver, Work work, Done done)
{
    runInBackground(QThreadPool::globalInstance(), receiver, std::move(work), std::move(done));
}

} // namespace uw::ui
