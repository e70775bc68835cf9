#pragma once

#include "chain/ChainBackend.h"

#include <QUrl>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace uw {

/// Bitcoin Core over JSON-RPC: cookie file (re-read when the node restarts) or
/// user:password in the URL.
class BitcoinCoreRpc final : public ChainBackend
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BitcoinCoreRpc)
public:
    BitcoinCoreRpc(const QUrl& url, const QString& cookieFile, QObject* parent = nullptr, int timeoutMs = 15000);

    QString describe() const override;
    void sendRawTransaction(const QByteArray& raw, Callback<QString> done) override;
    void estimateFeeRate(int targetBlocks, Callback<double> done) override;
    void bestBlockHash(Callback<QString> done) override;
    void blockHashAt(int height, Callback<QString> done) override;
    void block(const QString& hash, Callback<ChainBlock> done) override;
    void scanUtxos(const QByteArray& script, const QString& address, ScanProgress progress,
                   Callback<QList<Utxo>> done) override;
    void cancelScan() override;
    void transactionStatus(const QString& txid, Callback<TxStatus> done) override;
    void nodeInfo(Callback<QJsonObject> done) override;

    /// One JSON-RPC call; `done` gets the "result" member. `timeoutMs`: -1 for the backend's
    /// own, 0 for none (a scan's start, which answers only when the scan ends). The reply is
    /// this backend's child; aborting it answers `done` with "unreachable".
    QNetworkReply* call(const QString& method, const QJsonArray& params, Callback<QJsonValue> done, int timeoutMs = -1);

    /// Parses getblock verbosity 2.
    static Result<ChainBlock> parseBlock(const QJsonObject& json);
    /// Parses a scantxoutset "start" result whose coins all pay `script`.
    static QList<Utxo> parseScan(const QJsonObject& json, const QByteArray& script);

private:
    struct Scan;
    void pollScan(const std::shared_ptr<Scan>& scan);
    void endScan(const std::shared_ptr<Scan>& scan, Result<QList<Utxo>> result);
    QByteArray authorization() const;
    QNetworkAccessManager* m_nam;
    QUrl m_url;
    QString m_cookieFile;
    int m_timeoutMs;
    int m_nextId = 1;
    int m_scanPollMs = 500;       ///< how often a running scan's status is asked (on a second connection)
    std::shared_ptr<Scan> m_scan; ///< the scan running, if any
};

} // namespace uw
