#pragma once

#include "identity/MemberDocument.h"
#include "login/LoginMessage.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <cstdint>

namespace uw {

/// What device 2 holds a login message to before it shows it for signing. The message comes from
/// whoever published it on an untrusted relay, so it can claim anything about the member: device 2
/// checks it against the member document it holds, not against the message's own claims.
struct CoSignPolicy
{
    Q_DECLARE_TR_FUNCTIONS(CoSignPolicy)

public:
    /// Logins are short-lived; a signature valid for years is a standing credential.
    static constexpr std::int64_t kDefaultMaxValiditySeconds = 600;
    /// Clocks of two devices disagree a little; this much is tolerated on `created_at`.
    static constexpr std::int64_t kClockSkewSeconds = 60;

    MemberDocument member; ///< this device's member, as its signed document says
    std::int64_t maxValiditySeconds = kDefaultMaxValiditySeconds;

    /// Ok, or the reason, in words a person understands, why nothing may be signed:
    /// `weaker_requirement` (fewer devices than the document requires), `unknown_pair` (a device
    /// of the member that the document does not list), `validity_too_long` (open longer than the
    /// maximum, or created in the future), `stranger_author` (published by a key that is no device
    /// of any member the message names), `member_not_in_login`.
    Result<void> check(const LoginMessage& message, const QString& authorPubkey, std::int64_t nowSeconds) const;
};

} // namespace uw
