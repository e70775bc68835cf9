#include "models/LoginModel.h"

#include "devices/RelayLoginTransport.h"
#include "login/HttpProofSender.h"
#include "login/LoginFlow.h"
#include "models/RelayRuntime.h"

namespace uw::ui {

LoginModel::LoginModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, MemberDocument member,
                       QString walletDatabase, int timeoutSeconds, QObject* parent)
    : QObject(parent), m_runtime(runtime), m_keys(std::move(keys)), m_member(std::move(member)),
      m_walletDatabase(std::move(walletDatabase)), m_timeoutSeconds(timeoutSeconds)
{}

LoginModel::~LoginModel()
{
    // The flow and its helpers belong to the relay thread: let it delete them.
    if (m_flow) {
        LoginFlow* flow = m_flow;
        m_runtime->run([flow] { delete flow; });
    }
}

void LoginModel::start(const QString& service, const QString& callback)
{
    m_runtime->run([this, service, callback] {
        if (!m_flow) {
            auto* transport = new RelayLoginTransport(m_runtime->pool(), m_keys, SystemClock::instance(), nullptr);
            auto* sender = new HttpProofSender;
            m_flow = new LoginFlow({m_member.id, m_walletDatabase, m_timeoutSeconds * 1000, 5 * 60 * 1000}, m_keys,
                                   transport, sender, SystemClock::instance(), m_runtime->context());
            transport->setParent(m_flow);
            sender->setParent(m_flow);
            // Queued to the GUI thread (this object lives there).
            connect(m_flow, &LoginFlow::stateChanged, this, [this](LoginState s) {
                m_state = s;
                Q_EMIT stateChanged(s);
            });
            connect(m_flow, &LoginFlow::challengeReady, this,
                    [this](const QString&, const QString&, const QString& link) { Q_EMIT linkReady(link); });
            connect(m_flow, &LoginFlow::signatureAdded, this,
                    [this](const LoginSignature& s, bool remote) { Q_EMIT signatureAdded(s.member, s.pair, remote); });
            connect(m_flow, &LoginFlow::confirmationRequested, this, [this](const QList<LoginSignature>& remote) {
                QStringList who;
                for (const LoginSignature& s : remote)
                    who.append(QStringLiteral("%1 (%2…)").arg(s.member, s.pair.left(8)));
                Q_EMIT confirmationRequested(who);
            });
            connect(m_flow, &LoginFlow::finished, this, &LoginModel::finished);
        }
        m_flow->start(
            ChallengeRequest{service, callback, {m_member.requirement()}, true, std::max(300, m_timeoutSeconds + 60)});
    });
}

void LoginModel::answerConfirmation(bool accept)
{
    m_runtime->run([this, accept] {
        if (m_flow)
            m_flow->answerConfirmation(accept);
    });
}

void LoginModel::cancel()
{
    m_runtime->run([this] {
        if (m_flow)
            m_flow->cancel();
    });
}

} // namespace uw::ui
