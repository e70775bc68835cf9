#pragma once

#include "identity/MemberRequirement.h"
#include "identity/Validate.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>

namespace uw {

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
    /// The strict parse of a `members` array alone (every rule above that concerns members), for
    /// the documents that carry one in the same shape: a login request's errors say so.
    static Result<QList<MemberRequirement>> parseMembers(const QJsonValue& members);
    static Result<QList<MemberRequirement>> parseRequestMembers(const QJsonValue& members);

    /// RFC 8785 canonical bytes; an error when the message cannot be canonicalized or is too large.
    Result<QByteArray> canonical() const;

    const MemberRequirement* member(const QString& id) const;
};

/// The login's own check; those shared by every parser of protocol data are in identity/Validate.h.
namespace validate {
/// Only https://, or http:// to a loopback host, are acceptable callbacks.
Result<void> callbackUrl(const QString& url);
} // namespace validate

} // namespace uw
