#include "devices/RelayLoginTransport.h"

#include "devices/LoginEvents.h"

namespace uw {

RelayLoginTransport::RelayLoginTransport(RelayPool* pool, std::shared_ptr<const KeyRing> keys, const Clock& clock,
                                         QObject* parent, int requeryIntervalMs)
    : LoginTransport(parent), m_pool(pool), m_keys(std::move(keys)), m_clock(clock)
{
    m_requery.setInterval(requeryIntervalMs);
    connect(&m_requery, &QTimer::timeout, this, [this] {
        // Same subscription id: relays replace it and send the stored events again;
        // the pool hands out only those not seen yet.
        if (!m_subId.isEmpty())
            m_pool->subscribe(m_subId, m_filters);
    });
    connect(m_pool, &RelayPool::publishFinished, this, &RelayLoginTransport::onPublishFinished);
    connect(m_pool, &RelayPool::eventReceived, this,
            [this](const QString& subId, const NostrEvent& event, const QString& relay) {
                if (subId != m_subId)
                    return;
                if (event.kind == kinds::LoginDecline) {
                    if (auto decline = loginEvents::parseDeclineEvent(event))
                        Q_EMIT declineReceived(*decline);
                    return;
                }
                if (auto sig = loginEvents::parseSignatureEvent(event)) {
                    m_delivered.insert(event.id, {*sig, event.createdAt});
                    Q_EMIT signatureDelivered(*sig, event.createdAt, relay);
                    Q_EMIT signaturesReceived({*sig});
                }
            });
    connect(m_pool, &RelayPool::eventDeliveredAgain, this,
            [this](const QString& subId, const QString& eventId, const QString& relay) {
                const auto it = m_delivered.constFind(eventId);
                if (subId == m_subId && it != m_delivered.cend())
                    Q_EMIT signatureDelivered(it->first, it->second, relay);
            });
}

void RelayLoginTransport::publish(const Challenge& challenge, const QList<LoginSignature>& localSignatures)
{
    QList<NostrEvent> events;
    const std::int64_t now = m_clock.nowSeconds();
    const SecretKey* deviceKey = localSignatures.isEmpty() ? nullptr : m_keys->secret(localSignatures.first().pair);
    auto fail = [this](const QString& why) {
        QMetaObject::invokeMethod(
            this, [this, why] { Q_EMIT published(false, {}, why); }, Qt::QueuedConnection);
    };
    if (!deviceKey) {
        fail(tr("No local key to sign the login events."));
        return;
    }
    auto message = loginEvents::messageEvent(challenge, *deviceKey, now);
    if (!message) {
        fail(message.error().message);
        return;
    }
    events.append(*message);
    for (const LoginSignature& s : localSignatures) {
        const SecretKey* key = m_keys->secret(s.pair);
        auto ev = key ? loginEvents::signatureEvent(challenge, s, *key, now)
                      : Result<NostrEvent>(makeError(QString(), QString()));
        if (!ev) {
            fail(tr("Cannot build the signature event of pair %1.").arg(s.pair));
            return;
        }
        events.append(*ev);
    }
    QStringList ids;
    for (const NostrEvent& e : std::as_const(events))
        ids.append(e.id);
    m_publishing.start(ids);
    for (const NostrEvent& e : std::as_const(events))
        m_pool->publish(e);
}

void RelayLoginTransport::onPublishFinished(const QString& eventId, const QMap<QString, bool>& perRelay,
                                            const QMap<QString, QString>& messages)
{
    // Every event is waited for, even after one was refused: the report names each relay's answers.
    if (!m_publishing.record(eventId, perRelay, messages) || !m_publishing.allAnswered())
        return;
    const bool accepted = m_publishing.state() == PublishTracker::State::Accepted;
    const QString error =
        accepted
            ? QString()
            : tr("No relay accepted the login events (%1).").arg(m_publishing.refusals().join(QStringLiteral("; ")));
    Q_EMIT published(accepted, m_publishing.perRelay(), error);
}

void RelayLoginTransport::runCollectLoop(const Challenge& challenge)
{
    m_subId = QStringLiteral("sigs-") + challenge.hash.left(16);
    m_delivered.clear();
    m_filters = {loginEvents::signaturesFilter(challenge.hash)};
    m_pool->subscribe(m_subId, m_filters);
    m_requery.start();
}

void RelayLoginTransport::stopCollecting()
{
    m_requery.stop();
    if (!m_subId.isEmpty())
        m_pool->unsubscribe(m_subId);
    m_subId.clear();
}

} // namespace uw
