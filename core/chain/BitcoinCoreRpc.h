#pragma once

#include "chain/ChainBackend.h"

#include <QUrl>

class QNetworkAccessManager;

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
    void scanUtxos(const QByteArray& script, const QString& address, Callback<QList<Utxo>> done) override;
    void transactionStatus(const QString& txid, Callback<TxStatus> done) override;
    void nodeInfo(Callback<QJsonObject> done) override;

    /// One JSON-RPC call; `done` gets the "result" member.
    void call(const QString& method, const QJsonArray& params, Callback<QJsonValue> done);

    /// Parses getblock verbosity 2.
    static Result<ChainBlock> parseBlock(const QJsonObject& json);
    /// Parses a scantxoutset "start" result whose coins all pay `script`.
    static QList<Utxo> parseScan(const QJsonObject& json, const QByteArray& script);

private:
    QByteArray authorization() const;
    QNetworkAccessManager* m_nam;
    QUrl m_url;
    QString m_cookieFile;
    int m_timeoutMs;
    int m_nextId = 1;
};

} // namespace uw
