#include "login/LoginFlow.h"

#include "identity/WalletStore.h"
#include "login/LoginValidation.h"
#include "login/ProofVerifier.h"

#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QtConcurrent>

Q_LOGGING_CATEGORY(lcLogin, "userwallet.login", QtInfoMsg)

namespace uw {

LoginFlow::LoginFlow(Options options, std::shared_ptr<const KeyRing> keys, LoginTransport* transport,
                     ProofSender* sender, const Clock& clock, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_keys(std::move(keys)), m_transport(transport), m_sender(sender),
      m_clock(clock)
{
    m_pool.setMaxThreadCount(1);
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_machine.state() == LoginState::S_LOGIN_COLLECT_SIGNATURES) {
            m_transport->stopCollecting();
            fail(LoginEvent::E_TIMEOUT, tr("Timed out after %1 s waiting for the other devices' signatures.")
                                            .arg(m_options.collectTimeoutMs / 1000.0));
        } else if (m_machine.state() == LoginState::S_LOGIN_PUBLISH_PROOF) {
            fail(LoginEvent::E_TIMEOUT, tr("No answer to the confirmation in time; nothing was sent."));
        }
    });
    connect(m_transport, &LoginTransport::published, this, &LoginFlow::onPublished);
    connect(m_transport, &LoginTransport::signaturesReceived, this, &LoginFlow::onCandidates);
    connect(m_transport, &LoginTransport::declineReceived, this, &LoginFlow::onDecline);
    connect(m_sender, &ProofSender::finished, this, &LoginFlow::onSent);
}

LoginFlow::~LoginFlow()
{
    ++m_generation;
    m_pool.waitForDone();
}

template <typename F, typename Done> void LoginFlow::runInBackground(F work, Done done)
{
    using R = std::invoke_result_t<F>;
    auto* watcher = new QFutureWatcher<R>(this);
    const quint64 generation = m_generation;
    connect(watcher, &QFutureWatcher<R>::finished, this, [this, watcher, generation, done = std::move(done)]() mutable {
        watcher->deleteLater();
        if (generation == m_generation)
            done(watcher->future().takeResult());
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, std::move(work)));
}

void LoginFlow::fire(LoginEvent event)
{
    const LoginState before = m_machine.state();
    if (!m_machine.fire(event)) {
        qCWarning(lcLogin) << "refused" << LoginStateMachine::name(event) << "in" << LoginStateMachine::name(before);
        return;
    }
    qCDebug(lcLogin) << LoginStateMachine::name(before) << "--" << LoginStateMachine::name(event) << "->"
                     << LoginStateMachine::name(m_machine.state());
    Q_EMIT stateChanged(m_machine.state());
}

void LoginFlow::fail(LoginEvent event, const QString& reason)
{
    if (LoginStateMachine::isTerminal(m_machine.state()) || !LoginStateMachine::next(m_machine.state(), event))
        return;
    m_timeout.stop();
    ++m_generation;
    m_failureReason = reason;
    fire(event);
    recordHistory(false, reason);
    Q_EMIT finished(false, reason);
}

void LoginFlow::start(const ChallengeRequest& request)
{
    if (m_machine.state() != LoginState::S_IDLE)
        fire(LoginEvent::E_RESET);
    m_challenge.reset();
    m_signatures.clear();
    m_localPairs.clear();
    m_failureReason.clear();
    fire(LoginEvent::E_START);

    auto challenge = buildChallenge(request, m_clock);
    if (!challenge) {
        // Queued: whoever called start() connects to finished() first and may only then enter
        // its event loop (the CLI did, and waited for ever on a failure already emitted).
        QMetaObject::invokeMethod(
            this, [this, why = challenge.error().message] { fail(LoginEvent::E_ERROR, why); }, Qt::QueuedConnection);
        return;
    }
    m_challenge = std::make_unique<Challenge>(std::move(*challenge));
    fire(LoginEvent::E_CHALLENGE_READY);
    Q_EMIT challengeReady(m_challenge->hash, m_challenge->nonce(), signingLink());

    // Signing happens on a worker: the keys never wait on this thread.
    runInBackground(
        [c = *m_challenge, member = m_options.memberId, keys = m_keys] { return signChallenge(c, member, *keys); },
        [this](Result<QList<LoginSignature>> sigs) {
            if (!sigs) {
                fail(LoginEvent::E_ERROR, sigs.error().message);
                return;
            }
            m_signatures = mapMsgSignaturesToProofFormat(*m_challenge, *sigs);
            for (const LoginSignature& s : std::as_const(m_signatures)) {
                m_localPairs.insert(s.pair);
                Q_EMIT signatureAdded(s, false);
            }
            fire(LoginEvent::E_LOCAL_SIGNED);
            m_transport->publish(*m_challenge, m_signatures);
        });
}

