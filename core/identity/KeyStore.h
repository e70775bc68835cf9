#pragma once

#include "crypto/KeyFile.h"
#include "identity/KeyRing.h"
#include "identity/PairRef.h"

namespace uw {

/// The encrypted key files of a profile (<data>/keys/<pair>.key), one per local pair.
class KeyStore
{
public:
    explicit KeyStore(QString keysDir, KdfParams params = KdfParams::standard());

    /// Generates a new pair (UUID + BIP340 key), writes its encrypted file
    /// (mode 0600, atomic) and returns it. The secret is wiped before returning.
    Result<PairRef> createPair(const QByteArray& passphrase) const;

    /// Encrypts and writes an existing key for `pair` (mode 0600, atomic).
    Result<PairRef> storeKey(const SecretKey& secret, const QString& pair, const QByteArray& passphrase) const;

    /// Decrypts every key of this profile. A wrong passphrase, a damaged ciphertext
    /// or edited key derivation parameters are an error and nothing is changed on disk.
    /// A *.key file that is not a key file at all (stray, truncated) is skipped with
    /// a warning; it is the error only when no key could be unlocked.
    Result<KeyRing> unlock(const QByteArray& passphrase) const;

    /// The pairs that have a key file here (read from the headers, no passphrase needed).
    QList<PairRef> localPairs() const;

private:
    QString m_dir;
    KdfParams m_params;
};

} // namespace uw
