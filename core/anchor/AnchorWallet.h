#pragma once

#include "bitcoin/WalletKey.h"
#include "crypto/KeyFile.h"

#include <functional>

namespace uw {

/// The anchoring wallet of a profile: one key, encrypted in its own key file (apart from the
/// login keys, which it never touches), its script and address on one network, and the signing
/// of its inputs. The caller says where the file is (Profile::anchorKeyFile()), so that anchoring
/// does not depend on the identity module.
class AnchorWallet
{
public:
    /// What open() does when the key file does not exist yet.
    enum class IfMissing
    {
        Refuse, ///< error "no_wallet"
        Create, ///< a new key, sealed with the passphrase
    };

    struct Options
    {
        QString keyFile;
        btc::KeyType type = btc::KeyType::P2WPKH;
        btc::Network network = btc::Network::Signet;
        IfMissing ifMissing = IfMissing::Refuse;
        KdfParams kdf = KdfParams::standard();
    };

    /// Asked only once the key file is known to be readable (or is to be created): a command
    /// that fails before never prompts for a passphrase.
    using Passphrase = std::function<Result<SecretBytes>()>;

    /// Opens the key file, or creates it (mode 0600 before the secret is written, atomically).
    /// Errors: "no_wallet", "io", "wrong_passphrase", "corrupt_key_file", and the passphrase's own.
    static Result<AnchorWallet> open(const Options& options, const Passphrase& passphrase);

    /// The pair name written in the key file's header.
    static QString keyFileLabel() { return QStringLiteral("anchor-wallet"); }

    /// Signing access: the key signs the wallet's own inputs (WalletKey::signInput).
    const btc::WalletKey& key() const { return m_key; }
    const QString& address() const { return m_key.address(); }
    const QByteArray& script() const { return m_key.script(); }
    btc::KeyType type() const { return m_key.type(); }
    btc::Network network() const { return m_network; }
    /// Whether open() created the key just now.
    bool created() const { return m_created; }

private:
    AnchorWallet(btc::WalletKey key, btc::Network network, bool created)
        : m_key(std::move(key)), m_network(network), m_created(created)
    {}
    btc::WalletKey m_key;
    btc::Network m_network;
    bool m_created;
};

} // namespace uw
