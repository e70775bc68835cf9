#pragma once

#include "relay/NostrFilter.h"

#include <QObject>
#include <QThread>
#include <atomic>
#include <functional>
#include <memory>

class QSemaphore;

namespace uw {

/// Runs the stored-event queries of REQs on a thread of their own, with its own read connection
/// to the relay's SQLite file (WAL: it reads while the event loop commits), so that a heavy query
/// never delays the answer to an EVENT. Queries run one at a time, in the order given; the caller
/// bounds how many wait (pending()).
class RelayQueryWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayQueryWorker)
public:
    explicit RelayQueryWorker(QString databasePath, QObject* parent = nullptr);
    ~RelayQueryWorker() override;

    using Done = std::function<void(const QList<QByteArray>& events)>;
    /// Queries each filter (at most its limit or `defaultLimit`, newest first), and calls `done`
    /// on this object's thread with the events, each once, unless `receiver` is gone by then.
    void run(QObject* receiver, QList<NostrFilter> filters, int defaultLimit, std::int64_t now, Done done);
    /// Queries given and not yet answered.
    int pending() const { return m_pending.load(); }

    /// Tests only: each query waits for one release of `gate` before it runs.
    void setGateForTesting(std::shared_ptr<QSemaphore> gate) { m_gate = std::move(gate); }

private:
    struct Reader;
    QString m_path;
    QThread m_thread;
    QObject* m_context = nullptr; ///< lives on m_thread
    std::shared_ptr<Reader> m_reader;
    std::atomic<int> m_pending{0};
    std::shared_ptr<QSemaphore> m_gate;
};

} // namespace uw
