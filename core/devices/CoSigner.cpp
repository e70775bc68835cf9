#include "devices/CoSigner.h"

#include "devices/LoginEvents.h"
#include "login/LoginValidation.h"

namespace uw {

CoSigner::CoSigner(RelayPool* pool, std::shared_ptr<const KeyRing> keys, CoSignPolicy policy, const Clock& clock,
                   QObject* parent, int fetchTimeoutMs)
    : QObject(parent), m_pool(pool), m_keys(std::move(keys)), m_policy(std::move(policy)), m_clock(clock)
{
    m_fetchTimeout.setSingleShot(true);
    m_fetchTimeout.setInterval(fetchTimeoutMs);
    connect(&m_fetchTimeout, &QTimer::timeout, this, [this] {
        m_pool->unsubscribe(m_subId);
        fail(m_lastRejection.isEmpty() ? tr("The login was not found on any relay (is device 1 still waiting?).")
                                       : m_lastRejection);
    });
    connect(m_pool, &RelayPool::eventReceived, this, &CoSigner::onEvent);
    connect(m_pool, &RelayPool::publishFinished, this,
            [this](const QString& id, const QMap<QString, bool>& perRelay, const QMap<QString, QString>& messages) {
                if (!m_publishing.record(id, perRelay, messages) || m_done)
                    return;
                if (m_publishing.state() == PublishTracker::State::Refused) {
                    fail(tr("No relay accepted the signature (%1).")
                             .arg(m_publishing.answers(id).join(QStringLiteral("; "))));
                    return;
                }
                if (m_publishing.state() == PublishTracker::State::Accepted) {
                    m_done = true;
                    Q_EMIT published(m_publishing.perRelay());
                }
            });
}

void CoSigner::fail(const QString& reason)
{
    if (m_done)
        return;
    m_done = true;
    m_fetchTimeout.stop();
    Q_EMIT failed(reason);
}

void CoSigner::open(const QString& link)
{
    m_done = false;
    m_challenge.reset();
    m_lastRejection.clear();
    auto parsed = LoginSignLink::parse(link);
    if (!parsed) {
        QMetaObject::invokeMethod(
            this, [this, why = parsed.error().message] { fail(why); }, Qt::QueuedConnection);
        return;
    }
    m_link = *parsed;
    m_subId = QStringLiteral("msg-") + m_link.hash.left(16);
    m_pool->subscribe(m_subId, {loginEvents::messageFilter(m_link.hash)});
    m_fetchTimeout.start();
}

void CoSigner::onEvent(const QString& subId, const NostrEvent& event)
{
    if (subId != m_subId || m_challenge || m_done)
        return;
    auto challenge = loginEvents::parseMessageEvent(event, m_link.hash);
    if (!challenge) {
        m_lastRejection = challenge.error().message;
        return;
    }
    const LoginMessage& msg = challenge->message;
    if (msg.nonce != m_link.nonce) {
        m_lastRejection = tr("The message's nonce is not the one in the link.");
        return;
    }
    if (m_clock.nowSeconds() > msg.expiresAt) {
        m_lastRejection = tr("This login expired at %1; nothing was signed.").arg(msg.expiresAt);
        return;
    }
    const QString& memberId = m_policy.member.id;
    const MemberRequirement* member = msg.member(memberId);
    if (!member) {
        m_lastRejection = tr("This login does not ask member \"%1\" to sign.").arg(memberId);
        return;
    }
    const bool ourPair = std::any_of(member->pairs.cbegin(), member->pairs.cend(), [&](const PairRef& p) {
        return m_keys->contains(p.pair) && m_keys->pubkey(p.pair) == p.pubkey;
    });
    if (!ourPair) {
        m_lastRejection = tr("This device is not one of member \"%1\"'s devices in this login.").arg(memberId);
        return;
    }
    if (auto allowed = m_policy.check(msg, event.pubkey, m_clock.nowSeconds()); !allowed) {
        // The hash fixes the message's content: a weaker requirement or a long window is the
        // message itself, so it is refused at once. The author is the event's: the same message
        // may still arrive from a device of the login, so a stranger's copy is only set aside.
        if (allowed.error().code == QLatin1String("stranger_author")) {
            m_lastRejection = allowed.error().message;
            return;
        }
        m_pool->unsubscribe(m_subId);
        fail(allowed.error().message);
        return;
    }
    m_fetchTimeout.stop();
    m_pool->unsubscribe(m_subId);
    m_challenge = std::make_unique<Challenge>(std::move(*challenge));
    Q_EMIT messageReady(*m_challenge);
}

void CoSigner::sign()
{
    if (!m_challenge || m_done)
        return;
    if (m_clock.nowSeconds() > m_challenge->message.expiresAt) {
        fail(tr("This login expired while it was on screen; nothing was signed."));
        return;
    }
    auto sigs = signChallenge(*m_challenge, m_policy.member.id, *m_keys);
    if (!sigs) {
        fail(sigs.error().message);
        return;
    }
    QList<NostrEvent> events;
    QStringList ids;
    for (const LoginSignature& s : std::as_const(*sigs)) {
        auto ev = loginEvents::signatureEvent(*m_challenge, s, *m_keys->secret(s.pair), m_clock.nowSeconds());
        if (!ev) {
            fail(ev.error().message);
            return;
        }
        events.append(*ev);
        ids.append(ev->id);
    }
    m_publishing.start(ids);
    for (const NostrEvent& e : std::as_const(events))
        m_pool->publish(e);
}

} // namespace uw
