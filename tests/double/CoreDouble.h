#pragma once

#include "bitcoin/Transaction.h"
#include "double/TxCheck.h"
#include "util/Result.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QTcpServer>
#include <functional>
#include <memory>
#include <variant>

class QTcpSocket;

namespace uw::test {

/// A Bitcoin Core JSON-RPC test double (Bitcoin Core cannot be installed here). It keeps a
/// real UTXO set and a mempool with Bitcoin Core's default policy (`Options::policy`: 27, 29
/// or 30): standardness (dust, data carrier), minimum relay fee, the ancestor and descendant
/// count and size limits with the CPFP carve-out, replace-by-fee as Core 28+ applies it to every
/// conflict (full RBF, BIP125 rules 2 to 6), maximum fee rate. It verifies the signatures of
/// P2WPKH and P2TR key-path inputs, mines blocks on request and reorganizes on invalidateblock.
/// Answers use Bitcoin Core's JSON shapes, error codes and messages.
class CoreDouble : public QObject
{
    Q_OBJECT
public:
    /// The defaults of one Bitcoin Core release that the tests run against.
    struct Policy
    {
        int version = 30;                        ///< 27, 29 (29.1+) or 30
        std::int64_t minRelayFeePerKvb = 100;    ///< -minrelaytxfee (sat/kvB)
        std::int64_t incrementalFeePerKvb = 100; ///< -incrementalrelayfee (sat/kvB), BIP125 rule 4
        qsizetype dataCarrierBytes = 100000;     ///< -datacarriersize
        bool dataCarrierShared = true;           ///< 30: one budget for all OP_RETURN outputs; else one output
        bool ephemeralDust = true;               ///< 29+: one dust output if the fee is 0
        /// The policy of Bitcoin Core `version`; nullopt for a version the double does not know.
        static std::optional<Policy> of(int version);
    };
    /// Bitcoin Core's mempool limits (policy/policy.h), the same in 27, 29 and 30.
    static constexpr int kAncestorLimit = 25;                    ///< DEFAULT_ANCESTOR_LIMIT
    static constexpr std::int64_t kAncestorSizeLimit = 101000;   ///< DEFAULT_ANCESTOR_SIZE_LIMIT_KVB, in vB
    static constexpr int kDescendantLimit = 25;                  ///< DEFAULT_DESCENDANT_LIMIT
    static constexpr std::int64_t kDescendantSizeLimit = 101000; ///< DEFAULT_DESCENDANT_SIZE_LIMIT_KVB, in vB
    static constexpr std::int64_t kCarveOutMaxVsize = 10000;     ///< EXTRA_DESCENDANT_TX_SIZE_LIMIT
    static constexpr int kMaxReplacementCandidates = 100;        ///< MAX_REPLACEMENT_CANDIDATES (BIP125 rule 5)

    struct Options
    {
        QString chain = QStringLiteral("signet");
        Policy policy;               ///< Bitcoin Core 30's
        double feeRateBtcPerKvb = 0; ///< estimatesmartfee answer; 0: "Insufficient data"
        QString cookie;              ///< "__cookie__:secret"; empty: no authentication
        QString zmqHashblock;        ///< e.g. tcp://127.0.0.1:29000: publish hashblock like -zmqpubhashblock
        /// tests/tools/txcheck: every transaction accepted goes to bitcoinjs-lib, `txcheckBatch` at
        /// a time and the rest at finishChecks(), "checktransactions", "stop" or destruction. Empty: none.
        QString txcheckDir;
        int txcheckBatch = 50;
        /// scantxoutset walks this many coins besides the real ones (a mainnet-sized UTXO set,
        /// without building it): they cost time and count in "txouts", nothing else.
        qint64 scanExtraCoins = 0;
        /// Coins walked per second by scantxoutset (0: as fast as the event loop turns). The
        /// scan runs in chunks on the event loop, so "status" and "abort" are answered meanwhile.
        qint64 scanCoinsPerSecond = 0;
    };

    explicit CoreDouble(Options options, QObject* parent = nullptr);
    ~CoreDouble() override;

    bool listen(quint16 port = 0);
    void close();
    quint16 port() const { return m_server.serverPort(); }
    QString url() const;

    /// One RPC call, as the HTTP front end dispatches it (also usable in-process).
    struct RpcError
    {
        int code;
        QString message;
    };
    std::variant<QJsonValue, RpcError> call(const QString& method, const QJsonArray& params);

