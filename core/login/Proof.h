#pragma once

#include "login/Challenge.h"
#include "login/LoginSignature.h"

namespace uw {

/// The proof a parent service receives: message, hash, nonce and the
/// signatures mapped to member and pair.
struct Proof
{
    static constexpr qsizetype kMaxBytes = 256 * 1024;

    LoginMessage message;
    QString hash;
    QString nonce;
    QList<LoginSignature> signatures;

    QJsonObject toJson() const;
    QByteArray toBytes() const; ///< compact JSON
    /// Strict parse of untrusted JSON: exact fields, formats checked. It does
    /// not verify anything cryptographic: that is verifyProof()'s job.
    static Result<Proof> fromJson(const QJsonObject& json);
    static Result<Proof> fromBytes(QByteArrayView bytes);
};

} // namespace uw
