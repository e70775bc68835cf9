#include "models/PairingModel.h"

#include "crypto/SecretKey.h"
#include "devices/MemberChain.h"
#include "devices/MemberUpdater.h"
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
    qRegisterMetaType<LocalMember>();
}

PairingModel::~PairingModel()
{
    clear();
    clearRename();
}

void PairingModel::clearRename()
{
    ++m_renameGeneration;
    if (m_updater)
        m_updater->deleteLater();
    m_updater = nullptr;
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
    // The profile's copy may be a later version than the window's (a rename since): read it first.
    runInBackground(
        this, [profile = m_profile] { return LocalMember::load(profile); },
        [this, generation, keys = std::move(keys), member, timeoutSeconds](const Result<LocalMember>& local) {
            if (generation != m_generation)
                return;
            if (local && local->document.id == member.id && local->document.version >= member.version)
                startOffer(keys, local->document, local->event, timeoutSeconds);
            else
                startOffer(keys, member, std::nullopt, timeoutSeconds);
        });
}

void PairingModel::startOffer(std::shared_ptr<const KeyRing> keys, const MemberDocument& member,
                              const std::optional<NostrEvent>& baseEvent, int timeoutSeconds)
{
    const quint64 generation = m_generation;
    m_offer = new PairingOffer(m_runtime->pool(), std::move(keys), member, m_clock);
    m_offer->setBaseEvent(baseEvent);
    connect(m_offer, &PairingOffer::requestReceived, this,
            emitIfCurrent(this, &PairingModel::requestReceived, &m_generation));
    connect(m_offer, &PairingOffer::failed, this, emitIfCurrent(this, &PairingModel::failed, &m_generation));
    connect(m_offer, &PairingOffer::paired, this,
            [this, generation](const QString&, const QString&, const QMap<QString, bool>&, const MemberDocument& doc,
                               const NostrEvent& event) {
                if (generation != m_generation)
                    return;
                finishOnDisk(
                    [local = LocalMember{doc, event}, profile = m_profile] {
                        auto saved = local.save(profile);
                        return saved ? QString() : saved.error().message;
                    },
                    doc);
            });
    m_runtime->adopt(m_offer);
    RelayRuntime::call(
        m_offer, [timeoutMs = timeoutSeconds * 1000](PairingOffer* offer) { return offer->start(timeoutMs); }, this,
        emitIfCurrent(this, &PairingModel::linkReady, &m_generation));
}

void PairingModel::rename(std::shared_ptr<const KeyRing> keys, const QString& label, int fetchTimeoutSeconds)
{
    if (const QString problem = MemberDocument::labelProblem(label); !problem.isEmpty() || !keys) {
        clearRename();
        //: A device's new name was refused; %1 says why (in English, from the protocol's rules).
        Q_EMIT renameFailed(tr("This name cannot be used: %1.").arg(problem));
        return;
    }
    changeMember(
        keys, [keys, label](MemberDocument& doc) { return memberchain::labelLocalPairs(doc, *keys, label); },
        fetchTimeoutSeconds, &PairingModel::renameProgress, &PairingModel::renameFailed,
        [this](const MemberDocument& doc) { Q_EMIT renamed(doc); });
}

void PairingModel::removeDevice(std::shared_ptr<const KeyRing> keys, const QString& pair, int fetchTimeoutSeconds)
{
    if (!keys) {
        clearRename();
        //: Removing a device is not possible: this window holds no unlocked key.
        Q_EMIT removeFailed(tr("This device holds no unlocked key of the member."));
        return;
    }
    changeMember(
        keys,
        [local = memberchain::heldPairs(*keys), pair](MemberDocument& doc) {
            return memberchain::removePair(doc, local, pair);
        },
        fetchTimeoutSeconds, &PairingModel::removeProgress, &PairingModel::removeFailed,
        [this, pair](const MemberDocument& doc) { Q_EMIT removed(doc, pair); });
}

void PairingModel::changeMember(std::shared_ptr<const KeyRing> keys,
                                std::function<Result<void>(MemberDocument&)> change, int fetchTimeoutSeconds,
                                void (PairingModel::*progress)(const QString&),
                                void (PairingModel::*failure)(const QString&),
                                std::function<void(const MemberDocument&)> done)
{
    clearRename();
    const quint64 generation = m_renameGeneration;
    //: Progress while changing the member document (renaming this device, removing another).
    Q_EMIT(this->*progress)(tr("Reading this device's member document…"));
    runInBackground(
        this, [profile = m_profile] { return LocalMember::load(profile); },
        [this, generation, keys, change = std::move(change), fetchTimeoutSeconds, progress, failure,
         done = std::move(done)](const Result<LocalMember>& local) {
            if (generation != m_renameGeneration)
                return;
            if (!local) {
                Q_EMIT(this->*failure)(local.error().message);
                return;
            }
            m_updater = new MemberUpdater(m_runtime->pool(), keys, m_clock);
            connect(m_updater, &MemberUpdater::progress, this, emitIfCurrent(this, progress, &m_renameGeneration));
            connect(m_updater, &MemberUpdater::failed, this, emitIfCurrent(this, failure, &m_renameGeneration));
            connect(m_updater, &MemberUpdater::updated, this,
                    [this, generation, progress, failure, done](const LocalMember& result, const QMap<QString, bool>&) {
                        if (generation != m_renameGeneration)
                            return;
                        //: Progress while changing the member document: the new version is written to the profile.
                        Q_EMIT(this->*progress)(tr("Saving version %1 on this device…").arg(result.document.version));
                        runInBackground(
                            this,
                            [result, profile = m_profile] {
                                auto saved = result.save(profile);
                                return saved ? QString() : saved.error().message;
                            },
                            [this, generation, failure, done, doc = result.document](const QString& error) {
                                if (generation != m_renameGeneration)
                                    return;
                                if (error.isEmpty())
                                    done(doc);
                                else
                                    Q_EMIT(this->*failure)(error);
                            });
                    });
            m_runtime->adopt(m_updater);
            RelayRuntime::call(m_updater, [local = *local, change, timeoutMs = fetchTimeoutSeconds * 1000](
                                              MemberUpdater* updater) { updater->update(local, change, timeoutMs); });
        });
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
                                       std::shared_ptr<const SecretKey> key, const NostrEvent& event) {
                if (generation != m_generation)
                    return;
                Q_EMIT joinAccepted();
                // Sealing the key (Argon2id) takes a while: a worker's job, not the relay thread's.
                finishOnDisk(
                    [profile = m_profile, doc, event, pair, key, secret]() -> QString {
                        if (auto dir = profile.ensureExists(); !dir)
                            return dir.error().message;
                        if (auto stored = KeyStore(profile.keysDir()).storeKey(*key, pair.pair, secret->bytes());
                            !stored)
                            return stored.error().message;
                        auto saved = LocalMember{doc, event}.save(profile);
                        return saved ? QString() : saved.error().message;
                    },
                    doc);
            });
    m_runtime->adopt(m_join);
    RelayRuntime::call(m_join,
                       [link, timeoutMs = timeoutSeconds * 1000](PairingJoin* join) { join->start(link, timeoutMs); });
}

} // namespace uw::ui
