#include "devices/LoginSession.h"

#include "devices/RelayLoginTransport.h"
#include "login/HttpProofSender.h"

namespace uw {

LoginSession::LoginSession(RelayPool* pool, std::shared_ptr<const KeyRing> keys, LoginSessionOptions options,
                           const Clock& clock, QObject* parent)
    : QObject(parent), m_pool(pool), m_ownsPool(false), m_keys(std::move(keys)), m_options(std::move(options)),
      m_clock(clock)
{}

LoginSession::LoginSession(const QStringList& relayUrls, std::shared_ptr<const KeyRing> keys,
                           LoginSessionOptions options, const Clock& clock, QObject* parent)
    : QObject(parent), m_pool(new RelayPool(relayUrls, this)), m_ownsPool(true), m_keys(std::move(keys)),
      m_options(std::move(options)), m_clock(clock)
{}

LoginSession::~LoginSession()
{
    // The flow goes first: it waits for its workers and leaves the pool's subscriptions.
    delete m_flow;
    if (m_ownsPool && m_poolStarted)
        m_pool->stop();
}

LoginFlow::Options LoginSession::flowOptions() const
{
    return {m_options.member.id, m_options.walletDatabase, m_options.timeoutSeconds * 1000, kConfirmationTimeoutMs,
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

void LoginSession::build()
{
    auto* transport = new RelayLoginTransport(m_pool, m_keys, m_clock, this);
    auto* sender = new HttpProofSender(this);
    m_flow = new LoginFlow(flowOptions(), m_keys, transport, sender, m_clock, this);
    transport->setParent(m_flow);
    sender->setParent(m_flow);
    connect(m_flow, &LoginFlow::stateChanged, this, &LoginSession::stateChanged);
    connect(m_flow, &LoginFlow::challengeReady, this, &LoginSession::challengeReady);
    connect(m_flow, &LoginFlow::publishOutcome, this, &LoginSession::publishOutcome);
    connect(m_flow, &LoginFlow::signatureAdded, this, &LoginSession::signatureAdded);
    connect(m_flow, &LoginFlow::confirmationRequested, this, &LoginSession::confirmationRequested);
    connect(m_flow, &LoginFlow::finished, this, &LoginSession::finished);
}

void LoginSession::start(const QString& service, const QString& callback)
{
    if (m_ownsPool && !m_poolStarted) {
        m_pool->start();
        m_poolStarted = true;
    }
    if (!m_flow)
        build();
    m_flow->start(request(service, callback));
}

void LoginSession::answerConfirmation(bool accept)
{
    if (m_flow)
        m_flow->answerConfirmation(accept);
}

void LoginSession::cancel()
{
    if (m_flow)
        m_flow->cancel();
}

} // namespace uw
