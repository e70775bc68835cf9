#pragma once

#include "crypto/SecretKey.h"
#include "util/Result.h"

#include <QByteArray>
#include <QString>

namespace uw {

/// Cost of the passphrase key derivation (Argon2id). Stored in each key file so
/// that files stay readable when the default changes.
struct KdfParams
{
    unsigned long long opsLimit;
    std::size_t memLimit;

    /// The default: 3 passes over 64 MiB (about 0.2 s on this project's reference machine).
    static KdfParams standard();
};

/// Encrypts secret keys at rest: Argon2id(passphrase, salt) -> XChaCha20-Poly1305.
/// The file's header (pair, public key, KDF parameters) is authenticated data, so
/// editing any of it is detected like a corrupted ciphertext.
class KeyFile
{
public:
    /// The serialized (JSON) file for `secret`.
    static Result<QByteArray> seal(const SecretKey& secret, const QByteArray& passphrase, const QString& pairId,
                                   const QString& pubkeyHex, KdfParams params = KdfParams::standard());

    /// Decrypts a file made by seal(). Errors: "wrong_passphrase" (authentication
    /// failed: a wrong passphrase or a damaged ciphertext, which AEAD cannot tell
    /// apart) and "corrupt_key_file" (not a key file, or a key that does not match
    /// its public key), "kdf_params_out_of_range" (the header asks for a key
    /// derivation costlier than 4x KdfParams::standard(): refused before any
    /// derivation, as the header is only authenticated after it). Nothing is ever written.
    static Result<SecretKey> open(const QByteArray& fileContents, const QByteArray& passphrase);

    /// The pair and public key a file claims, without decrypting it.
    struct Header
    {
        QString pairId;
        QString pubkeyHex;
    };
    static Result<Header> readHeader(const QByteArray& fileContents);

    /// Writes a sealed file at `path` atomically, readable by its owner only: the mode is set
    /// on the temporary file before anything is written, so the secret never sits on disk with
    /// wider permissions, and a crash leaves the old file or the new one, never half of one.
    static Result<void> write(const QString& path, const QByteArray& sealed);
    /// Reads a key file (at most kMaxBytes: a key file is a few hundred bytes).
    static Result<QByteArray> read(const QString& path);
    static constexpr qint64 kMaxBytes = 64 * 1024;
};

} // namespace uw
