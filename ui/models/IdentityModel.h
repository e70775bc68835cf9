#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"

#include <QObject>
#include <memory>

namespace uw::ui {

/// Creating or unlocking this device's identity. Key derivation (Argon2id) and the key files
/// run on a worker; the answer comes back as a signal. Passphrases are wiped after use.
class IdentityModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdentityModel)
public:
    explicit IdentityModel(Profile profile, QObject* parent = nullptr);

    const Profile& profile() const { return m_profile; }
    void create(const QString& memberId, const QString& name, int cardinality, QString passphrase);
    void unlock(QString passphrase);

    /// A rough strength of a passphrase, 0 (empty) to 4 (strong), from its length and variety.
    static int strength(const QString& passphrase);

Q_SIGNALS:
    void ready(const uw::MemberDocument& member, std::shared_ptr<const uw::KeyRing> keys);
    void failed(const QString& reason);

private:
    Profile m_profile;
};

} // namespace uw::ui

Q_DECLARE_METATYPE(std::shared_ptr<const uw::KeyRing>)
