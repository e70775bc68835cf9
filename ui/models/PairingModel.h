#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"
#include "util/Clock.h"

#include <QObject>
#include <memory>

namespace uw {
class PairingOffer;
class PairingJoin;
} // namespace uw

namespace uw::ui {

class RelayRuntime;

/// The GUI's facade over pairing, both sides. The protocol objects run on the relay thread,
/// reached through queued calls; the new key is sealed (Argon2id) and the member document
/// written on a worker, never on the GUI or the relay thread.
class PairingModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PairingModel)
public:
    PairingModel(RelayRuntime* runtime, Profile profile, const Clock& clock, QObject* parent = nullptr);
    ~PairingModel() override;

    /// Device 1: offer a pairing for `member`, signed with `keys`. Answers linkReady(), requestReceived(), paired() or
    /// failed().
    void offer(std::shared_ptr<const KeyRing> keys, const MemberDocument& member, int timeoutSeconds);
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

private:
    /// Ends the current offer or join; its answers still queued are dropped.
    void clear();
    void finishOnDisk(std::function<QString()> work, const MemberDocument& member);

    RelayRuntime* m_runtime;
    Profile m_profile;
    const Clock& m_clock;
    // Built here, owned by the relay thread (RelayRuntime::adopt); the pointers are only used on this thread.
    PairingOffer* m_offer = nullptr;
    PairingJoin* m_join = nullptr;
    quint64 m_generation = 0;
};

} // namespace uw::ui
