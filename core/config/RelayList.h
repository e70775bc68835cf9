#pragma once

#include "util/Result.h"

#include <QString>
#include <QStringList>

namespace uw {

/// Checks a comma-separated relay list (a setting, RELAY_URLS, --relays): ws:// or wss:// URLs
/// with a host, each kept once in the order given. The error names the bad entry.
Result<QStringList> parseRelayList(const QString& commaSeparated);

} // namespace uw
