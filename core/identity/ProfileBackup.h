#pragma once

#include "crypto/KeyFile.h"
#include "crypto/SecretKey.h"
#include "identity/Profile.h"
#include "util/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace uw {

/// What a backup holds, as export and restore report it.
struct BackupSummary
{
    QStringList files; ///< the profile's files, relative to its folder ("member.json", "keys/<pair>.key", …)
    qint64 bytes = 0;  ///< size of the backup file
};

/// The encrypted backup of a profile, in one file (docs/PROTOCOL.md, "Profile backup"): the member
/// document and its event, the key files (still encrypted under their own passphrase), the
/// anchoring wallet's key file, settings.ini, services.json and the SQLite stores (a consistent
/// snapshot by VACUUM INTO, never a copy of a live WAL file). The whole is sealed with
/// XChaCha20-Poly1305 under an Argon2id key from the backup passphrase, the header being the
/// associated data, as KeyFile seals a key: a wrong passphrase, an edited header or a flipped
/// byte all fail authentication, before anything is written.
class ProfileBackup
{
public:
    /// The largest backup file read or written: a bigger file is refused before it is read.
    static constexpr qint64 kMaxFileBytes = 256ll * 1024 * 1024;
    /// The fixed header: magic, version, algorithms, Argon2id parameters, salt, nonce, length.
    static constexpr qsizetype kHeaderBytes = 72;

    /// Writes the backup of `profile` to `backupPath` (atomically, mode 0600), then reads it back
    /// and opens it, so that a backup that was reported written is one that restores.
    static Result<BackupSummary> exportTo(const Profile& profile, const QString& backupPath,
                                          const QByteArray& passphrase, KdfParams params = KdfParams::standard());

    /// Restores a backup into `target`, which must not exist or be an empty folder. Everything is
    /// decrypted and checked first, written into a temporary folder beside the target, checked
    /// again (the member document, every key file's header, each SQLite file's integrity), and
    /// only then renamed into place: on any error nothing is left at `target`.
    static Result<BackupSummary> restore(const QString& backupPath, const QByteArray& passphrase,
                                         const Profile& target);

    /// The sealed file for an archive (the format's building blocks, for tests and the fuzzer).
    static Result<QByteArray> seal(const QByteArray& archive, const QByteArray& passphrase, KdfParams params);
    /// The archive inside a sealed file. Errors: "not_a_backup", "backup_version",
    /// "backup_truncated", "kdf_params_out_of_range" (checked before any key derivation), and
    /// "wrong_passphrase" (a wrong passphrase or an altered file: authentication cannot tell).
    static Result<SecretBytes> open(const QByteArray& file, const QByteArray& passphrase);
};

} // namespace uw
