#pragma once

#include "crypto/SecretKey.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <memory>

namespace uw {

/// The unlocked secret keys of this device, by pair UUID. Lives only in memory;
/// every key is wiped when removed or when the ring goes away.
class KeyRing
{
public:
    KeyRing() = default;
    KeyRing(KeyRing&&) = default;
    KeyRing& operator=(KeyRing&&) = default;
    KeyRing(const KeyRing&) = delete;
    KeyRing& operator=(const KeyRing&) = delete;

    /// Adds the key for `pair`, whose x-only public key is `pubkeyHex`.
    void add(const QString& pair, const QString& pubkeyHex, SecretKey key);
    const SecretKey* secret(const QString& pair) const;
    QString pubkey(const QString& pair) const { return m_pubkeys.value(pair); }
    bool contains(const QString& pair) const { return m_keys.contains(pair); }
    QStringList pairs() const { return m_keys.keys(); }
    bool isEmpty() const { return m_keys.isEmpty(); }
    void clear();

private:
    QHash<QString, std::shared_ptr<SecretKey>> m_keys;
    QHash<QString, QString> m_pubkeys;
};

} // namespace uw
