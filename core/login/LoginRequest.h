#pragma once

#include "login/LoginMessage.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QMetaType>
#include <cstdint>
#include <optional>

namespace uw {

/// What a service asks for, in its own words: the service, where the proof goes, and who must
/// sign (the members in the login message's shape). A service keeps it as its record of a user,
/// and verifies each proof against it (`userwallet-cli verify-proof --expect FILE`): the message
/// inside a proof is written by device 1, so it proves only what this record confirms.
///
///   {"v":1,"type":"login-request","service":S,"callback":URL,"members":[…],"strict":true,"ttl":300}
///
/// `ttl` (seconds, optional, default 300) is the longest window the service accepts.
/// `expires_at` (Unix seconds, optional) is when a request handed to a wallet stops being good for
/// a new login: the wallet refuses it afterwards, and a message created later does not match it.
///
/// The same document reaches device 1 (`userwallet://login?request=URL`, `login --request`): the
/// wallet then builds its login message from these members (LoginSession::start(LoginRequest)).
struct LoginRequest
{
    static constexpr int kVersion = 1;
    static constexpr qsizetype kMaxBytes = 64 * 1024;

    QString service;
    QString callback;
    QList<MemberRequirement> members;
    bool strict = true;
    int ttlSeconds = 300;
    std::optional<std::int64_t> expiresAt = std::nullopt;

    bool operator==(const LoginRequest&) const = default;

    /// Strict parse: exactly the known fields (`ttl` may be left out), the same rules as the
    /// login message for service, callback and members; `invalid_request` otherwise.
    static Result<LoginRequest> fromJson(const QJsonObject& json);
    static Result<LoginRequest> fromBytes(const QByteArray& bytes);
    /// The request as JSON (`ttl` always written; `expires_at` when set); fromJson reads it back.
    QJsonObject toJson() const;

    /// Ok when `message` asks exactly what this request asks, or more: the same service and
    /// callback, the same members, each at least as many signatures, no pair the record lacks
    /// (same pair id and key), every dependency kept, strict when the record is strict, and a
    /// window no longer than `ttl`, created no later than `expires_at` when there is one. Otherwise
    /// `expectation_mismatch` with the first difference.
    Result<void> check(const LoginMessage& message) const;
};

} // namespace uw

Q_DECLARE_METATYPE(uw::LoginRequest)
