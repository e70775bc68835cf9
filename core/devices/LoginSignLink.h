#pragma once

#include "util/Result.h"

#include <QString>

namespace uw {

/// The device-2 link: userwallet://login-sign?hash=HEX64&nonce=HEX32,
/// or the same query on https://host/login-sign. Parsed strictly: anything else
/// is refused with a sentence saying what is wrong, and nothing is signed.
struct LoginSignLink
{
    QString hash;
    QString nonce;

    QString toString() const;
    static Result<LoginSignLink> parse(const QString& text);
};

} // namespace uw
