#include "chain/EsploraBackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace uw {

EsploraBackend::EsploraBackend(const QUrl& baseUrl, QObject* parent, int timeoutMs)
    : ChainBackend(parent), m_nam(new QNetworkAccessManager(this)), m_base(baseUrl), m_timeoutMs(timeoutMs)
{}

QString EsploraBackend::describe() const
{
    return QStringLiteral("Esplora %1").arg(m_base.toString());
}

void EsploraBackend::finish(QNetworkReply* reply, Callback<QByteArray> done)
{
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status == 0) {
            m_nam->clearConnectionCache(); // see BitcoinCoreRpc::call
            return done(makeError(QStringLiteral("unreachable"),
                                  QStringLiteral("The Esplora API is unreachable: %1.").arg(reply->errorString())));
        }
        if (status >= 500)
            return done(makeError(QStringLiteral("unreachable"),
                                  QStringLiteral("The Esplora API failed (HTTP %1).").arg(status)));
        if (status != 200) {
            // Esplora has no error codes of its own (chain/ChainError.h). It relays the node's
            // rejection as text, e.g. "sendrawtransaction RPC error: {"code":-26,...}": the node's
            // code is passed on as Bitcoin Core's backend would; any other answer keeps its HTTP status.
            const QString text = QString::fromUtf8(body).simplified().left(300);
            const qsizetype brace = body.indexOf('{');
            const QJsonObject rpc = brace >= 0 ? QJsonDocument::fromJson(body.mid(brace)).object() : QJsonObject();
            if (rpc.contains(QStringLiteral("code")))
                return done(makeError(
                    QStringLiteral("rpc:%1").arg(rpc.value(QStringLiteral("code")).toInt()),
                    QStringLiteral("The node rejected it: %1.").arg(rpc.value(QStringLiteral("message")).toString())));
            return done(makeError(QStringLiteral("http:%1").arg(status),
                                  QStringLiteral("Esplora answered HTTP %1: %2").arg(status).arg(text)));
        }
        done(body);
    });
}

void EsploraBackend::get(const QString& path, Callback<QByteArray> done)
{
    QNetworkRequest req(m_base.resolved(QUrl(path.mid(1))));
    req.setTransferTimeout(m_timeoutMs);
    finish(m_nam->get(req), std::move(done));
}

void EsploraBackend::sendRawTransaction(const QByteArray& raw, Callback<QString> done)
{
    QNetworkRequest req(m_base.resolved(QUrl(QStringLiteral("api/tx"))));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("text/plain"));
    req.setTransferTimeout(m_timeoutMs);
    finish(m_nam->post(req, raw.toHex()), [done = std::move(done)](Result<QByteArray> r) {
        if (!r)
            return done(r.error());
        done(QString::fromLatin1(r->trimmed()));
    });
}

void EsploraBackend::estimateFeeRate(int targetBlocks, Callback<double> done)
{
    get(QStringLiteral("/api/fee-estimates"), [targetBlocks, done = std::move(done)](Result<QByteArray> r) {
        if (!r)
            return done(r.error());
        const QJsonObject o = QJsonDocument::fromJson(*r).object();
        const QJsonValue v = o.value(QString::number(targetBlocks));
        if (!v.isDouble())
            return done(makeError(QStringLiteral("no_estimate"),
                                  QStringLiteral("No fee estimate for %1 blocks.").arg(targetBlocks)));
        done(v.toDouble());
    });
}

void EsploraBackend::bestBlockHash(Callback<QString> done)
{
    get(QStringLiteral("/api/blocks/tip/hash"), [done = std::move(done)](Result<QByteArray> r) {
        if (!r)
            return done(r.error());
        done(QString::fromLatin1(r->trimmed()));
    });
}

void EsploraBackend::blockHashAt(int height, Callback<QString> done)
{
    get(QStringLiteral("/api/block-height/%1").arg(height), [done = std::move(done)](Result<QByteArray> r) {
        if (!r)
            return done(r.error());
        const QString hash = QString::fromLatin1(r->trimmed());
        if (hash.size() != 64)
            return done(
                makeError(QStringLiteral("bad_answer"), QStringLiteral("Esplora sent a malformed block hash.")));
        done(hash);
    });
}

void EsploraBackend::block(const QString& hash, Callback<ChainBlock> done)
{
    get(QStringLiteral("/api/block/%1").arg(hash), [this, done = std::move(done)](Result<QByteArray> r) mutable {
        if (!r)
            return done(r.error());
        const QJsonObject o = QJsonDocument::fromJson(*r).object();
        auto b = std::make_shared<ChainBlock>();
        b->hash = o.value(QStringLiteral("id")).toString();
        b->prevHash = o.value(QStringLiteral("previousblockhash")).toString();
        b->height = o.value(QStringLiteral("height")).toInt(-1);
        b->time = o.value(QStringLiteral("timestamp")).toInteger();
        b->merkleRoot = o.value(QStringLiteral("merkle_root")).toString();
        if (b->hash.size() != 64 || b->height < 0)
            return done(makeError(QStringLiteral("bad_answer"), QStringLiteral("Esplora sent a malformed block.")));
        blockTxs(b, 0, o.value(QStringLiteral("tx_count")).toInt(), std::move(done));
    });
}

