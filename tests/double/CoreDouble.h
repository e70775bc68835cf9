#pragma once

#include "bitcoin/Transaction.h"
#include "util/Result.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QTcpServer>
#include <functional>
#include <memory>
#include <variant>

class QTcpSocket;

namespace uw::test {

/// A Bitcoin Core JSON-RPC test double (Bitcoin Core cannot be installed here). It keeps a
/// real UTXO set, a mempool with Bitcoin Core's limits (dust, minimum relay fee, 25
/// unconfirmed ancestors, conflicts, maximum fee rate), verifies the signatures of P2WPKH
/// and P2TR key-path inputs, mines blocks on request and reorganizes on invalidateblock.
/// Answers use Bitcoin Core's JSON shapes, error codes and messages.
class CoreDouble : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString chain = QStringLiteral("signet");
        double feeRateBtcPerKvb = 0; ///< estimatesmartfee answer; 0: "Insufficient data"
        QString cookie;              ///< "__cookie__:secret"; empty: no authentication
        QString zmqHashblock;        ///< e.g. tcp://127.0.0.1:29000: publish hashblock like -zmqpubhashblock
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
    /// Every OP_RETURN payload in the chain (and optionally the mempool), with its count.
    QHash<QByteArray, int> opReturnCounts(bool includeMempool) const;
    qint64 requestCount() const { return m_requests; }

private:
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
        std::int64_t fee;
        std::int64_t time;
    };

    static QByteArray merkleRootOf(const QList<btc::Transaction>& txs);
    static QByteArray headerOf(const Block& b);
    std::variant<QJsonValue, RpcError> getBlockHeader(const QJsonArray& params);
    static QString key(const QString& txid, std::uint32_t vout)
    {
        return txid + QLatin1Char(':') + QString::number(vout);
    }
    std::variant<QJsonValue, RpcError> sendRawTransaction(const QJsonArray& params);
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
    int ancestorCount(const btc::Transaction& tx) const;
    void connectBlock(Block& b);
    void onConnection();
    struct Connection;
    void serve(QTcpSocket* socket, const std::shared_ptr<Connection>& connection);

    Options m_options;
    QTcpServer m_server;
    QList<Block> m_chain;
    QHash<QString, Coin> m_utxos;
    QList<MempoolEntry> m_mempool;           ///< in acceptance order (parents before children)
    QHash<QString, QString> m_mempoolSpends; ///< outpoint -> spending txid
    qint64 m_requests = 0;
    quint64 m_blocksMined = 0;
    void* m_zmqContext = nullptr;
    void* m_zmqPub = nullptr;
    quint32 m_zmqSequence = 0; ///< extra nonce: a re-mined block never gets an old block's hash
    std::int64_t m_startTime;
    std::unique_ptr<Scan> m_scan; ///< the scan running (Core runs one at a time)
};

} // namespace uw::test
