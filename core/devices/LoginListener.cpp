#include "devices/LoginListener.h"

#include "devices/CoSigner.h"
#include "devices/LoginEvents.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPush, "userwallet.push", QtInfoMsg)

namespace uw {

LoginListener::LoginListener(RelayPool* pool, std::shared_ptr<const KeyRing> keys, CoSignPolicy policy,
                             const Clock& clock, QObject* parent)
    : QObject(parent), m_pool(pool), m_keys(std::move(keys)), m_policy(std::move(policy)), m_clock(clock)
{
    qRegisterMetaType<PushedLogin>();
    connect(m_pool, &RelayPool::eventReceived, this, &LoginListener::onEvent);
    connect(m_pool, &RelayPool::endOfStoredEvents, this, [this](const QString& subId, const QString&) {
        if (subId == m_subId && !m_answeredKnown)
            releaseHeld();
    });
    m_answeredWait.setSingleShot(true);
    m_answeredWait.setInterval(kAnsweredWaitMs);
    connect(&m_answeredWait, &QTimer::timeout, this, &LoginListener::releaseHeld);
}

void LoginListener::start()
{
    stop();
    m_subId = QStringLiteral("push-") + QString::fromLatin1(m_policy.member.id.toUtf8().toHex().left(16));
    const std::int64_t since = m_clock.nowSeconds() - m_policy.maxValiditySeconds;
    // One subscription (one REQ per relay): the member's login messages, and what this device's
    // keys already signed or refused. A message is held until the relays have sent the latter.
    QList<NostrFilter> filters{loginEvents::requestsFilter(m_policy.member.id, since)};
    NostrFilter answered;
    answered.kinds = {kinds::LoginSignature, kinds::LoginDecline};
    for (const QString& pair : m_keys->pairs())
        answered.authors.insert(m_keys->pubkey(pair));
    answered.since = since;
    m_answeredKnown = answered.authors.isEmpty();
    if (!m_answeredKnown) {
        filters.append(answered);
        m_answeredWait.start();
    }
    m_pool->subscribe(m_subId, filters);
}

void LoginListener::stop()
{
    if (!m_subId.isEmpty())
        m_pool->unsubscribe(m_subId);
    m_subId.clear();
    m_answeredWait.stop();
    m_held.clear();
}

void LoginListener::setPolicy(CoSignPolicy policy)
{
    const bool memberChanged = policy.member.id != m_policy.member.id;
    m_policy = std::move(policy);
    if (memberChanged && !m_subId.isEmpty())
        start();
}

void LoginListener::log(const QString& hash, const QString& reason)
{
    // A flood is counted, not written out line by line.
    const int n = m_counts.setAside + m_counts.duplicate + m_counts.dropped;
    if (n <= 20 || n % 1000 == 0)
        qCInfo(lcPush).noquote() << "push" << hash.left(16) << "set aside:" << reason << "(" << n << "so far)";
    Q_EMIT setAside(hash, reason);
}

void LoginListener::remember(const QString& hash)
{
    if (m_remembered.contains(hash))
        return;
    m_remembered.insert(hash);
    m_rememberOrder.append(hash);
    while (m_rememberOrder.size() > kMaxRemembered)
        m_remembered.remove(m_rememberOrder.takeFirst());
}

void LoginListener::onEvent(const QString& subId, const NostrEvent& event, const QString& relayUrl)
{
    if (m_subId.isEmpty())
        return;
    if (subId != m_subId)
        return;
    if (event.kind == kinds::LoginSignature || event.kind == kinds::LoginDecline) {
        onAnswered(event);
        return;
    }
    if (!m_answeredKnown) {
        if (m_held.size() < kMaxRemembered)
            m_held.append({event, relayUrl});
        return;
    }
    process(event, relayUrl);
}

void LoginListener::releaseHeld()
{
    m_answeredWait.stop();
    m_answeredKnown = true;
    const auto held = std::exchange(m_held, {});
    for (const auto& [event, relay] : held)
        process(event, relay);
}

void LoginListener::onAnswered(const NostrEvent& event)
{
    // Signed by one of this device's keys (the pool verified the event and matched it to the
    // filter that names them as authors; checked again here all the same).
    const QStringList pairs = m_keys->pairs();
    if (!std::any_of(pairs.cbegin(), pairs.cend(),
                     [&](const QString& pair) { return m_keys->pubkey(pair) == event.pubkey; }))
        return;
    const QStringList hashes = loginEvents::loginHashes(event);
    if (hashes.size() != 1)
        return;
    const QString& hash = hashes.first();
    remember(hash);
    const qsizetype i =
        std::find_if(m_queue.cbegin(), m_queue.cend(), [&](const PushedLogin& l) { return l.challenge.hash == hash; }) -
        m_queue.cbegin();
    if (i == m_queue.size())
        return;
    m_queue.removeAt(i);
    Q_EMIT withdrawn(hash);
    if (i == 0 && !m_queue.isEmpty())
        Q_EMIT nextReady(m_queue.first());
    Q_EMIT pendingChanged(int(m_queue.size()));
}

void LoginListener::process(const NostrEvent& event, const QString& relayUrl)
{
    auto challenge = loginEvents::parsePushedMessageEvent(event);
    if (!challenge) {
        ++m_counts.setAside;
        log(QString(), challenge.error().message);
        return;
    }
    const QString hash = challenge->hash;
    if (m_remembered.contains(hash)) {
        ++m_counts.duplicate;
        log(hash, QStringLiteral("already seen"));
        return;
    }
    // This profile's own login (device 1 here) asks its own member: nothing to review.
    for (const QString& pair : m_keys->pairs())
        if (m_keys->pubkey(pair) == event.pubkey) {
            remember(hash);
            ++m_counts.setAside;
            log(hash, QStringLiteral("published by this device"));
            return;
        }
    bool fatal = false;
    if (auto ok = CoSigner::checkMessage(*challenge, event.pubkey, *m_keys, m_policy, m_clock.nowSeconds(), &fatal);
        !ok) {
        if (fatal || ok.error().code == QLatin1String("set_aside"))
            remember(hash); // the message itself is refused; a stranger's copy is not
        ++m_counts.setAside;
        log(hash, ok.error().message);
        return;
    }
    remember(hash);
    dropExpired();
    if (m_queue.size() >= kMaxPending) {
        ++m_counts.dropped;
        log(hash, QStringLiteral("%1 logins already wait for an answer").arg(m_queue.size()));
        return;
    }
    PushedLogin login{std::move(*challenge), {}, {}, {}, relayUrl};
    for (const MemberRequirement& m : login.challenge.message.members)
        for (const PairRef& p : m.pairs)
            if (p.pubkey == event.pubkey && login.askedByPair.isEmpty()) {
                login.askedByMember = m.id;
                login.askedByPair = p.pair;
            }
    login.askedByLabel = m_labels.value(login.askedByPair);
    if (login.askedByLabel.isEmpty())
        login.askedByLabel = tr("device %1").arg(login.askedByPair.left(8));
    ++m_counts.shown;
    m_queue.append(login);
    qCInfo(lcPush).noquote() << "push" << hash.left(16) << "for" << login.challenge.message.service << "queued ("
                             << m_queue.size() << "waiting)";
    Q_EMIT loginArrived(login, m_queue.size() == 1);
    Q_EMIT pendingChanged(int(m_queue.size()));
}

void LoginListener::dropExpired()
{
    const std::int64_t now = m_clock.nowSeconds();
    // The one under review stays until the person answers: the review itself says it expired.
    for (qsizetype i = m_queue.size() - 1; i >= 1; --i)
        if (m_queue.at(i).challenge.message.expiresAt < now)
            m_queue.removeAt(i);
}

QList<PushedLogin> LoginListener::pending() const
{
    QList<PushedLogin> out;
    const std::int64_t now = m_clock.nowSeconds();
    for (const PushedLogin& l : m_queue)
        if (l.challenge.message.expiresAt >= now)
            out.append(l);
    return out;
}

void LoginListener::answer(const QString& hash)
{
    remember(hash);
    const qsizetype before = m_queue.size();
    const bool wasFront = !m_queue.isEmpty() && m_queue.first().challenge.hash == hash;
    m_queue.removeIf([&](const PushedLogin& l) { return l.challenge.hash == hash; });
    dropExpired();
    if (wasFront && !m_queue.isEmpty()) {
        // The next one is current now; drop it too if it expired meanwhile.
        while (!m_queue.isEmpty() && m_queue.first().challenge.message.expiresAt < m_clock.nowSeconds())
            m_queue.removeFirst();
        if (!m_queue.isEmpty())
            Q_EMIT nextReady(m_queue.first());
    }
    if (m_queue.size() != before)
        Q_EMIT pendingChanged(int(m_queue.size()));
}

} // namespace uw
