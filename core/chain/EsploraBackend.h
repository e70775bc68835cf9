#pragma once

#include "chain/ChainBackend.h"

#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace uw {

/// An Esplora / mempool.space REST API as the node: POST /api/tx, the tip, blocks and their
/// transactions (paged by 25), address UTXOs for the first import, fee estimates.
class EsploraBackend final : public ChainBackend
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EsploraBackend)
public:
    explicit EsploraBackend(const QUrl& baseUrl, QObject* parent = nullptr, int timeoutMs = 15000);

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

private:
    void get(const QString& path, Callback<QByteArray> done);
    void blockTxs(std::shared_ptr<ChainBlock> block, int start, int total, Callback<ChainBlock> done);
    void finish(QNetworkReply* reply, Callback<QByteArray> done);
    QNetworkAccessManager* m_nam;
    QUrl m_base;
    int m_timeoutMs;
    QNetworkReply* m_scan = nullptr; ///< the address's UTXO request, while it runs
    bool m_scanCancelled = false;
};

} // namespace uw
