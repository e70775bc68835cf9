#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"

#include <QObject>
#include <memory>

namespace uw {
class PairingOffer;
class PairingJoin;
} // namespace uw

namespace uw::ui {

class RelayRuntime;

/// The GUI's facade over pairing, both sides. The protocol objects run on the relay
/// thread; the new key is written (encrypted) there too, never on the GUI thread.
class PairingModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PairingModel)
public:
    PairingModel(RelayRuntime* runtime, Profile profile, QObject* parent = nullptr);
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
    void paired(const uw::MemberDocument& member);
    void failed(const QString& reason);

private:
    void clear();
    RelayRuntime* m_runtime;
    Profile m_profile;
    PairingOffer* m_offer = nullptr; ///< relay thread
    PairingJoin* m_join = nullptr;   ///< relay thread
};

} // namespace uw::ui
