#pragma once

#include "bitcoin/Transaction.h"
#include "crypto/SecretKey.h"

#include <optional>

namespace uw::btc {

/// ECDSA (P2WPKH) and BIP341 key-path (P2TR) keys and signatures, through libsecp256k1.
namespace keys {

/// 33-byte compressed public key.
Result<QByteArray> compressedPublicKey(const SecretKey& secret);
/// DER ECDSA signature (RFC 6979 nonce, low S) of a 32-byte hash.
Result<QByteArray> signEcdsa(const SecretKey& secret, const Bytes32& hash);
bool verifyEcdsa(const QByteArray& compressedPubkey, const Bytes32& hash, const QByteArray& der);

/// BIP341 script tree hashes: TapLeaf(version, script) and TapBranch(a, b) (children sorted).
Bytes32 tapLeafHash(std::uint8_t leafVersion, const QByteArray& script);
Bytes32 tapBranchHash(const Bytes32& a, const Bytes32& b);

/// BIP341 TapTweak of an internal key: t = H_TapTweak(P || merkleRoot).
Bytes32 tapTweak(const Bytes32& internalKey, const std::optional<Bytes32>& merkleRoot);
/// The output key Q = P + tG (x-only) of an internal key.
Result<Bytes32> taprootOutputKey(const Bytes32& internalKey, const std::optional<Bytes32>& merkleRoot);
/// The tweaked secret key (for the vectors; signing uses it without exposing it).
Result<SecretKey> taprootTweakedSecret(const SecretKey& internal, const std::optional<Bytes32>& merkleRoot);
/// BIP340 signature of `sighash` with the tweaked key of `internal`.
Result<Bytes64> signTaproot(const SecretKey& internal, const std::optional<Bytes32>& merkleRoot, const Bytes32& sighash,
                            const std::optional<Bytes32>& aux = std::nullopt);

} // namespace keys
} // namespace uw::btc
