#pragma once

#include "bitcoin/Transaction.h"
#include "chain/UtxoState.h"

#include <QList>
#include <QString>
#include <cstdint>
#include <optional>

namespace uw {

/// One output of the anchoring wallet: what a backend's scan finds, and what the store keeps.
struct Utxo
{
    qint64 id = 0;
    QString txid; ///< display hex
    std::uint32_t vout = 0;
    std::int64_t value = 0;
    QByteArray script;
    std::optional<int> height; ///< empty while unconfirmed
    int chainDepth = 0;        ///< unconfirmed ancestors (0 once confirmed)
    UtxoState state = UtxoState::Unspent;
    QString spendingTxid;
};

/// What a block changes for us (from getblock verbosity 2).
struct ChainTx
{
    QString txid;
    QList<btc::OutPoint> inputs;
    QList<btc::TxOut> outputs;
};
struct ChainBlock
{
    QString hash;
    QString prevHash;
    int height = 0;
    std::int64_t time = 0;
    QList<ChainTx> txs; ///< every transaction, in block order
    QString merkleRoot; ///< the header's, as the node shows it (display hex); empty if the backend did not say
};

} // namespace uw
