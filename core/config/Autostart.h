#pragma once

#include "util/Result.h"

#include <QString>

namespace uw {

/// Starting the wallet when the user logs in, the freedesktop way: a desktop entry in
/// $XDG_CONFIG_HOME/autostart (~/.config/autostart), one per profile, that starts the wallet
/// minimised to the system tray so that it can be asked by push. Written atomically; removing it
/// is turning the setting off.
namespace autostart {

/// The entry's path for `profile` (empty: the default profile).
QString entryPath(const QString& profile);
bool isEnabled(const QString& profile);
/// Writes (or removes) the entry; `executable` is the wallet's absolute path.
Result<void> setEnabled(const QString& profile, bool enabled, const QString& executable);

} // namespace autostart
} // namespace uw
