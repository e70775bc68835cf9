#pragma once

#include "relay/RelayPool.h"

#include <QThread>
#include <functional>

namespace uw::ui {

/// The relay thread (ARCHITECTURE.md): the RelayPool, its WebSockets and every object that
/// talks to them (login flow, co-signer, pairing) live there; the GUI reaches them through
/// run() and receives their signals queued. The GUI thread never waits on the network.
class RelayRuntime : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayRuntime)
public:
    explicit RelayRuntime(const QStringList& relayUrls, QObject* parent = nullptr);
    ~RelayRuntime() override;

    /// Runs `work` on the relay thread (queued; never blocks the caller).
    void run(std::function<void()> work);
    /// The pool, for objects created on the relay thread only.
    RelayPool* pool() const { return m_pool; }
    /// An object living on the relay thread, to parent the objects created there.
    QObject* context() const { return m_context; }
    QStringList relayUrls() const { return m_urls; }
    /// The last known state of each relay (GUI thread), for screens built after the fact.
    QHash<QString, std::pair<QString, QString>> states() const { return m_states; }

Q_SIGNALS:
    /// Queued to the GUI: a relay's state as words ("connected", "connecting", ...).
    void relayStateChanged(const QString& url, const QString& state, const QString& detail);

private:
    QThread m_thread;
    QObject* m_context;
    RelayPool* m_pool;
    QStringList m_urls;
    QHash<QString, std::pair<QString, QString>> m_states;
};

/// A relay state said plainly (translated).
QString relayStateText(RelayConnection::State state);

} // namespace uw::ui