void EsploraBackend::blockTxs(std::shared_ptr<ChainBlock> block, int start, int total, Callback<ChainBlock> done)
{
    if (start >= total)
        return done(*block);
    get(QStringLiteral("/api/block/%1/txs/%2").arg(block->hash).arg(start),
        [this, block, start, total, done = std::move(done)](Result<QByteArray> r) mutable {
            if (!r)
                return done(r.error());
            const QJsonArray txs = QJsonDocument::fromJson(*r).array();
            for (const QJsonValue& tv : txs) {
                const QJsonObject t = tv.toObject();
                ChainTx tx;
                tx.txid = t.value(QStringLiteral("txid")).toString();
                for (const QJsonValue& iv : t.value(QStringLiteral("vin")).toArray()) {
                    const QJsonObject in = iv.toObject();
                    if (in.value(QStringLiteral("is_coinbase")).toBool())
                        continue;
                    if (const auto id = btc::Txid::fromHex(in.value(QStringLiteral("txid")).toString()))
                        tx.inputs.append(btc::OutPoint{*id, std::uint32_t(in.value(QStringLiteral("vout")).toInt())});
                }
                for (const QJsonValue& ov : t.value(QStringLiteral("vout")).toArray())
                    tx.outputs.append(
                        btc::TxOut{ov.toObject().value(QStringLiteral("value")).toInteger(),
                                   QByteArray::fromHex(
                                       ov.toObject().value(QStringLiteral("scriptpubkey")).toString().toLatin1())});
                block->txs.append(tx);
            }
            if (txs.isEmpty())
                return done(*block);
            blockTxs(block, start + int(txs.size()), total, std::move(done));
        });
}

void EsploraBackend::scanUtxos(const QByteArray& script, const QString& address, ScanProgress progress,
                               Callback<QList<Utxo>> done)
{
    if (m_scan)
        return done(makeError(QStringLiteral("scan_busy"),
                              QStringLiteral("A search of the address's UTXOs is already running from here.")));
    // One request, not paged by Esplora: no figure to give until it answers.
    if (progress)
        progress(-1);
    QNetworkRequest req(m_base.resolved(QUrl(QStringLiteral("api/address/%1/utxo").arg(address))));
    req.setTransferTimeout(m_timeoutMs);
    m_scan = m_nam->get(req);
    m_scanCancelled = false;
    finish(m_scan, [this, script, progress = std::move(progress), done = std::move(done)](Result<QByteArray> r) {
        m_scan = nullptr;
        if (m_scanCancelled)
            return done(makeError(QStringLiteral("cancelled"),
                                  QStringLiteral("The search was cancelled: nothing was imported.")));
        if (!r)
            return done(r.error());
        QList<Utxo> out;
        for (const QJsonValue& v : QJsonDocument::fromJson(*r).array()) {
            const QJsonObject u = v.toObject();
            Utxo utxo;
            utxo.txid = u.value(QStringLiteral("txid")).toString();
            utxo.vout = std::uint32_t(u.value(QStringLiteral("vout")).toInt());
            utxo.value = u.value(QStringLiteral("value")).toInteger();
            utxo.script = script;
            const QJsonObject status = u.value(QStringLiteral("status")).toObject();
            if (status.value(QStringLiteral("confirmed")).toBool())
                utxo.height = status.value(QStringLiteral("block_height")).toInt();
            out.append(utxo);
        }
        if (progress)
            progress(100);
        done(out);
    });
}

void EsploraBackend::cancelScan()
{
    if (!m_scan)
        return;
    m_scanCancelled = true;
    m_scan->abort(); // its answer: "cancelled"
}

void EsploraBackend::transactionStatus(const QString& txid, Callback<TxStatus> done)
{
    get(QStringLiteral("/api/tx/%1/status").arg(txid), [done = std::move(done)](Result<QByteArray> r) {
        if (!r) {
            // 404: unknown; 400: not even a transaction id it could know.
            if (const ChainError kind = classifyChainError(r.error());
                kind == ChainError::NotFound || kind == ChainError::BadRequest)
                return done(TxStatus{});
            return done(r.error());
        }
        const QJsonObject o = QJsonDocument::fromJson(*r).object();
        done(TxStatus{true, o.value(QStringLiteral("confirmed")).toBool(),
                      o.value(QStringLiteral("block_height")).toInt(-1)});
    });
}

void EsploraBackend::nodeInfo(Callback<QJsonObject> done)
{
    get(QStringLiteral("/api/blocks/tip/height"), [this, done = std::move(done)](Result<QByteArray> tip) mutable {
        if (!tip)
            return done(tip.error());
        const int height = tip->trimmed().toInt();
        get(QStringLiteral("/api/mempool"), [height, done = std::move(done)](Result<QByteArray> mempool) {
            QJsonObject info{{QStringLiteral("blockchain"),
                              QJsonObject{{QStringLiteral("blocks"), height}, {QStringLiteral("headers"), height}}}};
            if (mempool) {
                const QJsonObject m = QJsonDocument::fromJson(*mempool).object();
                info.insert(QStringLiteral("mempool"),
                            QJsonObject{{QStringLiteral("size"), m.value(QStringLiteral("count"))},
                                        {QStringLiteral("bytes"), m.value(QStringLiteral("vsize"))}});
            }
            done(info);
        });
    });
}

} // namespace uw
