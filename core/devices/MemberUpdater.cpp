#include "devices/MemberUpdater.h"

#include "devices/MemberFetch.h"
#include "identity/Validate.h"

namespace uw {

MemberUpdater::MemberUpdater(RelayPool* pool, std::shared_ptr<const KeyRing> keys, const Clock& clock, QObject* parent)
    : QObject(parent), m_pool(pool), m_keys(std::move(keys)), m_clock(clock)
{
    qRegisterMetaType<LocalMember>();
    connect(m_pool, &RelayPool::publishFinished, this,
            [this](const QString& id, const QMap<QString, bool>& perRelay, const QMap<QString, QString>& messages) {
                if (!m_publishingNow || m_done || !m_publishing.record(id, perRelay, messages))
                    return;
                if (m_publishing.state() == PublishTracker::State::Refused) {
                    fail(tr("No relay accepted the new member document (%1).")
                             .arg(m_publishing.answers(id).join(QStringLiteral("; "))));
                } else if (m_publishing.state() == PublishTracker::State::Accepted) {
                    m_done = true;
                    Q_EMIT updated(m_update.result, m_publishing.perRelay());
                }
            });
}

MemberUpdater::~MemberUpdater() = default;

void MemberUpdater::fail(const QString& reason)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT failed(reason);
}

void MemberUpdater::update(const LocalMember& local, Change change, int fetchTimeoutMs)
{
    m_local = local;
    m_change = std::move(change);
    if (!m_local.event) {
        // Nothing of this device's is on the relays to follow: its next version starts the chain.
        QMetaObject::invokeMethod(
            this, [this] { onFetched({}); }, Qt::QueuedConnection);
        return;
    }
    //: Progress while renaming a device: the member's latest document is read from the relays first.
    Q_EMIT progress(tr("Reading the member's latest document from the relays…"));
    m_fetch = new MemberFetch(m_pool, m_local.document.id, this);
    connect(m_fetch, &MemberFetch::finished, this, [this](const QList<NostrEvent>& events) {
        m_fetch->deleteLater();
        m_fetch = nullptr;
        onFetched(events);
    });
    m_fetch->start(fetchTimeoutMs);
}

void MemberUpdater::onFetched(const QList<NostrEvent>& events)
{
    if (m_done)
        return;
    if (m_local.event) {
        auto chain = memberchain::resolve(m_local.document.id, events, m_local.event);
        if (!chain) {
            fail(chain.error().message);
            return;
        }
        // A later version published by another device: this one's change follows it.
        if (chain->latest().event.id != m_local.event->id)
            m_local = LocalMember{chain->latest().document, chain->latest().event};
    }
    if (!m_change) {
        m_done = true;
        Q_EMIT updated(m_local, {});
        return;
    }
    auto update = memberchain::prepareUpdate(m_local, m_change, *m_keys, m_clock.nowSeconds());
    if (!update) {
        fail(update.error().message);
        return;
    }
    m_update = *update;
    //: Progress while renaming a device: the new signed document is sent to the relays.
    Q_EMIT progress(tr("Publishing version %1 of the member document…").arg(m_update.result.document.version));
    QStringList ids;
    for (const NostrEvent& e : std::as_const(m_update.events))
        ids << e.id;
    m_publishing.start(ids);
    m_publishingNow = true;
    for (const NostrEvent& e : std::as_const(m_update.events))
        m_pool->publish(e);
}

} // namespace uw
