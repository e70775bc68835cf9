#include "anchor/server/AnchorProfile.h"

namespace uw {

BackendConfig anchorBackend(const Settings& settings)
{
    return BackendConfig{settings.bitcoinRpcUrl, settings.bitcoinRpcCookie, settings.mempoolApiUrl,
                         settings.bitcoinZmqHashblock};
}

Result<AnchorProfile> openAnchorProfile(const Profile& profile, const Settings& settings,
                                        AnchorWallet::IfMissing ifMissing, const AnchorWallet::Passphrase& passphrase)
{
    auto network = btc::parseNetwork(settings.bitcoinNetwork, settings.allowMainnet);
    if (!network)
        return network.error();
    const auto type = settings.addressType == QLatin1String("p2tr") ? btc::KeyType::P2TR : btc::KeyType::P2WPKH;
    auto wallet = AnchorWallet::open({profile.anchorKeyFile(), type, *network, ifMissing}, passphrase);
    if (!wallet && wallet.error().code == QLatin1String("no_wallet"))
        return makeError(
            wallet.error().code,
            QStringLiteral("No anchoring wallet in this profile yet: run `userwallet-cli address` first."));
    if (!wallet)
        return wallet.error();
    return AnchorProfile{profile, settings, wallet->key(), anchorBackend(settings), profile.anchorDatabase()};
}

} // namespace uw
