#include "models/SigningModel.h"

#include "devices/CoSigner.h"
#include "models/RelayRuntime.h"

namespace uw::ui {

SigningModel::SigningModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, QString memberId,
                           QObject* parent)
    : QObject(parent), m_runtime(runtime), m_keys(std::move(keys)), m_memberId(std::move(memberId))
{
    qRegisterMetaType<SigningRequest>();
}

SigningModel::~SigningModel()
{
    if (m_signer) {
        CoSigner* signer = m_signer;
        m_runtime->run([signer] { delete signer; });
    }
}

void SigningModel::open(const QString& link)
{
    m_runtime->run([this, link] {
        delete m_signer; // a new link starts afresh
        m_signer = new CoSigner(m_runtime->pool(), m_keys, m_memberId, SystemClock::instance(), m_runtime->context());
        connect(m_signer, &CoSigner::messageReady, this, [this](const Challenge& c) {
            SigningRequest r{c.message.service,
                             c.message.callback,
                             QDateTime::fromSecsSinceEpoch(c.message.createdAt),
                             QDateTime::fromSecsSinceEpoch(c.message.expiresAt),
                             {},
                             c.hash};
            for (const MemberRequirement& m : c.message.members)
                r.members.append(m.id);
            Q_EMIT requestReady(r);
        });
        connect(m_signer, &CoSigner::published, this, &SigningModel::published);
        connect(m_signer, &CoSigner::failed, this, &SigningModel::failed);
        m_signer->open(link);
    });
}

void SigningModel::sign()
{
    m_runtime->run([this] {
        if (m_signer)
            m_signer->sign();
    });
}

} // namespace uw::ui
