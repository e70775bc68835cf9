#include "devices/MemberFetch.h"

#include <QUuid>

namespace uw {

MemberFetch::MemberFetch(RelayPool* pool, QString memberId, QObject* parent)
    : QObject(parent), m_pool(pool), m_memberId(std::move(memberId)),
      m_subId(QStringLiteral("member-") + QUuid::createUuid().toString(QUuid::Id128).left(12))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &MemberFetch::finish);
    connect(m_pool, &RelayPool::eventReceived, this,
            [this](const QString& subId, const NostrEvent& event, const QString&) {
                if (subId != m_subId || !m_running)
                    return;
                if (m_events.size() >= kMaxEvents) {
                    ++m_dropped;
                    return;
                }
                m_events.append(event);
            });
    connect(m_pool, &RelayPool::endOfStoredEvents, this, [this](const QString& subId, const QString& url) {
        if (subId != m_subId || !m_running)
            return;
        m_answered.insert(url);
        const QStringList urls = m_pool->urls();
        if (std::all_of(urls.cbegin(), urls.cend(), [this](const QString& u) { return m_answered.contains(u); }))
            finish();
    });
}

MemberFetch::~MemberFetch()
{
    if (m_running)
        m_pool->unsubscribe(m_subId);
}

void MemberFetch::start(int timeoutMs)
{
    if (m_running || m_done)
        return;
    m_running = true;
    NostrFilter f;
    f.kinds = {kinds::MemberDocument};
    f.tags.insert(QStringLiteral("m"), {m_memberId});
    m_pool->subscribe(m_subId, {f});
    m_timeout.start(timeoutMs);
}

void MemberFetch::finish()
{
    if (!m_running)
        return;
    m_running = false;
    m_done = true;
    m_timeout.stop();
    m_pool->unsubscribe(m_subId);
    QStringList answered, silent;
    for (const QString& url : m_pool->urls())
        (m_answered.contains(url) ? answered : silent).append(url);
    Q_EMIT finished(m_events, answered, silent, m_dropped);
}

} // namespace uw
