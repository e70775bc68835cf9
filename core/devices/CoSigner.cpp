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
                if (m_declining) {
                    // A refusal: the user's answer stands whatever the relays say; they only
                    // decide whether device 1 learns it now or at its timeout.
                    if (m_publishing.state() == PublishTracker::State::Waiting)
                        return;
                    const bool reached = m_publishing.state() == PublishTracker::State::Accepted;
                    const DeclineReason reason = *m_declining;
                    m_declining.reset();
                    if (!m_declineFailure.isEmpty()) {
                        fail(reached ? m_declineFailure
                                     : m_declineFailure + QLatin1Char(' ') +
                                           tr("No relay took the refusal: device 1 will wait until its timeout."));
                        return;
                    }
                    if (!reached) {
                        fail(tr("Nothing was signed, but no relay took the refusal (%1): device 1 will wait until "
                                "its timeout.")
                                 .arg(m_publishing.answers(id).join(QStringLiteral("; "))));
                        return;
                    }
                    m_done = true;
                    Q_EMIT declined(reason, m_publishing.perRelay());
                    return;
                }
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
    m_declining.reset();
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
    bool fatal = false;
    auto challenge = check(event, &fatal);
    if (!challenge) {
        if (fatal) {
            m_pool->unsubscribe(m_subId);
            fail(challenge.error().message);
        } else {
            m_lastRejection = challenge.error().message;
        }
        return;
    }
    m_fetchTimeout.stop();
    m_pool->unsubscribe(m_subId);
    m_challenge = std::make_unique<Challenge>(std::move(*challenge));
    Q_EMIT messageReady(*m_challenge);
}

Result<Challenge> CoSigner::check(const NostrEvent& event, bool* fatal) const
{
    *fatal = false;
    auto challenge = loginEvents::parseMessageEvent(event, m_link.hash);
    if (!challenge)
        return challenge;
    if (challenge->message.nonce != m_link.nonce)
        return makeError(QStringLiteral("set_aside"), tr("The message's nonce is not the one in the link."));
    if (auto ok = checkMessage(*challenge, event.pubkey, *m_keys, m_policy, m_clock.nowSeconds(), fatal); !ok)
        return ok.error();
    return challenge;
}

Result<void> CoSigner::checkMessage(const Challenge& challenge, const QString& authorPubkey, const KeyRing& keys,
                                    const CoSignPolicy& policy, std::int64_t now, bool* fatal)
{
    *fatal = false;
    const LoginMessage& msg = challenge.message;
    auto setAside = [](const QString& why) { return makeError(QStringLiteral("set_aside"), why); };
    if (now > msg.expiresAt)
        return setAside(tr("This login expired at %1; nothing was signed.").arg(msg.expiresAt));
    const QString& memberId = policy.member.id;
    const MemberRequirement* member = msg.member(memberId);
    if (!member)
        return setAside(tr("This login does not ask member \"%1\" to sign.").arg(memberId));
    const bool ourPair = std::any_of(member->pairs.cbegin(), member->pairs.cend(), [&](const PairRef& p) {
        return keys.contains(p.pair) && keys.pubkey(p.pair) == p.pubkey;
    });
    if (!ourPair)
        return setAside(tr("This device is not one of member \"%1\"'s devices in this login.").arg(memberId));
    if (auto allowed = policy.check(msg, authorPubkey, now); !allowed) {
        // The hash fixes the message's content: a weaker requirement or a long window is the
        // message itself, so it is refused at once. The author is the event's: the same message
        // may still arrive from a device of the login, so a stranger's copy is only set aside.
        *fatal = allowed.error().code != QLatin1String("stranger_author");
        return allowed.error();
    }
    return {};
}

void CoSigner::review(const Challenge& challenge)
{
    m_done = false;
    m_lastRejection.clear();
    m_declining.reset();
    m_fetchTimeout.stop();
    m_challenge = std::make_unique<Challenge>(challenge);
    m_link = LoginSignLink{challenge.hash, challenge.message.nonce};
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_challenge && !m_done)
                Q_EMIT messageReady(*m_challenge);
        },
        Qt::QueuedConnection);
}

void CoSigner::sign(int typedNumber)
{
    if (!m_challenge || m_done || m_declining)
        return;
    if (m_clock.nowSeconds() > m_challenge->message.expiresAt) {
        publishDecline(DeclineReason::Expired, tr("This login expired while it was on screen; nothing was signed."));
        return;
    }
    if (typedNumber != m_challenge->number()) {
        publishDecline(DeclineReason::WrongNumber,
                       tr("%1 is not the number of this login: nothing was signed, and device 1 was told.")
                           .arg(typedNumber, 2, 10, QLatin1Char('0')));
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

void CoSigner::decline()
{
    if (!m_challenge || m_done || m_declining)
        return;
    publishDecline(DeclineReason::Declined, QString());
}

void CoSigner::publishDecline(DeclineReason reason, const QString& failure)
{
    // Signed by each of this device's pairs in the login (device 1 needs one it knows).
    const MemberRequirement* member = m_challenge->message.member(m_policy.member.id);
    QList<NostrEvent> events;
    QStringList ids;
    for (const PairRef& p : member ? member->pairs : QList<PairRef>()) {
        const SecretKey* key = m_keys->contains(p.pair) ? m_keys->secret(p.pair) : nullptr;
        if (!key || m_keys->pubkey(p.pair) != p.pubkey)
            continue;
        auto ev = loginEvents::declineEvent(*m_challenge, member->id, p.pair, reason, *key, m_clock.nowSeconds());
        if (!ev) {
            fail(ev.error().message);
            return;
        }
        events.append(*ev);
        ids.append(ev->id);
    }
    if (events.isEmpty()) {
        fail(failure.isEmpty() ? tr("This device has no key in this login to sign a refusal with.") : failure);
        return;
    }
    m_declining = reason;
    m_declineFailure = failure;
    m_publishing.start(ids);
    for (const NostrEvent& e : std::as_const(events))
        m_pool->publish(e);
}

} // namespace uw
