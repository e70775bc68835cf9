#include "bitcoin/WalletKey.h"

#include "bitcoin/Bech32.h"
#include "bitcoin/Hashes.h"
#include "bitcoin/Keys.h"
#include "bitcoin/Script.h"
#include "bitcoin/Sighash.h"
#include "crypto/Schnorr.h"

namespace uw::btc {

QString hrp(Network n)
{
    switch (n) {
    case Network::Signet:
        return QStringLiteral("tb");
    case Network::Regtest:
        return QStringLiteral("bcrt");
    case Network::Mainnet:
        return QStringLiteral("bc");
    }
    return {};
}

Result<Network> parseNetwork(const QString& name, bool allowMainnet)
{
    if (name == QLatin1String("signet") || name == QLatin1String("testnet") || name == QLatin1String("testnet4"))
        return Network::Signet;
    if (name == QLatin1String("regtest"))
        return Network::Regtest;
    if (name == QLatin1String("main") || name == QLatin1String("mainnet")) {
        if (!allowMainnet)
            return makeError(
                QStringLiteral("mainnet_refused"),
                QStringLiteral("Mainnet is refused: this wallet anchors on signet. Set bitcoin/allow_mainnet=true to "
                               "accept real coins."));
        return Network::Mainnet;
    }
    return makeError(QStringLiteral("bad_network"),
                     QStringLiteral("Unknown network \"%1\" (signet, testnet, regtest).").arg(name));
}

Result<WalletKey> WalletKey::fromSecret(SecretKey secret, KeyType type, Network network)
{
    WalletKey k;
    k.m_type = type;
    k.m_network = network;
    if (type == KeyType::P2WPKH) {
        auto pub = keys::compressedPublicKey(secret);
        if (!pub)
            return pub.error();
        k.m_pubkey = *pub;
        const QByteArray h = hash160(*pub);
        k.m_script = script::p2wpkh(h);
        auto addr = bech32::encodeAddress(hrp(network), 0, h);
        if (!addr)
            return addr.error();
        k.m_address = *addr;
    } else {
        auto internal = schnorr::xOnlyPublicKey(secret);
        if (!internal)
            return internal.error();
        auto output = keys::taprootOutputKey(*internal, std::nullopt);
        if (!output)
            return output.error();
        k.m_pubkey = bytes(*internal);
        k.m_script = script::p2tr(*output);
        auto addr = bech32::encodeAddress(hrp(network), 1, bytes(*output));
        if (!addr)
            return addr.error();
        k.m_address = *addr;
    }
    k.m_secret = std::make_shared<SecretKey>(std::move(secret));
    return k;
}

std::int64_t WalletKey::dust() const
{
    return script::dustThreshold(m_script);
}

int WalletKey::maxWitnessBytes() const
{
    // P2WPKH: count + (len + 72-byte DER + hash type) + (len + 33-byte key); P2TR: count + len + 64.
    return m_type == KeyType::P2WPKH ? 1 + 1 + 73 + 1 + 33 : 1 + 1 + 64;
}

Result<void> WalletKey::signInput(Transaction& tx, int index, const TxOut& spent) const
{
    if (spent.script != m_script)
        return makeError(QStringLiteral("not_ours"), QStringLiteral("The input does not belong to this wallet."));
    if (m_type == KeyType::P2WPKH) {
        const Bytes32 h =
            sighashBip143(tx, index, script::p2pkhScriptCode(hash160(m_pubkey)), spent.value, SIGHASH_ALL);
        auto sig = keys::signEcdsa(*m_secret, h);
        if (!sig)
            return sig.error();
        tx.inputs[index].witness = {*sig + char(SIGHASH_ALL), m_pubkey};
        return {};
    }
    // Key path, SIGHASH_DEFAULT: only this one input is ours, but BIP341 commits to every
    // spent output; the anchoring transaction has exactly one input.
    if (tx.inputs.size() != 1)
        return makeError(QStringLiteral("unsupported"),
                         QStringLiteral("Taproot signing here covers one-input transactions."));
    auto h = sighashBip341(tx, index, {spent}, SIGHASH_DEFAULT);
    if (!h)
        return h.error();
    auto sig = keys::signTaproot(*m_secret, std::nullopt, *h);
    if (!sig)
        return sig.error();
    tx.inputs[index].witness = {QByteArray(reinterpret_cast<const char*>(sig->data()), 64)};
    return {};
}

} // namespace uw::btc
