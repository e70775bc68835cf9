#pragma once

#include "crypto/Bytes.h"
#include "crypto/SecretKey.h"
#include "util/Result.h"

#include <QByteArrayView>
#include <optional>

namespace uw::schnorr {

/// A fresh secret key from the OS CSPRNG (valid scalar, retried until it is).
SecretKey generateSecretKey();

/// The BIP340 x-only public key of `secret`; an error if the secret is not a valid scalar.
Result<Bytes32> xOnlyPublicKey(const SecretKey& secret);

/// BIP340 signature of `message` (any length). `aux` is the auxiliary randomness;
/// when absent, 32 bytes come from the OS CSPRNG (BIP340's recommendation).
Result<Bytes64> sign(const SecretKey& secret, QByteArrayView message, const std::optional<Bytes32>& aux = std::nullopt);

/// BIP340 verification. False for an invalid key (not on the curve), a bad
/// signature, or a signature for another message.
bool verify(const Bytes32& xOnlyPubKey, QByteArrayView message, const Bytes64& signature);

/// True when the 32 bytes are the x coordinate of a point on secp256k1.
bool isValidXOnlyPublicKey(const Bytes32& xOnlyPubKey);

} // namespace uw::schnorr
