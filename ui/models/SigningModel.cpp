#include "models/SigningModel.h"

#include "devices/CoSigner.h"
#include "models/Generation.h"
#include "models/RelayRuntime.h"

namespace uw::ui {

SigningModel::SigningModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, CoSignPolicy policy,
                           const Clock& clock, QObject* parent)
    : QObject(parent), m_runtime(runtime), m_keys(std::move(keys)), m_policy(std::move(policy)), m_clock(clock)
{
    qRegisterMetaType<SigningRequest>();
}

SigningModel::~SigningModel()
{
    if (m_signer)
        m_signer->deleteLater();
}

void SigningModel::open(const QString& link)
{
    CoSigner* signer = newSigner();
    RelayRuntime::call(signer, [link](CoSigner* s) { s->open(link); });
}

void SigningModel::review(const Challenge& challenge)
{
    CoSigner* signer = newSigner();
    RelayRuntime::call(signer, [challenge](CoSigner* s) { s->review(challenge); });
}

CoSigner* SigningModel::newSigner()
{
    if (m_signer)
        m_signer->deleteLater(); // a new link starts afresh
    const quint64 generation = ++m_generation;
    m_signer = new CoSigner(m_runtime->pool(), m_keys, m_policy, m_clock);
    connect(m_signer, &CoSigner::messageReady, this, [this, generation](const Challenge& c) {
        if (generation != m_generation)
            return;
        SigningRequest r{c.message.service,
                         c.message.callback,
                         QUrl(c.message.callback).host(),
                         QDateTime::fromSecsSinceEpoch(c.message.createdAt),
                         QDateTime::fromSecsSinceEpoch(c.message.expiresAt),
                         {},
                         c.hash};
        for (const MemberRequirement& m : c.message.members)
            r.members.append(m.id);
        Q_EMIT requestReady(r);
    });
    connect(m_signer, &CoSigner::published, this, emitIfCurrent(this, &SigningModel::published, &m_generation));
    connect(m_signer, &CoSigner::failed, this, emitIfCurrent(this, &SigningModel::failed, &m_generation));
    connect(m_signer, &CoSigner::declined, this, [this, generation] {
        if (generation == m_generation)
            Q_EMIT declined();
    });
    m_runtime->adopt(m_signer);
    return m_signer;
}

void SigningModel::sign(int typedNumber)
{
    if (m_signer)
        RelayRuntime::call(m_signer, [typedNumber](CoSigner* signer) { signer->sign(typedNumber); });
}

void SigningModel::decline()
{
    if (m_signer)
        RelayRuntime::call(m_signer, [](CoSigner* signer) { signer->decline(); });
}

} // namespace uw::ui
