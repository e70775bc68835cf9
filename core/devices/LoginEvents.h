#pragma once

#include "login/Challenge.h"
#include "login/LoginSignature.h"
#include "relay/NostrFilter.h"

namespace uw {

/// The relay events of a login: kind 9240 carries the canonical
/// message, kind 9241 one signature; both tagged ["h", hash] and with NIP-40's
/// expiration, so relays may drop them once the login is over.
namespace loginEvents {

Result<NostrEvent> messageEvent(const Challenge& challenge, const SecretKey& devicePairKey, std::int64_t now);
Result<NostrEvent> signatureEvent(const Challenge& challenge, const LoginSignature& signature, const SecretKey& pairKey,
                                  std::int64_t now);

/// Reads a 9241 event as a candidate signature (pubkey from the event's author).
/// Structural checks only; the login verifies the signature itself.
Result<LoginSignature> parseSignatureEvent(const NostrEvent& event);

/// Reads a 9240 event as a challenge whose hash must equal `expectedHash`.
Result<Challenge> parseMessageEvent(const NostrEvent& event, const QString& expectedHash);

NostrFilter signaturesFilter(const QString& hash);
NostrFilter messageFilter(const QString& hash);

} // namespace loginEvents
} // namespace uw
