#pragma once

#include "anchor/AnchorWallet.h"
#include "bitcoin/WalletKey.h"
#include "chain/BackendConfig.h"
#include "config/Settings.h"
#include "identity/Profile.h"
#include "util/Result.h"

namespace uw {

/// The anchoring side of a profile, as every program that anchors finds it: the network and the
/// address type of its settings, its wallet key (opened with a passphrase, or created), its node
/// (settings and environment: BITCOIN_RPC_URL, BITCOIN_RPC_COOKIE, MEMPOOL_API_URL, ...) and its
/// anchor database. Used by userwallet-cli and userwallet-anchord, so that both read one profile
/// the same way.
struct AnchorProfile
{
    Profile profile;
    Settings settings;
    btc::WalletKey key;
    BackendConfig backend;
    QString database;
};

/// The node a profile's settings name (Bitcoin Core RPC and its ZMQ block notifications, or Esplora).
BackendConfig anchorBackend(const Settings& settings);

/// Opens (or, with IfMissing::Create, creates) the wallet key of `profile`; the folder must
/// exist. A missing key is "no_wallet", with the command that creates it.
Result<AnchorProfile> openAnchorProfile(const Profile& profile, const Settings& settings,
                                        AnchorWallet::IfMissing ifMissing, const AnchorWallet::Passphrase& passphrase);

} // namespace uw
