#pragma once

#include "util/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>

namespace uw {

/// One device of a member as a login path names it.
struct PairRef
{
    QString pair;   ///< UUID, lowercase, 8-4-4-4-12
    QString pubkey; ///< BIP340 x-only public key, 64 lowercase hex digits
    bool operator==(const PairRef&) const = default;
};

/// A member that must sign, with its authorized pairs.
struct MemberRequirement
{
    QString id;
    int cardinaliteMinimale = 1;
    QStringList dependsOn;
    QList<PairRef> pairs;
    bool operator==(const MemberRequirement&) const = default;
};

/// The login message (docs/PROTOCOL.md). Built by the challenge builder or parsed
/// strictly from untrusted JSON (relay events, proofs).
struct LoginMessage
{
    static constexpr int kVersion = 1;
    static constexpr qsizetype kMaxBytes = 64 * 1024;

    QString service;
    QString callback;
    QList<MemberRequirement> members;
    bool strict = true;
    QString nonce; ///< 32 lowercase hex digits (16 random bytes)
    std::int64_t createdAt = 0;
    std::int64_t expiresAt = 0;

    bool operator==(const LoginMessage&) const = default;

    QJsonObject toJson() const;
    /// Strict parse: exactly the known fields, of the right types and formats;
    /// no control characters; canonical size at most 64 KiB.
    static Result<LoginMessage> fromJson(const QJsonObject& json);

    /// RFC 8785 canonical bytes; an error when the message cannot be canonicalized or is too large.
    Result<QByteArray> canonical() const;

    const MemberRequirement* member(const QString& id) const;
};

/// Checks shared by every parser of protocol data.
namespace validate {
bool isUuid(const QString& text);
/// True when `text` contains a control character (Unicode Cc: U+0000–U+001F, U+007F–U+009F).
bool hasControlCharacters(const QString& text);
/// Only https://, or http:// to a loopback host, are acceptable callbacks.
Result<void> callbackUrl(const QString& url);
} // namespace validate

} // namespace uw
