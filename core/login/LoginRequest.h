#pragma once

#include "login/LoginMessage.h"
#include "util/Result.h"

#include <QJsonObject>

namespace uw {

/// What a service asks for, in its own words: the service, where the proof goes, and who must
/// sign (the members in the login message's shape). A service keeps it as its record of a user,
/// and verifies each proof against it (`userwallet-cli verify-proof --expect FILE`): the message
/// inside a proof is written by device 1, so it proves only what this record confirms.
///
///   {"v":1,"type":"login-request","service":S,"callback":URL,"members":[…],"strict":true,"ttl":300}
///
/// `ttl` (seconds, optional, default 300) is the longest window the service accepts.
struct LoginRequest
{
    static constexpr int kVersion = 1;
    static constexpr qsizetype kMaxBytes = 64 * 1024;

    QString service;
    QString callback;
    QList<MemberRequirement> members;
    bool strict = true;
    int ttlSeconds = 300;

    /// Strict parse: exactly the known fields (`ttl` may be left out), the same rules as the
    /// login message for service, callback and members; `invalid_request` otherwise.
    static Result<LoginRequest> fromJson(const QJsonObject& json);
    static Result<LoginRequest> fromBytes(const QByteArray& bytes);

    /// Ok when `message` asks exactly what this request asks, or more: the same service and
    /// callback, the same members, each at least as many signatures, no pair the record lacks
    /// (same pair id and key), every dependency kept, strict when the record is strict, and a
    /// window no longer than `ttl`. Otherwise `expectation_mismatch` with the first difference.
    Result<void> check(const LoginMessage& message) const;
};

} // namespace uw
