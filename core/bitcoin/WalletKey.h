#pragma once

#include "bitcoin/Transaction.h"
#include "crypto/SecretKey.h"

#include <memory>

namespace uw::btc {

/// The networks an address can be for. Mainnet is refused unless explicitly enabled.
enum class Network
{
    Signet, ///< also testnet: hrp "tb"
    Regtest,
    Mainnet,
};
QString hrp(Network n);
Result<Network> parseNetwork(const QString& name, bool allowMainnet);

enum class KeyType
{
    P2WPKH,
    P2TR,
};

/// The anchoring wallet's single key: its script, its address, and the signing of one input.
class WalletKey
{
public:
    static Result<WalletKey> fromSecret(SecretKey secret, KeyType type, Network network);

    KeyType type() const { return m_type; }
    Network network() const { return m_network; }
    const QByteArray& script() const { return m_script; }
    const QString& address() const { return m_address; }
    /// Dust threshold of the wallet's own outputs (294 sat P2WPKH, 330 sat P2TR).
    std::int64_t dust() const;
    /// The witness size of one input of ours, at its largest (for fee estimates).
    int maxWitnessBytes() const;

    /// Signs input `index` (which spends `spent`, an output of ours) in place.
    Result<void> signInput(Transaction& tx, int index, const TxOut& spent) const;

private:
    WalletKey() = default;
    KeyType m_type = KeyType::P2WPKH;
    Network m_network = Network::Signet;
    std::shared_ptr<SecretKey> m_secret;
    QByteArray m_pubkey; ///< compressed (P2WPKH) or internal x-only (P2TR)
    QByteArray m_script;
    QString m_address;
};

} // namespace uw::btc
