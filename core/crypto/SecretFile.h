#pragma once

#include "crypto/SecretKey.h"
#include "util/Result.h"

#include <QString>

namespace uw {

/// Reads a secret a daemon is given in a file (an API token, a passphrase), refusing a file that
/// others could have read or swapped: it must be a regular file (not a symbolic link, opened with
/// O_NOFOLLOW), with no permission bits for group or others (0600 or 0400), not empty once its
/// trailing line breaks are dropped, and at most `maxBytes` long. The refusals ("secret_file"
/// code) name the file and what to change, e.g. "chmod 600 FILE".
Result<SecretBytes> readSecretFile(const QString& path, qsizetype maxBytes = 4096);

} // namespace uw
