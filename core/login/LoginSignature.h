#pragma once

#include <QJsonObject>
#include <QString>

namespace uw {

/// One signature of a login, mapped to its member and pair (the proof's format).
struct LoginSignature
{
    QString member;
    QString pair;
    QString pubkey; ///< 64 lowercase hex
    QString sig;    ///< 128 lowercase hex, BIP340 over loginSigningDigest(hash, nonce)

    bool operator==(const LoginSignature&) const = default;
    QJsonObject toJson() const;
};

} // namespace uw
