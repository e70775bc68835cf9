#include "anchor/AnchorWallet.h"

#include "crypto/Bytes.h"
#include "crypto/Schnorr.h"

#include <QFileInfo>

namespace uw {

Result<AnchorWallet> AnchorWallet::open(const Options& options, const Passphrase& passphrase)
{
    std::optional<SecretKey> secret;
    bool created = false;
    if (!QFileInfo::exists(options.keyFile)) {
        if (options.ifMissing == IfMissing::Refuse)
            return makeError(QStringLiteral("no_wallet"),
                             QStringLiteral("No anchoring wallet in this profile yet (%1).").arg(options.keyFile));
        auto pass = passphrase();
        if (!pass)
            return pass.error();
        SecretKey fresh = schnorr::generateSecretKey();
        auto pub = schnorr::xOnlyPublicKey(fresh);
        if (!pub)
            return pub.error();
        auto sealed = KeyFile::seal(fresh, pass->bytes(), keyFileLabel(), toHex(*pub), options.kdf);
        if (!sealed)
            return sealed.error();
        if (auto written = KeyFile::write(options.keyFile, *sealed); !written)
            return written.error();
        secret = std::move(fresh);
        created = true;
    } else {
        auto contents = KeyFile::read(options.keyFile);
        if (!contents)
            return contents.error();
        auto pass = passphrase();
        if (!pass)
            return pass.error();
        auto opened = KeyFile::open(*contents, pass->bytes());
        if (!opened)
            return opened.error();
        secret = std::move(*opened);
    }
    auto key = btc::WalletKey::fromSecret(std::move(*secret), options.type, options.network);
    if (!key)
        return key.error();
    return AnchorWallet(std::move(*key), options.network, created);
}

} // namespace uw