    // Direct access for tests.
    int height() const { return int(m_chain.size()) - 1; }
    int mempoolSize() const { return int(m_mempool.size()); }
    /// A node restarted without its mempool.dat: every unconfirmed transaction is forgotten.
    void clearMempool()
    {
        m_mempool.clear();
        m_mempoolSpends.clear();
    }
    const Policy& policy() const { return m_options.policy; }
    /// Hands bitcoinjs-lib what it has not checked yet: empty when it agreed with every accepted
    /// transaction so far, else why not (from then on, every call). Without it, a failure found
    /// by a batch or at destruction ends the process (qFatal): it cannot go unnoticed.
    QString finishChecks();
    qint64 checkedCount() const { return m_checked; }
    /// Every outpoint that two different transactions submitted to sendrawtransaction spent
    /// (whether the node accepted them or not): "txid:vout" -> their txids, in submission order.
    QMap<QString, QStringList> conflictingSubmissions() const;
    /// The transactions that a replacement evicted from the mempool, in eviction order.
    const QStringList& replaced() const { return m_replaced; }
    /// Every OP_RETURN payload in the chain (and optionally the mempool), with its count.
    QHash<QByteArray, int> opReturnCounts(bool includeMempool) const;
    qint64 requestCount() const { return m_requests; }

Q_SIGNALS:
    /// The "stop" RPC was answered: the process should exit with this code (3: a check failed).
    void stopRequested(int exitCode);

private:
    QString runChecks();
    struct Coin
    {
        std::int64_t value;
        QByteArray script;
        int height;
        bool coinbase;
    };
    struct Block
    {
        QString hash;
        QString prev;
        int height;
        std::int64_t time;
        QList<btc::Transaction> txs;
        QByteArray merkleRoot;                ///< internal byte order
        QList<std::pair<QString, Coin>> undo; ///< coins this block spent
    };
    struct MempoolEntry
    {
        btc::Transaction tx;
        QString txid;
        QSet<QString> inputTxids; ///< the transactions it spends from, in the mempool or not
        std::int64_t fee;
        std::int64_t vsize;
        std::int64_t time;
    };
    /// Limits as CTxMemPool::Limits: raised for a replacement and for the CPFP carve-out.
    struct Limits
    {
        int ancestorCount = kAncestorLimit;
        std::int64_t ancestorSize = kAncestorSizeLimit;
        int descendantCount = kDescendantLimit;
        std::int64_t descendantSize = kDescendantSizeLimit;
    };

    static QByteArray merkleRootOf(const QList<btc::Transaction>& txs);
    static QByteArray headerOf(const Block& b);
    std::variant<QJsonValue, RpcError> getBlockHeader(const QJsonArray& params);
    static QString key(const QString& txid, std::uint32_t vout)
    {
        return txid + QLatin1Char(':') + QString::number(vout);
    }
    std::variant<QJsonValue, RpcError> sendRawTransaction(const QJsonArray& params);
    /// Mempool acceptance. `submitted`: from a client (recorded for conflictingSubmissions());
    /// false when a reorganization puts a block's transactions back.
    std::variant<QJsonValue, RpcError> accept(const QByteArray& raw, bool submitted);
    std::variant<QJsonValue, RpcError> generate(int n, const QByteArray& script);
    std::variant<QJsonValue, RpcError> invalidate(const QString& hash);
    std::variant<QJsonValue, RpcError> getBlock(const QJsonArray& params);
    /// scantxoutset: "status" and "abort" answer at once; "start" answers `reply` when its scan
    /// ends, walking the set in chunks on the event loop, or all of it at once with `walkNow`.
    struct Scan;
    using Reply = std::function<void(const std::variant<QJsonValue, RpcError>&)>;
    void scan(const QJsonArray& params, bool walkNow, Reply reply);
    void scanStep(qint64 coins);
    QJsonObject txJson(const btc::Transaction& tx, int blockHeight) const;
    std::optional<QByteArray> scriptForAddress(const QString& address) const;
    std::optional<Coin> findCoin(const QString& k) const; ///< chain UTXO or mempool output
    const MempoolEntry* entry(const QString& txid) const;
    /// The in-mempool descendants of `txid`, without it.
    QSet<QString> descendants(const QString& txid) const;
    /// CTxMemPool::CalculateMemPoolAncestors: the ancestors, or the limit's message.
    std::variant<QSet<QString>, QString> ancestorsWithinLimits(const QSet<QString>& parents, std::int64_t vsize,
                                                               const Limits& limits) const;
    void removeFromMempool(const QSet<QString>& txids);
    void connectBlock(Block& b);
    void onConnection();
    struct Connection;
    void serve(QTcpSocket* socket, const std::shared_ptr<Connection>& connection);

    Options m_options;
    QTcpServer m_server;
    QList<Block> m_chain;
    QHash<QString, Coin> m_utxos;
    QList<MempoolEntry> m_mempool;                 ///< in acceptance order (parents before children)
    QHash<QString, QString> m_mempoolSpends;       ///< outpoint -> spending txid
    QHash<QString, QStringList> m_submittedSpends; ///< outpoint -> every txid submitted that spends it
    QStringList m_replaced;
    QList<TxCheck::Item> m_unchecked;
    QSet<QString> m_sentToCheck; ///< txids queued once (a reorganization puts them back in the mempool)
    qint64 m_checked = 0;
    QString m_checkFailure;
    bool m_failureReported = false;
    qint64 m_requests = 0;
    quint64 m_blocksMined = 0;
    void* m_zmqContext = nullptr;
    void* m_zmqPub = nullptr;
    quint32 m_zmqSequence = 0; ///< extra nonce: a re-mined block never gets an old block's hash
    std::int64_t m_startTime;
    std::unique_ptr<Scan> m_scan; ///< the scan running (Core runs one at a time)
};

} // namespace uw::test
