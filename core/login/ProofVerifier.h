#pragma once

#include "login/Proof.h"
#include "util/Clock.h"

namespace uw {

/// Verifies a proof with nothing but the proof itself and the time (docs/PROTOCOL.md, "Verifying a proof").
/// The nonce-reuse rule needs a store and is checked by NonceStore::markUsed().
///
/// Error codes, one per rule:
///  - hash_mismatch: hash is not SHA-256 of the message's canonical JSON
///  - nonce_mismatch: the proof's nonce is not the message's
///  - validity_too_long: expires_at - created_at above the maximum (a login is not a standing credential)
///  - expired / not_yet_valid: outside [created_at - skew, expires_at]
///  - signature_invalid: a BIP340 signature does not verify (strict) — ignored otherwise
///  - unauthorized_key: a signature's member or pair or key is not in the login path (strict) — ignored otherwise
///  - insufficient_signatures: a member lacks cardinalite_minimale distinct pairs
///  - dependency_unsatisfied: a depends_on member is missing or unsatisfied
class ProofVerifier
{
public:
    /// Tolerated clock skew for created_at in the future.
    static constexpr std::int64_t kMaxClockSkewSeconds = 300;
    /// The longest a login may stay valid (expires_at - created_at). The wallet builds logins of
    /// 5 minutes; a message open for longer is refused, whoever wrote it.
    static constexpr std::int64_t kMaxValiditySeconds = 600;

    static Result<void> verify(const Proof& proof, const Clock& clock,
                               std::int64_t maxValiditySeconds = kMaxValiditySeconds);
};

} // namespace uw
