#pragma once

#include "anchor/AnchorStore.h"
#include "bitcoin/WalletKey.h"

namespace uw::anchorTx {

/// "UWA" 0x01 ‖ digest: the 36 bytes of every anchor's OP_RETURN. It fits both Bitcoin Core's
/// old 83-byte data-carrier limit and the v30 policy.
QByteArray payload(const QString& digestHex);
/// The digest an anchor payload carries, if `script` is one.
std::optional<QString> digestOf(const QByteArray& script);

/// The largest vsize of an anchoring transaction of this wallet (one input, OP_RETURN, and change if any).
std::int64_t maxVsize(const btc::WalletKey& key, int outputsToWallet);
std::int64_t feeFor(double satPerVb, std::int64_t vsize);
/// The smallest input worth spending with change (fee + dust), and without (fee only).
std::int64_t minimumInputWithChange(const btc::WalletKey& key, double satPerVb);
std::int64_t minimumInput(const btc::WalletKey& key, double satPerVb);

/// Builds and signs the anchoring transaction spending `utxo`. Change below the dust
/// threshold is given to the fee rather than created.
Result<AnchorStore::Built> build(const Utxo& utxo, const QString& digestHex, const btc::WalletKey& key,
                                 double satPerVb);

/// Builds and signs a fan-out: `outputs` outputs of `value` sat to the wallet, plus change.
Result<AnchorStore::Built> buildFanout(const Utxo& utxo, int outputs, std::int64_t value, const btc::WalletKey& key,
                                       double satPerVb);

} // namespace uw::anchorTx
