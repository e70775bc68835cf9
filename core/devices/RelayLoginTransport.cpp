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
            [this](const QString& subId, const NostrEvent& event, const QString&) {
                if (subId != m_subId)
                    return;
                if (auto sig = loginEvents::parseSignatureEvent(event))
                    Q_EMIT signaturesReceived({*sig});
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
    m_waiting.clear();
    m_relayAll.clear();
    m_refusals.clear();
    m_eachEventAcked = true;
    for (const QString& url : m_pool->urls())
        m_relayAll.insert(url, true);
    for (const NostrEvent& e : std::as_const(events))
        m_waiting.insert(e.id);
    for (const NostrEvent& e : std::as_const(events))
        m_pool->publish(e);
}

void RelayLoginTransport::onPublishFinished(const QString& eventId, const QMap<QString, bool>& perRelay,
                                            const QMap<QString, QString>& messages)
{
    if (!m_waiting.remove(eventId))
        return;
    bool any = false;
    for (auto it = perRelay.cbegin(); it != perRelay.cend(); ++it) {
        any = any || it.value();
        if (!it.value()) {
            m_relayAll[it.key()] = false;
            const QString line = QStringLiteral("%1: %2").arg(it.key(), messages.value(it.key()));
            if (!m_refusals.contains(line))
                m_refusals.append(line);
        }
    }
    m_eachEventAcked = m_eachEventAcked && any;
    if (!m_waiting.isEmpty())
        return;
    const QString error =
        m_eachEventAcked ? QString()
                         : tr("No relay accepted the login events (%1).").arg(m_refusals.join(QStringLiteral("; ")));
    Q_EMIT published(m_eachEventAcked, m_relayAll, error);
}

void RelayLoginTransport::runCollectLoop(const Challenge& challenge)
{
    m_subId = QStringLiteral("sigs-") + challenge.hash.left(16);
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
