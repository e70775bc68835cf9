#include "models/PairingModel.h"

#include "crypto/SecretKey.h"
#include "devices/Pairing.h"
#include "identity/KeyStore.h"
#include "models/Background.h"
#include "models/Generation.h"
#include "models/RelayRuntime.h"

namespace uw::ui {

PairingModel::PairingModel(RelayRuntime* runtime, Profile profile, const Clock& clock, QObject* parent)
    : QObject(parent), m_runtime(runtime), m_profile(std::move(profile)), m_clock(clock)
{
    qRegisterMetaType<MemberDocument>();
    qRegisterMetaType<std::shared_ptr<const SecretKey>>();
}

PairingModel::~PairingModel()
{
    clear();
}

void PairingModel::clear()
{
    ++m_generation;
    if (m_offer)
        m_offer->deleteLater();
    if (m_join)
        m_join->deleteLater();
    m_offer = nullptr;
    m_join = nullptr;
}

void PairingModel::finishOnDisk(std::function<QString()> work, const MemberDocument& member)
{
    const quint64 generation = m_generation;
    runInBackground(this, std::move(work), [this, generation, member](const QString& error) {
        if (generation != m_generation)
            return;
        if (!error.isEmpty())
            Q_EMIT failed(error);
        else
            Q_EMIT paired(member);
    });
}

void PairingModel::offer(std::shared_ptr<const KeyRing> keys, const MemberDocument& member, int timeoutSeconds)
{
    clear();
    const quint64 generation = m_generation;
    m_offer = new PairingOffer(m_runtime->pool(), std::move(keys), member, m_clock);
    connect(m_offer, &PairingOffer::requestReceived, this,
            emitIfCurrent(this, &PairingModel::requestReceived, &m_generation));
    connect(m_offer, &PairingOffer::failed, this, emitIfCurrent(this, &PairingModel::failed, &m_generation));
    connect(m_offer, &PairingOffer::paired, this,
            [this, generation](const QString&, const QString&, const QMap<QString, bool>&, const MemberDocument& doc) {
                if (generation != m_generation)
                    return;
                finishOnDisk(
                    [doc, path = m_profile.memberFile()] {
                        auto saved = doc.save(path);
                        return saved ? QString() : saved.error().message;
                    },
                    doc);
            });
    m_runtime->adopt(m_offer);
    RelayRuntime::call(
        m_offer, [timeoutMs = timeoutSeconds * 1000](PairingOffer* offer) { return offer->start(timeoutMs); }, this,
        emitIfCurrent(this, &PairingModel::linkReady, &m_generation));
}

void PairingModel::confirm(bool accept)
{
    if (m_offer)
        RelayRuntime::call(m_offer, [accept](PairingOffer* offer) { offer->confirm(accept); });
}

void PairingModel::join(const QString& link, const QByteArray& passphrase, int timeoutSeconds)
{
    clear();
    const quint64 generation = m_generation;
    auto secret = std::make_shared<SecretBytes>(QByteArray(passphrase));
    m_join = new PairingJoin(m_runtime->pool(), m_clock);
    connect(m_join, &PairingJoin::fingerprintReady, this,
            emitIfCurrent(this, &PairingModel::fingerprintReady, &m_generation));
    connect(m_join, &PairingJoin::failed, this, emitIfCurrent(this, &PairingModel::failed, &m_generation));
    connect(m_join, &PairingJoin::joined, this,
            [this, generation, secret](const MemberDocument& doc, const PairRef& pair,
                                       std::shared_ptr<const SecretKey> key) {
                if (generation != m_generation)
                    return;
                Q_EMIT joinAccepted();
                // Sealing the key (Argon2id) takes a while: a worker's job, not the relay thread's.
                finishOnDisk(
                    [profile = m_profile, doc, pair, key, secret]() -> QString {
                        if (auto dir = profile.ensureExists(); !dir)
                            return dir.error().message;
                        if (auto stored = KeyStore(profile.keysDir()).storeKey(*key, pair.pair, secret->bytes());
                            !stored)
                            return stored.error().message;
                        auto saved = doc.save(profile.memberFile());
                        return saved ? QString() : saved.error().message;
                    },
                    doc);
            });
    m_runtime->adopt(m_join);
    RelayRuntime::call(m_join,
                       [link, timeoutMs = timeoutSeconds * 1000](PairingJoin* join) { join->start(link, timeoutMs); });
}

} // namespace uw::ui
