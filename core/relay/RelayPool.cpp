#include "relay/RelayPool.h"

namespace uw {

namespace {
constexpr std::size_t kSeenCapacity = 50000;
}

RelayPool::RelayPool(const QStringList& urls, Options options, QObject* parent) : QObject(parent), m_options(options)
{
    for (const QString& u : urls) {
        auto* c = new RelayConnection(QUrl(u), options.backoff, this);
        m_connections.append(c);
        connect(c, &RelayConnection::stateChanged, this, [this, u, c](RelayConnection::State s) {
            Q_EMIT relayStateChanged(u, s);
            // A relay that just failed will not answer the publications in flight: say so now
            // rather than at their timeout, so that one dead relay does not slow every login.
            if (s == RelayConnection::State::WaitingToReconnect) {
                const QStringList ids = m_pending.keys();
                for (const QString& id : ids)
                    if (!m_pending.value(id).perRelay.contains(u))
                        onOk(u, id, false, tr("unreachable: %1").arg(c->lastError()));
            }
        });
        connect(c, &RelayConnection::eventReceived, this, [this, u](const QString& subId, const NostrEvent& e) {
            if (markSeen(subId, e.id))
                Q_EMIT eventReceived(subId, e, u);
            else
                Q_EMIT eventDeliveredAgain(subId, e.id, u);
        });
        connect(c, &RelayConnection::endOfStoredEvents, this,
                [this, u](const QString& subId) { Q_EMIT endOfStoredEvents(subId, u); });
        connect(c, &RelayConnection::okReceived, this,
                [this, u](const QString& id, bool accepted, const QString& msg) { onOk(u, id, accepted, msg); });
    }
}

RelayPool::~RelayPool() = default;

QStringList RelayPool::urls() const
{
    QStringList out;
    for (const RelayConnection* c : m_connections)
        out.append(c->url().toString());
    return out;
}

RelayConnection::State RelayPool::state(const QString& url) const
{
    for (const RelayConnection* c : m_connections)
        if (c->url().toString() == url)
            return c->state();
    return RelayConnection::State::Disconnected;
}

QString RelayPool::lastError(const QString& url) const
{
    for (const RelayConnection* c : m_connections)
        if (c->url().toString() == url)
            return c->lastError();
    return {};
}

int RelayPool::connectedCount() const
{
    return int(std::count_if(m_connections.cbegin(), m_connections.cend(),
                             [](const RelayConnection* c) { return c->state() == RelayConnection::State::Connected; }));
}

void RelayPool::start()
{
    for (RelayConnection* c : std::as_const(m_connections))
        c->open();
}

void RelayPool::stop()
{
    for (RelayConnection* c : std::as_const(m_connections))
        c->close();
}

bool RelayPool::markSeen(const QString& subId, const QString& eventId)
{
    const QString key = subId + QLatin1Char('\n') + eventId;
    if (m_seen.contains(key))
        return false;
    m_seen.insert(key);
    m_seenOrder.push_back(key);
    if (m_seenOrder.size() > kSeenCapacity) {
        m_seen.remove(m_seenOrder.front());
        m_seenOrder.pop_front();
    }
    return true;
}

void RelayPool::publish(const NostrEvent& event)
{
    PendingPublish& p = m_pending[event.id];
    if (p.timer) // the same event again: let the running publication answer
        return;
    p.timer = new QTimer(this);
    p.timer->setSingleShot(true);
    connect(p.timer, &QTimer::timeout, this, [this, id = event.id] { finishPublish(id); });
    p.timer->start(m_options.publishTimeoutMs);
    for (RelayConnection* c : std::as_const(m_connections))
        c->publish(event);
}

void RelayPool::onOk(const QString& url, const QString& eventId, bool accepted, const QString& message)
{
    auto it = m_pending.find(eventId);
    if (it == m_pending.end())
        return;
    it->perRelay.insert(url, accepted);
    it->messages.insert(url, message);
    if (it->perRelay.size() == m_connections.size())
        finishPublish(eventId);
}

void RelayPool::finishPublish(const QString& eventId)
{
    auto it = m_pending.find(eventId);
    if (it == m_pending.end())
        return;
    PendingPublish p = *it;
    m_pending.erase(it);
    p.timer->deleteLater();
    for (RelayConnection* c : std::as_const(m_connections)) {
        const QString u = c->url().toString();
        if (!p.perRelay.contains(u)) {
            p.perRelay.insert(u, false);
            p.messages.insert(u, c->state() == RelayConnection::State::Connected
                                     ? tr("no answer in time")
                                     : tr("unreachable: %1").arg(c->lastError()));
        }
        c->forget(eventId);
    }
    Q_EMIT publishFinished(eventId, p.perRelay, p.messages);
}

void RelayPool::subscribe(const QString& subId, const QList<NostrFilter>& filters)
{
    for (RelayConnection* c : std::as_const(m_connections))
        c->subscribe(subId, filters);
}

void RelayPool::unsubscribe(const QString& subId)
{
    for (RelayConnection* c : std::as_const(m_connections))
        c->unsubscribe(subId);
}

} // namespace uw
