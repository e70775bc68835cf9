#include "devices/DeviceActivity.h"

#include "relay/NostrFilter.h"

#include <QUuid>

namespace uw {

namespace {

const QSet<int> kActs{kinds::LoginMessage, kinds::LoginSignature, kinds::Pairing, kinds::MemberDocument,
                      kinds::LoginDecline};

} // namespace

DeviceActivityWatch::DeviceActivityWatch(RelayPool* pool, const Clock& clock, QObject* parent)
    : QObject(parent), m_pool(pool), m_clock(clock)
{
    qRegisterMetaType<DeviceAct>();
    qRegisterMetaType<QList<DeviceAct>>();
    m_loadTimeout.setSingleShot(true);
    connect(&m_loadTimeout, &QTimer::timeout, this, &DeviceActivityWatch::finishLoading);
    connect(m_pool, &RelayPool::eventReceived, this,
            [this](const QString& subId, const NostrEvent& event, const QString&) {
                if (subId == m_subId && !m_subId.isEmpty())
                    onEvent(event);
            });
    connect(m_pool, &RelayPool::endOfStoredEvents, this, [this](const QString& subId, const QString& url) {
        if (subId != m_subId || !m_loading)
            return;
        m_answered.insert(url);
        const QStringList urls = m_pool->urls();
        if (std::all_of(urls.cbegin(), urls.cend(), [this](const QString& u) { return m_answered.contains(u); }))
            finishLoading();
    });
}

DeviceActivityWatch::~DeviceActivityWatch()
{
    stop();
}

bool DeviceActivityWatch::keepLatest(QHash<QString, DeviceAct>& latest, const DeviceAct& act)
{
    if (const auto it = latest.constFind(act.pubkey); it != latest.cend() && !act.isLaterThan(*it))
        return false;
    latest.insert(act.pubkey, act);
    return true;
}

void DeviceActivityWatch::watch(const QStringList& pubkeys, int loadTimeoutMs)
{
    stop();
    m_keys = QSet<QString>(pubkeys.cbegin(), pubkeys.cend());
    m_latest.clear();
    m_pending.clear();
    m_answered.clear();
    m_setAside = 0;
    if (m_keys.isEmpty() || m_keys.size() > NostrFilter::kMaxLimit) {
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT loaded(0, int(m_pool->urls().size()), 0); }, Qt::QueuedConnection);
        return;
    }
    m_subId = QStringLiteral("activity-") + QUuid::createUuid().toString(QUuid::Id128).left(12);
    m_loading = true;
    NostrFilter f;
    f.authors = m_keys;
    f.kinds = kActs;
    f.limit = kLimit;
    m_pool->subscribe(m_subId, {f});
    m_loadTimeout.start(loadTimeoutMs);
}

void DeviceActivityWatch::stop()
{
    if (!m_subId.isEmpty())
        m_pool->unsubscribe(m_subId);
    m_subId.clear();
    m_loading = false;
    m_loadTimeout.stop();
}

void DeviceActivityWatch::onEvent(const NostrEvent& event)
{
    if (!m_keys.contains(event.pubkey) || !kActs.contains(event.kind) ||
        event.createdAt > m_clock.nowSeconds() + kMaxFutureSeconds) {
        ++m_setAside;
        return;
    }
    const DeviceAct act{event.pubkey, event.createdAt, event.kind, event.id};
    if (!keepLatest(m_latest, act))
        return;
    if (m_loading)
        m_pending.append(act);
    else
        Q_EMIT seen({act});
}

void DeviceActivityWatch::finishLoading()
{
    if (!m_loading)
        return;
    m_loading = false;
    m_loadTimeout.stop();
    // Only the act each key ends with: the earlier ones kept on the way were overtaken.
    QList<DeviceAct> acts;
    for (const DeviceAct& a : std::as_const(m_pending))
        if (m_latest.value(a.pubkey) == a)
            acts.append(a);
    m_pending.clear();
    if (!acts.isEmpty())
        Q_EMIT seen(acts);
    Q_EMIT loaded(int(m_answered.size()), int(m_pool->urls().size()), m_setAside);
}

} // namespace uw
