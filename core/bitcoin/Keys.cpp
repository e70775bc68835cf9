#include "bitcoin/Keys.h"

#include "bitcoin/Hashes.h"
#include "crypto/Schnorr.h"
#include "crypto/Secp256k1Context.h"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <sodium.h>

namespace uw::btc::keys {

namespace {

Error keyError(const QString& why)
{
    return makeError(QStringLiteral("bad_key"), why);
}

struct WipedKeypair
{
    secp256k1_keypair kp;
    ~WipedKeypair() { sodium_memzero(&kp, sizeof kp); }
};

} // namespace

Result<QByteArray> compressedPublicKey(const SecretKey& secret)
{
    secp256k1_pubkey pub;
    if (!secp256k1_ec_pubkey_create(secpContext(), &pub, secret.data()))
        return keyError(QStringLiteral("invalid secret key"));
    unsigned char out[33];
    size_t len = sizeof out;
    secp256k1_ec_pubkey_serialize(secpContext(), out, &len, &pub, SECP256K1_EC_COMPRESSED);
    return QByteArray(reinterpret_cast<const char*>(out), qsizetype(len));
}

Result<QByteArray> signEcdsa(const SecretKey& secret, const Bytes32& hash)
{
    secp256k1_ecdsa_signature sig;
    if (!secp256k1_ecdsa_sign(secpContext(), &sig, hash.data(), secret.data(), secp256k1_nonce_function_rfc6979,
                              nullptr))
        return keyError(QStringLiteral("ECDSA signing failed"));
    unsigned char der[72];
    size_t len = sizeof der;
    secp256k1_ecdsa_signature_serialize_der(secpContext(), der, &len, &sig);
    const QByteArray out(reinterpret_cast<const char*>(der), qsizetype(len));
    auto pub = compressedPublicKey(secret);
    if (!pub || !verifyEcdsa(*pub, hash, out))
        return keyError(QStringLiteral("the fresh ECDSA signature does not verify"));
    return out;
}

bool verifyEcdsa(const QByteArray& compressedPubkey, const Bytes32& hash, const QByteArray& der)
{
    secp256k1_pubkey pub;
    secp256k1_ecdsa_signature sig;
    if (!secp256k1_ec_pubkey_parse(secpContext(), &pub,
                                   reinterpret_cast<const unsigned char*>(compressedPubkey.constData()),
                                   std::size_t(compressedPubkey.size())) ||
        !secp256k1_ecdsa_signature_parse_der(
            secpContext(), &sig, reinterpret_cast<const unsigned char*>(der.constData()), std::size_t(der.size())))
        return false;
    return secp256k1_ecdsa_verify(secpContext(), &sig, hash.data(), &pub) == 1; // rejects high S, like Bitcoin Core
}

Bytes32 tapLeafHash(std::uint8_t leafVersion, const QByteArray& script)
{
    QByteArray data(1, char(leafVersion));
    writeCompactSize(data, std::uint64_t(script.size()));
    data += script;
    return taggedHash("TapLeaf", data);
}

Bytes32 tapBranchHash(const Bytes32& a, const Bytes32& b)
{
    const QByteArray data = a < b ? QByteArray(bytes(a) + bytes(b)) : QByteArray(bytes(b) + bytes(a));
    return taggedHash("TapBranch", data);
}

Bytes32 tapTweak(const Bytes32& internalKey, const std::optional<Bytes32>& merkleRoot)
{
    QByteArray data = bytes(internalKey);
    if (merkleRoot)
        data += bytes(*merkleRoot);
    return taggedHash("TapTweak", data);
}

Result<Bytes32> taprootOutputKey(const Bytes32& internalKey, const std::optional<Bytes32>& merkleRoot)
{
    secp256k1_xonly_pubkey p;
    if (!secp256k1_xonly_pubkey_parse(secpContext(), &p, internalKey.data()))
        return keyError(QStringLiteral("invalid internal key"));
    const Bytes32 t = tapTweak(internalKey, merkleRoot);
    secp256k1_pubkey q;
    if (!secp256k1_xonly_pubkey_tweak_add(secpContext(), &q, &p, t.data()))
        return keyError(QStringLiteral("invalid tweak"));
    secp256k1_xonly_pubkey qx;
    Bytes32 out{};
    if (!secp256k1_xonly_pubkey_from_pubkey(secpContext(), &qx, nullptr, &q) ||
        !secp256k1_xonly_pubkey_serialize(secpContext(), out.data(), &qx))
        return keyError(QStringLiteral("invalid tweaked key"));
    return out;
}

Result<SecretKey> taprootTweakedSecret(const SecretKey& internal, const std::optional<Bytes32>& merkleRoot)
{
    WipedKeypair kp;
    if (!secp256k1_keypair_create(secpContext(), &kp.kp, internal.data()))
        return keyError(QStringLiteral("invalid secret key"));
    secp256k1_xonly_pubkey p;
    Bytes32 internalKey{};
    if (!secp256k1_keypair_xonly_pub(secpContext(), &p, nullptr, &kp.kp) ||
        !secp256k1_xonly_pubkey_serialize(secpContext(), internalKey.data(), &p))
        return keyError(QStringLiteral("invalid secret key"));
    const Bytes32 t = tapTweak(internalKey, merkleRoot);
    if (!secp256k1_keypair_xonly_tweak_add(secpContext(), &kp.kp, t.data()))
        return keyError(QStringLiteral("invalid tweak"));
    SecretKey out;
    if (!secp256k1_keypair_sec(secpContext(), out.data(), &kp.kp))
        return keyError(QStringLiteral("invalid tweaked key"));
    return out;
}

Result<Bytes64> signTaproot(const SecretKey& internal, const std::optional<Bytes32>& merkleRoot, const Bytes32& sighash,
                            const std::optional<Bytes32>& aux)
{
    auto tweaked = taprootTweakedSecret(internal, merkleRoot);
    if (!tweaked)
        return tweaked.error();
    return schnorr::sign(*tweaked, view(sighash), aux);
}

} // namespace uw::btc::keys
