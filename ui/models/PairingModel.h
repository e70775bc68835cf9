#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"
#include "relay/NostrEvent.h"
#include "util/Clock.h"

#include <QObject>
#include <functional>
#include <memory>

namespace uw {
class PairingOffer;
class PairingJoin;
class MemberUpdater;
} // namespace uw

namespace uw::ui {

class RelayRuntime;

/// The GUI's facade over pairing, both sides, and over the member document's other changes (this
/// device's label). The protocol objects run on the relay thread, reached through queued calls;
/// the new key is sealed (Argon2id) and the member document read and written on a worker, never on
/// the GUI or the relay thread.
class PairingModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PairingModel)
public:
    PairingModel(RelayRuntime* runtime, Profile profile, const Clock& clock, QObject* parent = nullptr);
    ~PairingModel() override;

    /// Device 1: offer a pairing for `member`, signed with `keys`. Answers linkReady(), requestReceived(), paired() or
    /// failed(). The profile's own copy of the member is read first (on a worker): when it is a later
    /// version of `member` (this device was renamed since), the pairing follows it.
    void offer(std::shared_ptr<const KeyRing> keys, const MemberDocument& member, int timeoutSeconds);
    /// Renames this device: reads the profile's member document (worker), the versions the relays
    /// hold after it, then publishes the next version with every pair of `keys` labelled `label`,
    /// signed by this device (relay thread), and stores it (worker). Answers renameProgress(), then
    /// renamed() or renameFailed(). A rename under way is abandoned by the next one.
    void rename(std::shared_ptr<const KeyRing> keys, const QString& label, int fetchTimeoutSeconds = 10);
    /// Removes another device of the member: the same steps as rename(), the next version without
    /// `pair` (memberchain::removePair checks it against the latest version: never this device, never
    /// the last one, never below the member's cardinalite_minimale). Answers removeProgress(), then
    /// removed() or removeFailed(). It abandons a rename under way, and a rename abandons it.
    void removeDevice(std::shared_ptr<const KeyRing> keys, const QString& pair, int fetchTimeoutSeconds = 10);
    void confirm(bool accept);
    /// Device 2: join with the link shown by device 1; the key is sealed with `passphrase`.
    void join(const QString& link, const QByteArray& passphrase, int timeoutSeconds);

Q_SIGNALS:
    void linkReady(const QString& link);
    void requestReceived(const QString& fingerprint);
    void fingerprintReady(const QString& fingerprint);
    /// Device 2: device 1 accepted; the key is being sealed with the passphrase (paired() or failed() follows).
    void joinAccepted();
    void paired(const uw::MemberDocument& member);
    void failed(const QString& reason);
    /// What a rename is doing (reading the relays, publishing), for the person waiting.
    void renameProgress(const QString& step);
    /// The new version, published and stored.
    void renamed(const uw::MemberDocument& member);
    void renameFailed(const QString& reason);
    /// What a removal is doing, for the person waiting.
    void removeProgress(const QString& step);
    /// The new version without the removed device, published and stored.
    void removed(const uw::MemberDocument& member, const QString& pair);
    void removeFailed(const QString& reason);

private:
    /// Ends the current offer or join; its answers still queued are dropped.
    void clear();
    void finishOnDisk(std::function<QString()> work, const MemberDocument& member);
    void startOffer(std::shared_ptr<const KeyRing> keys, const MemberDocument& member,
                    const std::optional<NostrEvent>& baseEvent, int timeoutSeconds);
    void clearRename();
    /// rename() and removeDevice(): from the profile's copy (worker), `change` published after the
    /// latest version (relay thread), stored (worker); `done` receives the stored document.
    void changeMember(std::shared_ptr<const KeyRing> keys, std::function<Result<void>(MemberDocument&)> change,
                      int fetchTimeoutSeconds, void (PairingModel::*progress)(const QString&),
                      void (PairingModel::*failure)(const QString&), std::function<void(const MemberDocument&)> done);

    RelayRuntime* m_runtime;
    Profile m_profile;
    const Clock& m_clock;
    // Built here, owned by the relay thread (RelayRuntime::adopt); the pointers are only used on this thread.
    PairingOffer* m_offer = nullptr;
    PairingJoin* m_join = nullptr;
    MemberUpdater* m_updater = nullptr;
    quint64 m_generation = 0;
    quint64 m_renameGeneration = 0;
};

} // namespace uw::ui
