#include "devices/LoginSession.h"

#include "devices/RelayLoginTransport.h"
#include "login/HttpProofSender.h"
#include "login/LoginRequestFetcher.h"

#include <QDateTime>

namespace uw {

LoginSession::LoginSession(RelayPool* pool, std::shared_ptr<const KeyRing> keys, LoginSessionOptions options,
                           const Clock& clock, QObject* parent)
    : QObject(parent), m_pool(pool), m_ownsPool(false), m_keys(std::move(keys)), m_options(std::move(options)),
      m_clock(clock), m_fetchTimeoutMs(LoginRequestFetcher::kDefaultTimeoutMs)
{
    qRegisterMetaType<LoginRequest>();
}

LoginSession::LoginSession(const QStringList& relayUrls, std::shared_ptr<const KeyRing> keys,
                           LoginSessionOptions options, const Clock& clock, QObject* parent)
    : QObject(parent), m_pool(new RelayPool(relayUrls, this)), m_ownsPool(true), m_keys(std::move(keys)),
      m_options(std::move(options)), m_clock(clock), m_fetchTimeoutMs(LoginRequestFetcher::kDefaultTimeoutMs)
{
    qRegisterMetaType<LoginRequest>();
}

LoginSession::~LoginSession()
{
    // The flow goes first: it waits for its workers and leaves the pool's subscriptions.
    delete m_flow;
    if (m_ownsPool && m_poolStarted)
        m_pool->stop();
}

LoginFlow::Options LoginSession::flowOptions() const
{
    return flowOptions(m_options.timeoutSeconds);
}

LoginFlow::Options LoginSession::flowOptions(int collectTimeoutSeconds) const
{
    return {m_options.member.id, m_options.walletDatabase, collectTimeoutSeconds * 1000, kConfirmationTimeoutMs,
            m_options.pairLabels};
}

ChallengeRequest LoginSession::request(const QString& service, const QString& callback) const
{
    return ChallengeRequest{service,
                            callback,
                            {m_options.member},
                            true,
                            std::max(kMinimumLifetimeSeconds, m_options.timeoutSeconds + kLifetimeMarginSeconds)};
}

int LoginSession::lifetimeSeconds(int sessionTimeoutSeconds, int ttlSeconds)
{
    // Never longer than the service accepts: its record refuses a wider window.
    return std::min(std::max(kMinimumLifetimeSeconds, sessionTimeoutSeconds + kLifetimeMarginSeconds), ttlSeconds);
}

ChallengeRequest LoginSession::request(const LoginRequest& r) const
{
    return ChallengeRequest{r.service, r.callback, r.members, r.strict,
                            lifetimeSeconds(m_options.timeoutSeconds, r.ttlSeconds)};
}

int LoginSession::timeoutSeconds(int sessionTimeoutSeconds, const LoginRequest& r)
{
    const int lifetime = lifetimeSeconds(sessionTimeoutSeconds, r.ttlSeconds);
    // The collection ends a margin before the message expires, so that the confirmation and the
    // proof still fit; a very short window is shared in half.
    const int collect = std::max(lifetime - kLifetimeMarginSeconds, lifetime / 2);
    return std::max(1, std::min(sessionTimeoutSeconds, collect));
}

Result<void> LoginSession::checkRequest(const LoginRequest& r) const
{
    if (r.expiresAt && m_clock.nowSeconds() > *r.expiresAt)
        return makeError(
            QStringLiteral("request_expired"),
            //: %1 the service, %2 a date and time.
            tr("The login request from %1 expired at %2; ask the service for a new one. Nothing was "
               "published.")
                .arg(r.service,
                     QDateTime::fromSecsSinceEpoch(*r.expiresAt).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
    if (auto ok = validate::callbackUrl(r.callback); !ok)
        return makeError(QStringLiteral("bad_callback"),
                         //: %1 the service, %2 why its callback address is refused.
                         tr("The login request from %1 cannot be answered: %2 Nothing was published.")
                             .arg(r.service, ok.error().message));
    const MemberRequirement* asked = nullptr;
    for (const MemberRequirement& m : r.members)
        if (m.id == m_options.member.id)
            asked = &m;
    if (!asked) {
        QStringList names;
        for (const MemberRequirement& m : r.members)
            names.append(QStringLiteral("\"%1\"").arg(m.id));
        return makeError(QStringLiteral("not_a_member"),
                         //: %1 the service, %2 this device's member, %3 the members the request names.
                         tr("The login request from %1 does not ask member \"%2\" to sign (it asks %3): it is not "
                            "for this device. Nothing was published.")
                             .arg(r.service, m_options.member.id, names.join(QStringLiteral(", "))));
    }
    bool registered = false;
    for (const PairRef& p : asked->pairs) {
        if (!m_keys->contains(p.pair))
            continue;
        if (m_keys->pubkey(p.pair) != p.pubkey)
            return makeError(QStringLiteral("key_mismatch"),
                             //: %1 the service, %2 the first characters of this device's id.
                             tr("The login request from %1 lists this device (%2…) with a key that is not this "
                                "device's key. Nothing was published.")
                                 .arg(r.service, p.pair.left(8)));
        registered = true;
    }
    if (!registered)
        return makeError(QStringLiteral("not_registered"),
                         //: %1 the service, %2 this device's member.
                         tr("This device is not registered with %1: the request lists none of this device's keys "
                            "among member \"%2\"'s devices. Nothing was published.")
                             .arg(r.service, m_options.member.id));
    return {};
}

void LoginSession::build(int collectTimeoutSeconds)
{
    // Another collection time means another flow; the last one (and its login) goes.
    delete m_flow;
    m_flowTimeoutSeconds = collectTimeoutSeconds;
    auto* transport = new RelayLoginTransport(m_pool, m_keys, m_clock, this);
    auto* sender = new HttpProofSender(this);
    m_flow = new LoginFlow(flowOptions(collectTimeoutSeconds), m_keys, transport, sender, m_clock, this);
    transport->setParent(m_flow);
    sender->setParent(m_flow);
    connect(m_flow, &LoginFlow::stateChanged, this, &LoginSession::stateChanged);
    connect(m_flow, &LoginFlow::challengeReady, this, &LoginSession::challengeReady);
    connect(m_flow, &LoginFlow::publishOutcome, this, &LoginSession::publishOutcome);
    connect(m_flow, &LoginFlow::signatureAdded, this, &LoginSession::signatureAdded);
    connect(m_flow, &LoginFlow::confirmationRequested, this, &LoginSession::confirmationRequested);
    connect(transport, &LoginTransport::signatureDelivered, this, &LoginSession::signatureDelivered);
    connect(m_flow, &LoginFlow::finished, this, &LoginSession::finished);
}

void LoginSession::startFlow(const ChallengeRequest& request, int collectTimeoutSeconds)
{
    if (m_fetcher)
        m_fetcher->cancel();
    if (m_ownsPool && !m_poolStarted) {
        m_pool->start();
        m_poolStarted = true;
    }
    if (!m_flow || m_flowTimeoutSeconds != collectTimeoutSeconds)
        build(collectTimeoutSeconds);
    m_flow->start(request);
}

void LoginSession::start(const QString& service, const QString& callback)
{
    startFlow(request(service, callback), m_options.timeoutSeconds);
}

void LoginSession::start(const LoginRequest& r)
{
    if (auto ok = checkRequest(r); !ok) {
        if (m_fetcher)
            m_fetcher->cancel();
        // Queued, like the flow's own early failures: the caller may connect after start().
        QMetaObject::invokeMethod(
            this, [this, why = ok.error().message] { Q_EMIT finished(false, why); }, Qt::QueuedConnection);
        return;
    }
    startFlow(request(r), timeoutSeconds(r));
}

void LoginSession::fetchRequest(const QString& url)
{
    if (!m_fetcher) {
        m_fetcher = new LoginRequestFetcher(this, m_fetchTimeoutMs);
        connect(m_fetcher, &LoginRequestFetcher::fetched, this, [this](const LoginRequest& r) {
            if (auto ok = checkRequest(r); !ok)
                Q_EMIT requestRefused(m_fetchUrl, ok.error().code, ok.error().message);
            else
                Q_EMIT requestReady(m_fetchUrl, r);
        });
        connect(m_fetcher, &LoginRequestFetcher::failed, this, [this](const QString& code, const QString& reason) {
            Q_EMIT requestRefused(m_fetchUrl, code, reason);
        });
    }
    m_fetchUrl = url;
    m_fetcher->fetch(url);
}

void LoginSession::answerConfirmation(bool accept)
{
    if (m_flow)
        m_flow->answerConfirmation(accept);
}

void LoginSession::setMember(const MemberRequirement& member, const QHash<QString, QString>& pairLabels)
{
    m_options.member = member;
    m_options.pairLabels = pairLabels;
    // The flow names the devices with the labels it was built with: the next login builds a new one
    // (not this one's, whose login may still be under way).
    m_flowTimeoutSeconds = 0;
}

void LoginSession::cancel()
{
    if (m_fetcher)
        m_fetcher->cancel();
    if (m_flow)
        m_flow->cancel();
}

} // namespace uw
