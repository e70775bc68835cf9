#pragma once

#include "config/Settings.h"
#include "crypto/SecretKey.h"
#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

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
    bool allowWeakPassphrase = false; ///< --allow-weak-passphrase: a new key's passphrase skips PassphrasePolicy
    QStringList relayUrls;            ///< --relays, else RELAY_URLS, else the profile's settings

    Result<Profile> profile() const;

    /// The passphrase from --passphrase-file, USERWALLET_PASSPHRASE, or a prompt
    /// on the terminal (no echo). `confirm` is for a new key's passphrase: the prompt asks twice,
    /// and PassphrasePolicy must accept it (error "weak_passphrase") unless
    /// --allow-weak-passphrase was given. An existing key's passphrase is never checked.
    Result<SecretBytes> passphrase(bool confirm) const;

    /// The profile's settings with the environment applied, then --relays on top.
    Result<Settings> settings(const Profile& profile) const;

    /// Everything a command that signs needs: the profile, its settings, its member and its unlocked keys.
    struct Identity
    {
        Profile profile;
        Settings settings;
        MemberDocument member;
        std::shared_ptr<KeyRing> keys;
    };
    Result<Identity> unlockIdentity() const;

    /// Asks a yes/no question on the terminal without blocking the event loop; `answer`
    /// gets false when there is no terminal. Returns false at once if none is available.
    static bool askOnTerminal(const QString& question, QObject* context, std::function<void(bool)> answer);
    /// Like askOnTerminal, for a line of text (without its end of line); nullopt when the
    /// terminal closed before an answer.
    static bool askLineOnTerminal(const QString& question, QObject* context,
                                  std::function<void(std::optional<QString>)> answer);

    static void printJson(const QJsonObject& object);
    static void info(const QString& message);
    /// Prints the error (stderr, and as {"error":code,"message":...} on stdout) and returns the exit code 1.
    static int fail(const Error& error);

private:
    Result<SecretBytes> readPassphrase(bool confirm) const;
};

} // namespace uw::cli
