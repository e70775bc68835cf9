#pragma once

#include "crypto/SecretKey.h"
#include "identity/Profile.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QStringList>

namespace uw::cli {

/// Options every command shares, and the small I/O conventions of the CLI:
/// JSON on stdout (one object per line), human messages on stderr, non-zero
/// exit on failure.
class CliContext
{
public:
    QString profileName;
    QString dataDir;
    QString passphraseFile;
    QStringList relayUrls; ///< --relays, else RELAY_URLS, else the profile's settings

    Result<Profile> profile() const;

    /// The passphrase from --passphrase-file, USERWALLET_PASSPHRASE, or a prompt
    /// on the terminal (no echo); `confirm` asks twice (for a new passphrase).
    Result<SecretBytes> passphrase(bool confirm) const;

    static void printJson(const QJsonObject& object);
    static void info(const QString& message);
    /// Prints the error (stderr, and as {"error":code,"message":...} on stdout) and returns the exit code 1.
    static int fail(const Error& error);
};

} // namespace uw::cli
