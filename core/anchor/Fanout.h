#pragma once

#include "anchor/AnchorStore.h"
#include "bitcoin/WalletKey.h"
#include "chain/ChainBackend.h"

#include <functional>

/// Splitting one coin of the anchoring wallet into many (`userwallet-cli utxo fanout`), so that
/// anchors can be sent in parallel instead of chaining on each other's change.
namespace uw::fanout {

struct Request
{
    int outputs = 0;
    std::int64_t value = 0; ///< of each output, in sat
    double feeRate = 1.0;   ///< sat/vB
    std::int64_t now = 0;
    int lockSeconds = 600; ///< how long the input stays locked if the process dies before recording
};

struct Sent
{
    QString txid;
    btc::Transaction tx;
    std::int64_t fee = 0;
    Utxo input;
};

/// The largest confirmed UTXO that holds outputs × value is picked, the fan-out built and signed
/// and the UTXO locked, in one store transaction (AnchorStore::pickLockMaintenance); then it is
/// sent, and recorded once the node accepted it (input spent, outputs unspent). A refusal or a
/// node that cannot be reached releases the lock. `done` is called once, on this thread;
/// `store` and `backend` must outlive it.
void split(AnchorStore& store, ChainBackend& backend, const btc::WalletKey& key, const Request& request,
           std::function<void(Result<Sent>)> done);

} // namespace uw::fanout
