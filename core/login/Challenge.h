#pragma once

#include "crypto/Bytes.h"
#include "login/LoginMessage.h"
#include "util/Clock.h"
#include "util/Result.h"

namespace uw {

/// The number of the login whose hash is `hash` (64 lowercase hex); -1 for anything else.
int loginNumber(const QString& hash);

/// A login message with its canonical bytes and hash (docs/PROTOCOL.md, "The login message").
struct Challenge
{
    LoginMessage message;
    QByteArray canonical; ///< RFC 8785 bytes of the message
    QString hash;         ///< lowercase hex SHA-256 of `canonical`

    const QString& nonce() const { return message.nonce; }
    /// The two-digit number both devices show (docs/PROTOCOL.md, "Number matching"): the first
    /// four bytes of the hash as a big-endian integer, modulo 100.
    int number() const { return loginNumber(hash); }

    /// Validates `message` (as a parser of untrusted input would) and hashes it.
    static Result<Challenge> fromMessage(const LoginMessage& message);
};

/// What a service asks for; the builder adds the nonce and the times.
struct ChallengeRequest
{
    QString service;
    QString callback;
    QList<MemberRequirement> members;
    bool strict = true;
    int lifetimeSeconds = 300;
};

/// Builds a fresh challenge: 16-byte nonce from the OS CSPRNG, created_at = now,
/// expires_at = now + lifetime.
Result<Challenge> buildChallenge(const ChallengeRequest& request, const Clock& clock);

/// The 32 bytes every pair signs: SHA-256(utf8(hash + "-" + nonce)). The pair
/// UUID is deliberately not part of it.
Bytes32 loginSigningDigest(const QString& hash, const QString& nonce);

} // namespace uw
