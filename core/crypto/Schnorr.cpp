#include "crypto/Schnorr.h"

#include "crypto/Secp256k1Context.h"
#include "crypto/Sodium.h"

#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sodium.h>

namespace uw::schnorr {

namespace {

struct WipedKeypair
{
    secp256k1_keypair kp;
    ~WipedKeypair() { sodium_memzero(&kp, sizeof kp); }
};

} // namespace

SecretKey generateSecretKey()
{
    SecretKey key;
    do {
        randomBytes(key.data(), key.size());
    } while (!secp256k1_ec_seckey_verify(secpContext(), key.data()));
    return key;
}

Result<Bytes32> xOnlyPublicKey(const SecretKey& secret)
{
    WipedKeypair keypair;
    if (!secp256k1_keypair_create(secpContext(), &keypair.kp, secret.data()))
        return makeError(QStringLiteral("invalid_secret_key"),
                         QStringLiteral("The secret key is not a valid secp256k1 scalar."));
    secp256k1_xonly_pubkey xonly;
    if (!secp256k1_keypair_xonly_pub(secpContext(), &xonly, nullptr, &keypair.kp))
        return makeError(QStringLiteral("invalid_secret_key"), QStringLiteral("Cannot derive the public key."));
    Bytes32 out{};
    secp256k1_xonly_pubkey_serialize(secpContext(), out.data(), &xonly);
    return out;
}

Result<Bytes64> sign(const SecretKey& secret, QByteArrayView message, const std::optional<Bytes32>& aux)
{
    WipedKeypair keypair;
    if (!secp256k1_keypair_create(secpContext(), &keypair.kp, secret.data()))
        return makeError(QStringLiteral("invalid_secret_key"),
                         QStringLiteral("The secret key is not a valid secp256k1 scalar."));
    Bytes32 auxRand{};
    if (aux)
        auxRand = *aux;
    else
        randomBytes(auxRand.data(), auxRand.size());
    secp256k1_schnorrsig_extraparams extra = SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT;
    extra.ndata = auxRand.data();
    Bytes64 sig{};
    if (!secp256k1_schnorrsig_sign_custom(secpContext(), sig.data(),
                                          reinterpret_cast<const unsigned char*>(message.data()),
                                          std::size_t(message.size()), &keypair.kp, &extra))
        return makeError(QStringLiteral("sign_failed"), QStringLiteral("BIP340 signing failed."));
    // Never hand out a signature we would not accept ourselves.
    secp256k1_xonly_pubkey xonly;
    Bytes32 pub{};
    if (!secp256k1_keypair_xonly_pub(secpContext(), &xonly, nullptr, &keypair.kp) ||
        !secp256k1_xonly_pubkey_serialize(secpContext(), pub.data(), &xonly) || !verify(pub, message, sig))
        return makeError(QStringLiteral("sign_failed"), QStringLiteral("The fresh signature does not verify."));
    return sig;
}

bool verify(const Bytes32& xOnlyPubKey, QByteArrayView message, const Bytes64& signature)
{
    secp256k1_xonly_pubkey pub;
    if (!secp256k1_xonly_pubkey_parse(secpContext(), &pub, xOnlyPubKey.data()))
        return false;
    return secp256k1_schnorrsig_verify(secpContext(), signature.data(),
                                       reinterpret_cast<const unsigned char*>(message.data()),
                                       std::size_t(message.size()), &pub) == 1;
}

bool isValidXOnlyPublicKey(const Bytes32& xOnlyPubKey)
{
    secp256k1_xonly_pubkey pub;
    return secp256k1_xonly_pubkey_parse(secpContext(), &pub, xOnlyPubKey.data()) == 1;
}

} // namespace uw::schnorr