void LoginFlow::onPublished(bool ok, const QMap<QString, bool>& perRelay, const QString& error)
{
    if (m_machine.state() != LoginState::S_LOGIN_PUBLISH_MESSAGE)
        return;
    Q_EMIT publishOutcome(perRelay);
    if (!ok) {
        fail(LoginEvent::E_PUBLISH_FAILED, error.isEmpty() ? tr("No relay accepted the login.") : error);
        return;
    }
    if (hasEnoughSignatures(m_challenge->message, m_signatures)) {
        fire(LoginEvent::E_PUBLISHED_ENOUGH);
        enterPublishProof();
        return;
    }
    fire(LoginEvent::E_PUBLISHED_NEED_MORE);
    m_timeout.start(m_options.collectTimeoutMs);
    m_transport->startCollecting(*m_challenge);
}

void LoginFlow::onCandidates(const QList<LoginSignature>& candidates)
{
    if (m_machine.state() != LoginState::S_LOGIN_COLLECT_SIGNATURES)
        return;
    const QList<LoginSignature> verified = mapMsgSignaturesToProofFormat(*m_challenge, m_signatures + candidates);
    for (const LoginSignature& s : verified)
        if (!m_signatures.contains(s))
            Q_EMIT signatureAdded(s, !m_localPairs.contains(s.pair));
    m_signatures = verified;
    if (hasEnoughSignatures(m_challenge->message, m_signatures)) {
        m_timeout.stop();
        m_transport->stopCollecting();
        fire(LoginEvent::E_ENOUGH_SIGNATURES);
        enterPublishProof();
    }
}

void LoginFlow::onDecline(const LoginDecline& decline)
{
    if (m_machine.state() != LoginState::S_LOGIN_COLLECT_SIGNATURES)
        return;
    // Only this login's refusal, signed by a device the message asks: a relay can neither forge
    // one (the author's key must be a pair of the path) nor replay one from another login (the
    // hash is in the signed event).
    if (decline.hash != m_challenge->hash || m_localPairs.contains(decline.pair)) {
        qCInfo(lcLogin) << "ignored a refusal that is not for this login";
        return;
    }
    const MemberRequirement* member = m_challenge->message.member(decline.member);
    const bool authorized = member && std::any_of(member->pairs.cbegin(), member->pairs.cend(), [&](const PairRef& p) {
                                return p.pair == decline.pair && p.pubkey == decline.pubkey;
                            });
    if (!authorized) {
        qCInfo(lcLogin) << "ignored a refusal signed by a key that is not a device of this login";
        return;
    }
    m_transport->stopCollecting();
    const QString device = deviceName(decline.pair);
    QString reason;
    switch (decline.reason) {
    case DeclineReason::Declined:
        reason = tr("Refused on %1.").arg(device);
        break;
    case DeclineReason::WrongNumber:
        reason = tr("Refused on %1: the number typed there was not this login's.").arg(device);
        break;
    case DeclineReason::Expired:
        reason = tr("Refused on %1: the login had expired there.").arg(device);
        break;
    }
    fail(LoginEvent::E_DECLINED, reason);
}

int LoginFlow::number() const
{
    return m_challenge ? m_challenge->number() : -1;
}

QString LoginFlow::deviceName(const QString& pair) const
{
    const QString label = m_options.pairLabels.value(pair);
    return label.isEmpty() ? tr("device %1").arg(pair.left(8)) : label;
}

void LoginFlow::enterPublishProof()
{
    if (!hasRemoteSignatures(m_signatures, m_localPairs)) {
        fire(LoginEvent::E_NO_REMOTE_SIGNATURES);
        verifyAndMark();
        return;
    }
    QList<LoginSignature> remote;
    for (const LoginSignature& s : std::as_const(m_signatures))
        if (!m_localPairs.contains(s.pair))
            remote.append(s);
    m_timeout.start(m_options.confirmationTimeoutMs);
    Q_EMIT confirmationRequested(remote);
}

