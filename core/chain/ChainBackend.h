#pragma once

#include "chain/ChainError.h"
#include "chain/ChainTypes.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QObject>
#include <functional>

namespace uw {

/// What the anchoring core needs from a Bitcoin node, whichever kind it is (Bitcoin Core
/// JSON-RPC or an Esplora/mempool REST API). Every call answers once through its callback,
/// on the thread that owns the backend.
///
/// Error codes: "unreachable" (connection refused, timeout: transient), "auth" (credentials
/// refused), "rpc:<code>" for the node's own errors (Bitcoin Core's numbers: -25, -26, -27, ...),
/// with the node's message in Error::message; callers decide on classifyChainError(), never on
/// the message (chain/ChainError.h).
class ChainBackend : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    template <typename T> using Callback = std::function<void(Result<T>)>;

    virtual QString describe() const = 0;
    virtual void sendRawTransaction(const QByteArray& raw, Callback<QString> done) = 0;
    /// Fee rate for confirmation within `targetBlocks`, in sat/vB.
    virtual void estimateFeeRate(int targetBlocks, Callback<double> done) = 0;
    virtual void bestBlockHash(Callback<QString> done) = 0;
    /// The hash of the active chain's block at `height` (Core: getblockhash; Esplora: /block-height).
    virtual void blockHashAt(int height, Callback<QString> done) = 0;
    virtual void block(const QString& hash, Callback<ChainBlock> done) = 0;
    /// How far a scan of the node's UTXO set is, in percent (0 to 100, never going back), or -1
    /// while the backend cannot tell (Esplora answers in one request).
    using ScanProgress = std::function<void(int percent)>;
    /// The unspent outputs paying `script` (first import, `utxo sync`), with `address` for the
    /// backends that need it. `progress` (may be empty) hears how far the scan is as it runs: a
    /// node's scan walks its whole UTXO set and takes minutes on mainnet. One scan at a time.
    virtual void scanUtxos(const QByteArray& script, const QString& address, ScanProgress progress,
                           Callback<QList<Utxo>> done) = 0;
    /// Stops the running scan, if any: Bitcoin Core aborts it on the node (scantxoutset abort),
    /// Esplora drops its request. Its `done` then gets the error "cancelled", and nothing found.
    virtual void cancelScan() = 0;
    /// Where a transaction stands: known (mempool or chain) and, if confirmed, its height.
    /// Esplora: GET /api/tx/:txid/status; Bitcoin Core: getrawtransaction (mempool, or txindex).
    struct TxStatus
    {
        bool known = false;
        bool confirmed = false;
        int height = -1;
    };
    virtual void transactionStatus(const QString& txid, Callback<TxStatus> done) = 0;
    /// Node figures for the dashboard (chain, blocks, headers, mempool, peers, ...), as the node names them.
    virtual void nodeInfo(Callback<QJsonObject> done) = 0;

    static bool isTransient(const Error& e)
    {
        const ChainError kind = classifyChainError(e);
        return kind == ChainError::Unreachable || kind == ChainError::Warmup;
    }
};

} // namespace uw
