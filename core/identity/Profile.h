#pragma once

#include "util/Result.h"

#include <QString>

namespace uw {

/// Where one device's data lives. Two profiles on one machine are two devices:
/// `--profile NAME` picks <AppData>/profiles/NAME, `--data-dir` any folder.
class Profile
{
public:
    /// Resolves the data directory: `dataDir` wins, else the named profile
    /// ("default" when empty) under the platform's application data location.
    static Result<Profile> resolve(const QString& profileName, const QString& dataDir);

    /// Creates the directory (mode 0700) if needed.
    Result<void> ensureExists() const;

    const QString& name() const { return m_name; }
    const QString& dataDir() const { return m_dir; }
    QString memberFile() const;
    QString keysDir() const;
    QString walletDatabase() const;
    QString settingsFile() const;
    /// The anchoring store (SQLite): the wallet's UTXOs, the anchor queue, the recent chain.
    QString anchorDatabase() const;
    /// The anchoring wallet's key, encrypted like the login keys but kept apart from them (not in keysDir()).
    QString anchorKeyFile() const;
    /// The last signed member document event, as published on the relays.
    QString memberEventFile() const;
    /// The services the dashboard checks (JSON array), when the profile has its own list.
    QString servicesFile() const;
    bool isInitialized() const;

private:
    QString m_name;
    QString m_dir;
};

} // namespace uw