void LoginFlow::answerConfirmation(bool accept)
{
    if (m_machine.state() != LoginState::S_LOGIN_PUBLISH_PROOF || !hasRemoteSignatures(m_signatures, m_localPairs))
        return;
    m_timeout.stop();
    if (!accept) {
        fail(LoginEvent::E_LOCAL_VERDICT_REJECT, tr("You refused the other device's signature; nothing was sent."));
        return;
    }
    fire(LoginEvent::E_LOCAL_VERDICT_ACCEPT);
    verifyAndMark();
}

void LoginFlow::verifyAndMark()
{
    Proof proof{m_challenge->message, m_challenge->hash, m_challenge->nonce(), m_signatures};
    // Verify exactly as the parent will, then mark the nonce durably, on a worker.
    runInBackground(
        [proof, db = m_options.walletDatabase, &clock = m_clock]() -> std::pair<LoginEvent, QString> {
            if (auto ok = ProofVerifier::verify(proof, clock); !ok)
                return {LoginEvent::E_PROOF_INVALID, ok.error().message};
            auto store = WalletStore::open(db);
            if (!store)
                return {LoginEvent::E_ERROR, store.error().message};
            if (auto marked = store->markNonceUsed(proof.nonce, proof.hash, clock.nowSeconds()); !marked)
                return {marked.error().code == QLatin1String("nonce_used") ? LoginEvent::E_NONCE_REUSED
                                                                           : LoginEvent::E_ERROR,
                        marked.error().message};
            return {LoginEvent::E_NONCE_MARKED, QString()};
        },
        [this](std::pair<LoginEvent, QString> outcome) {
            if (outcome.first == LoginEvent::E_PROOF_INVALID || outcome.first == LoginEvent::E_ERROR) {
                fail(outcome.first, outcome.second);
                return;
            }
            fire(LoginEvent::E_PROOF_VALID);
            if (outcome.first == LoginEvent::E_NONCE_REUSED) {
                fail(outcome.first, outcome.second);
                return;
            }
            fire(LoginEvent::E_NONCE_MARKED);
            sendProof();
        });
}

void LoginFlow::sendProof()
{
    const Proof proof{m_challenge->message, m_challenge->hash, m_challenge->nonce(), m_signatures};
    m_sender->send(m_challenge->message.callback, proof.toBytes());
}

void LoginFlow::onSent(bool ok, const QString& detail)
{
    if (m_machine.state() != LoginState::S_LOGIN_SEND_PROOF)
        return;
    if (!ok) {
        fail(LoginEvent::E_PARENT_REJECTED, detail);
        return;
    }
    fire(LoginEvent::E_PARENT_ACCEPTED);
    recordHistory(true, detail);
    Q_EMIT finished(true, detail);
}

void LoginFlow::cancel()
{
    if (m_machine.state() == LoginState::S_LOGIN_COLLECT_SIGNATURES)
        m_transport->stopCollecting();
    fail(LoginEvent::E_CANCEL, tr("Login cancelled."));
}

void LoginFlow::recordHistory(bool success, const QString& reason)
{
    if (m_options.walletDatabase.isEmpty())
        return;
    LoginRecord record{m_clock.nowSeconds(), m_challenge ? m_challenge->message.service : QString(),
                       m_challenge ? m_challenge->hash : QString(),
                       success ? QStringLiteral("success") : QStringLiteral("failure"), reason};
    // On the flow's worker, after any pending write; nobody waits for it (the future is dropped
    // on purpose: the pool's destructor waits for the write).
    (void)QtConcurrent::run(&m_pool, [db = m_options.walletDatabase, record] {
        auto store = WalletStore::open(db);
        if (!store) {
            qCWarning(lcLogin) << "login history not written:" << store.error().message;
            return;
        }
        if (auto r = store->recordLogin(record); !r)
            qCWarning(lcLogin) << "login history not written:" << r.error().message;
    });
}

QString LoginFlow::signingLink() const
{
    if (!m_challenge)
        return {};
    return QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2").arg(m_challenge->hash, m_challenge->nonce());
}

int LoginFlow::remainingMs() const
{
    return m_timeout.isActive() ? m_timeout.remainingTime() : 0;
}

} // namespace uw
