#pragma once

#include "login/Challenge.h"
#include "login/LoginDecline.h"
#include "login/LoginSignature.h"
#include "relay/NostrFilter.h"

namespace uw {

/// The relay events of a login: kind 9240 carries the canonical message (with one ["m", member]
/// tag per member it asks, so that each member's devices can subscribe to the logins that need
/// them), kind 9241 one signature, kind 9244 a device's refusal; all tagged ["h", hash] and with
/// NIP-40's expiration, so relays may drop them once the login is over.
namespace loginEvents {

Result<NostrEvent> messageEvent(const Challenge& challenge, const SecretKey& devicePairKey, std::int64_t now);
Result<NostrEvent> signatureEvent(const Challenge& challenge, const LoginSignature& signature, const SecretKey& pairKey,
                                  std::int64_t now);

/// Reads a 9241 event as a candidate signature (pubkey from the event's author).
/// Structural checks only; the login verifies the signature itself.
Result<LoginSignature> parseSignatureEvent(const NostrEvent& event);

/// A refusal of `challenge` by `pair` of `member`, signed by that pair's key.
Result<NostrEvent> declineEvent(const Challenge& challenge, const QString& member, const QString& pair,
                                DeclineReason reason, const SecretKey& pairKey, std::int64_t now);
/// Reads a 9244 event (structure only: content {member, pair, reason}, one `h` tag).
Result<LoginDecline> parseDeclineEvent(const NostrEvent& event);

/// Reads a 9240 event as a challenge whose hash must equal `expectedHash`.
Result<Challenge> parseMessageEvent(const NostrEvent& event, const QString& expectedHash);
/// Reads a 9240 event that came unasked (a push): the hash is the message's own, and the event's
/// `h` and `m` tags must say the same as the message (its hash, its members).
Result<Challenge> parsePushedMessageEvent(const NostrEvent& event);

/// The values of an event's `h` tags (the login it belongs to: exactly one in a valid event).
QStringList loginHashes(const NostrEvent& event);

/// The login's signatures and refusals (kinds 9241 and 9244 tagged with its hash).
NostrFilter signaturesFilter(const QString& hash);
NostrFilter messageFilter(const QString& hash);
/// The login messages that ask `member`, created since `since`.
NostrFilter requestsFilter(const QString& member, std::int64_t since);

} // namespace loginEvents
} // namespace uw
