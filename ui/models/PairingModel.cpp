#include "models/PairingModel.h"

#include "crypto/SecretKey.h"
#include "devices/Pairing.h"
#include "identity/KeyStore.h"
#include "models/RelayRuntime.h"

namespace uw::ui {

PairingModel::PairingModel(RelayRuntime* runtime, Profile profile, QObject* parent)
    : QObject(parent), m_runtime(runtime), m_profile(std::move(profile))
{
    qRegisterMetaType<MemberDocument>();
}

PairingModel::~PairingModel()
{
    PairingOffer* offer = m_offer;
    PairingJoin* join = m_join;
    if (offer || join)
        m_runtime->run([offer, join] {
            delete offer;
            delete join;
        });
}

void PairingModel::clear()
{
    delete m_offer;
    delete m_join;
    m_offer = nullptr;
    m_join = nullptr;
}

void PairingModel::offer(std::shared_ptr<const KeyRing> keys, const MemberDocument& member, int timeoutSeconds)
{
    m_runtime->run([this, keys, member, timeoutSeconds] {
        clear();
        m_offer = new PairingOffer(m_runtime->pool(), keys, member, SystemClock::instance(), m_runtime->context());
        connect(m_offer, &PairingOffer::requestReceived, this,
                [this](const QString& fp) { Q_EMIT requestReceived(fp); });
        connect(m_offer, &PairingOffer::failed, this, &PairingModel::failed);
        PairingOffer* offer = m_offer;
        connect(m_offer, &PairingOffer::paired, m_offer, [this, offer] {
            // On the relay thread: the updated member document reaches the disk here.
            if (auto ok = offer->member().save(m_profile.memberFile()); !ok) {
                Q_EMIT failed(ok.error().message);
                return;
            }
            Q_EMIT paired(offer->member());
        });
        Q_EMIT linkReady(m_offer->start(timeoutSeconds * 1000));
    });
}

void PairingModel::confirm(bool accept)
{
    m_runtime->run([this, accept] {
        if (m_offer)
            m_offer->confirm(accept);
    });
}

void PairingModel::join(const QString& link, const QByteArray& passphrase, int timeoutSeconds)
{
    auto secret = std::make_shared<SecretBytes>(QByteArray(passphrase));
    m_runtime->run([this, link, secret, timeoutSeconds] {
        clear();
        m_join = new PairingJoin(m_runtime->pool(), SystemClock::instance(), m_runtime->context());
        connect(m_join, &PairingJoin::fingerprintReady, this, &PairingModel::fingerprintReady);
        connect(m_join, &PairingJoin::failed, this, &PairingModel::failed);
        PairingJoin* join = m_join;
        connect(m_join, &PairingJoin::joined, m_join, [this, join, secret](const MemberDocument& doc) {
            auto dir = m_profile.ensureExists();
            auto pair = dir ? KeyStore(m_profile.keysDir()).storeKey(join->secret(), join->pair().pair, secret->bytes())
                            : Result<PairRef>(dir.error());
            if (!pair) {
                Q_EMIT failed(pair.error().message);
                return;
            }
            if (auto ok = doc.save(m_profile.memberFile()); !ok) {
                Q_EMIT failed(ok.error().message);
                return;
            }
            Q_EMIT paired(doc);
        });
        m_join->start(link, timeoutSeconds * 1000);
    });
}

} // namespace uw::ui
