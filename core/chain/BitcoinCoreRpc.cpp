#include "chain/BitcoinCoreRpc.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <algorithm>
#include <cmath>

namespace uw {

namespace {

/// Bitcoin Core's error codes, said plainly.
QString explain(int code, const QString& message)
{
    switch (code) {
    case -25:
        return QStringLiteral("The node refused the transaction: %1 (its inputs are missing or already spent).")
            .arg(message);
    case -26:
        return QStringLiteral("The node's policy rejected the transaction: %1.").arg(message);
    case -27:
        return QStringLiteral("The transaction is already in the chain (%1).").arg(message);
    case -28:
        return QStringLiteral("The node is still starting up: %1.").arg(message);
    case -5:
        return QStringLiteral("Not found on the node: %1.").arg(message);
    case -8:
        return QStringLiteral("Invalid parameter: %1.").arg(message);
    case -22:
        return QStringLiteral("The node could not decode the transaction: %1.").arg(message);
    case -32601:
        return QStringLiteral("The node does not know this method: %1.").arg(message);
    default:
        return QStringLiteral("Bitcoin Core error %1: %2.").arg(code).arg(message);
    }
}

std::int64_t toSats(const QJsonValue& btc)
{
    return std::llround(btc.toDouble() * 1e8);
}

} // namespace

BitcoinCoreRpc::BitcoinCoreRpc(const QUrl& url, const QString& cookieFile, QObject* parent, int timeoutMs)
    : ChainBackend(parent), m_nam(new QNetworkAccessManager(this)), m_url(url), m_cookieFile(cookieFile),
      m_timeoutMs(timeoutMs)
{}

QString BitcoinCoreRpc::describe() const
{
    return QStringLiteral("Bitcoin Core RPC %1").arg(m_url.toString(QUrl::RemoveUserInfo));
}

QByteArray BitcoinCoreRpc::authorization() const
{
    QByteArray credentials;
    if (!m_cookieFile.isEmpty()) {
        QFile f(m_cookieFile);
        if (f.open(QIODevice::ReadOnly))
            credentials = f.readAll().trimmed();
    } else if (!m_url.userName().isEmpty()) {
        credentials = (m_url.userName() + QLatin1Char(':') + m_url.password()).toUtf8();
    }
    return credentials.isEmpty() ? QByteArray() : "Basic " + credentials.toBase64();
}

QNetworkReply* BitcoinCoreRpc::call(const QString& method, const QJsonArray& params, Callback<QJsonValue> done,
                                    int timeoutMs)
{
    QUrl url = m_url;
    url.setUserInfo(QString());
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    req.setTransferTimeout(timeoutMs < 0 ? m_timeoutMs : timeoutMs);
    // The cookie changes when the node restarts: read it for every call.
    if (const QByteArray auth = authorization(); !auth.isEmpty())
        req.setRawHeader("Authorization", auth);
    const QJsonObject body{{QStringLiteral("jsonrpc"), QStringLiteral("1.0")},
                           {QStringLiteral("id"), m_nextId++},
                           {QStringLiteral("method"), method},
                           {QStringLiteral("params"), params}};
    QNetworkReply* reply = m_nam->post(req, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done), method] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 401 || status == 403) {
            done(makeError(QStringLiteral("auth"),
                           QStringLiteral("The node refused the RPC credentials (cookie or user/password).")));
            return;
        }
        const QByteArray data = reply->readAll();
        const QJsonObject obj = QJsonDocument::fromJson(data).object();
        if (status == 0 || (obj.isEmpty() && reply->error() != QNetworkReply::NoError)) {
            // QNetworkAccessManager keeps failing on a cached connection to a node that went
            // down, even once it is back: start afresh.
            m_nam->clearConnectionCache();
            done(makeError(QStringLiteral("unreachable"),
                           QStringLiteral("The Bitcoin node is unreachable: %1.").arg(reply->errorString())));
            return;
        }
        const QJsonValue error = obj.value(QStringLiteral("error"));
        if (error.isObject()) {
            const int code = error.toObject().value(QStringLiteral("code")).toInt();
            const QString message = error.toObject().value(QStringLiteral("message")).toString();
            done(makeError(QStringLiteral("rpc:%1").arg(code), explain(code, message)));
            return;
        }
        if (!obj.contains(QStringLiteral("result"))) {
            done(makeError(
                QStringLiteral("bad_answer"),
                QStringLiteral("The node's answer to %1 is not JSON-RPC (HTTP %2).").arg(method).arg(status)));
            return;
        }
        done(obj.value(QStringLiteral("result")));
    });
    return reply;
}

void BitcoinCoreRpc::sendRawTransaction(const QByteArray& raw, Callback<QString> done)
{
    call(QStringLiteral("sendrawtransaction"), {QString::fromLatin1(raw.toHex())},
         [done = std::move(done)](Result<QJsonValue> r) {
             if (!r)
                 return done(r.error());
             done(r->toString());
         });
}

void BitcoinCoreRpc::estimateFeeRate(int targetBlocks, Callback<double> done)
{
    call(QStringLiteral("estimatesmartfee"), {targetBlocks}, [done = std::move(done)](Result<QJsonValue> r) {
        if (!r)
            return done(r.error());
        const QJsonValue rate = r->toObject().value(QStringLiteral("feerate"));
        if (!rate.isDouble()) // not enough data yet (fresh signet node): the caller uses its floor
            return done(makeError(QStringLiteral("no_estimate"), QStringLiteral("The node has no fee estimate yet.")));
        done(rate.toDouble() * 1e8 / 1000.0); // BTC/kvB -> sat/vB
    });
}

void BitcoinCoreRpc::bestBlockHash(Callback<QString> done)
{
    call(QStringLiteral("getbestblockhash"), {}, [done = std::move(done)](Result<QJsonValue> r) {
        if (!r)
            return done(r.error());
        done(r->toString());
    });
}

void BitcoinCoreRpc::blockHashAt(int height, Callback<QString> done)
{
    call(QStringLiteral("getblockhash"), {height}, [done = std::move(done)](Result<QJsonValue> r) {
        if (!r)
            return done(r.error());
        const QString hash = r->toString();
        if (hash.size() != 64)
            return done(
                makeError(QStringLiteral("bad_answer"), QStringLiteral("The node sent a malformed block hash.")));
        done(hash);
    });
}

Result<ChainBlock> BitcoinCoreRpc::parseBlock(const QJsonObject& o)
{
    ChainBlock b;
    b.hash = o.value(QStringLiteral("hash")).toString();
    b.prevHash = o.value(QStringLiteral("previousblockhash")).toString();
    b.height = o.value(QStringLiteral("height")).toInt(-1);
    b.time = o.value(QStringLiteral("time")).toInteger();
    b.merkleRoot = o.value(QStringLiteral("merkleroot")).toString();
    if (b.hash.size() != 64 || b.height < 0)
        return makeError(QStringLiteral("bad_answer"), QStringLiteral("The node sent a malformed block."));
    for (const QJsonValue& tv : o.value(QStringLiteral("tx")).toArray()) {
        const QJsonObject t = tv.toObject();
        ChainTx tx;
        tx.txid = t.value(QStringLiteral("txid")).toString();
        for (const QJsonValue& iv : t.value(QStringLiteral("vin")).toArray()) {
            const QJsonObject in = iv.toObject();
            if (in.contains(QStringLiteral("coinbase")))
                continue;
            const auto txid = btc::Txid::fromHex(in.value(QStringLiteral("txid")).toString());
            if (!txid)
                return makeError(QStringLiteral("bad_answer"), QStringLiteral("The node sent a malformed input."));
            tx.inputs.append(btc::OutPoint{*txid, std::uint32_t(in.value(QStringLiteral("vout")).toInt())});
        }
        for (const QJsonValue& ov : t.value(QStringLiteral("vout")).toArray()) {
            const QJsonObject out = ov.toObject();
            tx.outputs.append(btc::TxOut{toSats(out.value(QStringLiteral("value"))),
                                         QByteArray::fromHex(out.value(QStringLiteral("scriptPubKey"))
                                                                 .toObject()
                                                                 .value(QStringLiteral("hex"))
                                                                 .toString()
                                                                 .toLatin1())});
        }
        b.txs.append(tx);
    }
    return b;
}

void BitcoinCoreRpc::block(const QString& hash, Callback<ChainBlock> done)
{
    call(QStringLiteral("getblock"), {hash, 2}, [done = std::move(done)](Result<QJsonValue> r) {
        if (!r)
            return done(r.error());
        done(parseBlock(r->toObject()));
    });
}

/// A scan of the node's UTXO set: its start waits for the end of the walk (minutes on mainnet),
/// its status is asked meanwhile on another connection, and a cancel aborts it on the node.
struct BitcoinCoreRpc::Scan
{
    QByteArray script;
    ScanProgress progress;
    Callback<QList<Utxo>> done;
    QPointer<QNetworkReply> start;
    QTimer poll;
    int percent = -1;
    bool asking = false;    ///< a status or abort call is in flight
    bool cancelled = false; ///< cancelScan(): abort until the start answers, then "cancelled"
};

void BitcoinCoreRpc::scanUtxos(const QByteArray& script, const QString&, ScanProgress progress,
                               Callback<QList<Utxo>> done)
{
    if (m_scan)
        return done(makeError(QStringLiteral("scan_busy"),
                              QStringLiteral("A scan of the node's UTXO set is already running from here.")));
    auto scan = std::make_shared<Scan>();
    scan->script = script;
    scan->progress = std::move(progress);
    scan->done = std::move(done);
    m_scan = scan;
    const QJsonArray descriptors{QStringLiteral("raw(%1)").arg(QString::fromLatin1(script.toHex()))};
    // No transfer timeout: the answer comes when the walk ends. The status polls notice a node
    // that went away, and end the scan with their error.
    scan->start = call(
        QStringLiteral("scantxoutset"), {QStringLiteral("start"), descriptors},
        [this, weak = std::weak_ptr<Scan>(scan)](Result<QJsonValue> r) {
            const auto scan = weak.lock();
            if (!scan || scan != m_scan)
                return;
            if (!r) {
                // -8 is the only error a start with a valid descriptor gets: another client's scan runs.
                if (r.error().code == QLatin1String("rpc:-8") && !scan->cancelled)
                    return endScan(scan, makeError(QStringLiteral("scan_busy"),
                                                   QStringLiteral("The node is already scanning its UTXO set for "
                                                                  "another client (or for an earlier run that was "
                                                                  "stopped): try again once it ends. %1")
                                                       .arg(r.error().message)));
                return endScan(scan, r.error());
            }
            const QJsonObject result = r->toObject();
            if (!result.value(QStringLiteral("success")).toBool(false) && !scan->cancelled)
                return endScan(scan, makeError(QStringLiteral("scan_aborted"),
                                               QStringLiteral("The node's scan was aborted before its end (by "
                                                              "another client?): nothing was imported.")));
            if (scan->progress && scan->percent < 100 && !scan->cancelled)
                scan->progress(100);
            endScan(scan, parseScan(result, scan->script));
        },
        0);
    scan->poll.setInterval(m_scanPollMs);
    connect(&scan->poll, &QTimer::timeout, this, [this, weak = std::weak_ptr<Scan>(scan)] {
        if (const auto scan = weak.lock())
            pollScan(scan);
    });
    scan->poll.start();
    if (scan->progress)
        scan->progress(scan->percent = 0);
}

void BitcoinCoreRpc::pollScan(const std::shared_ptr<Scan>& scan)
{
    if (scan->asking)
        return;
    scan->asking = true;
    // A cancelled scan is aborted again at each tick until its start answers: the first abort
    // may reach the node before the start does (it then answers false, and the scan would run).
    call(QStringLiteral("scantxoutset"), {scan->cancelled ? QStringLiteral("abort") : QStringLiteral("status")},
         [this, weak = std::weak_ptr<Scan>(scan)](Result<QJsonValue> r) {
             const auto scan = weak.lock();
             if (!scan || scan != m_scan)
                 return;
             scan->asking = false;
             if (!r) {
                 if (classifyChainError(r.error()) == ChainError::Unreachable)
                     endScan(scan, r.error());
                 return;
             }
             // null: no scan runs yet (the start is on its way) or any more (its answer is).
             const QJsonValue progress = r->toObject().value(QStringLiteral("progress"));
             const int percent = std::clamp(progress.toInt(-1), -1, 100);
             if (!scan->cancelled && percent > scan->percent) {
                 scan->percent = percent;
                 if (scan->progress)
                     scan->progress(percent);
             }
         });
}

void BitcoinCoreRpc::cancelScan()
{
    if (!m_scan || m_scan->cancelled)
        return;
    m_scan->cancelled = true;
    m_scan->asking = false; // a status answer still on its way is ignored from here
    pollScan(m_scan);
}

void BitcoinCoreRpc::endScan(const std::shared_ptr<Scan>& scan, Result<QList<Utxo>> result)
{
    m_scan.reset();
    scan->poll.stop();
    if (scan->start && scan->start->isRunning())
        scan->start->abort(); // the node went away: its answer is not awaited any longer
    if (scan->cancelled)
        result = makeError(QStringLiteral("cancelled"),
                           QStringLiteral("The scan was cancelled and aborted on the node: nothing was imported."));
    scan->done(std::move(result));
}

QList<Utxo> BitcoinCoreRpc::parseScan(const QJsonObject& json, const QByteArray& script)
{
    QList<Utxo> out;
    for (const QJsonValue& v : json.value(QStringLiteral("unspents")).toArray()) {
        const QJsonObject u = v.toObject();
        Utxo utxo;
        utxo.txid = u.value(QStringLiteral("txid")).toString();
        utxo.vout = std::uint32_t(u.value(QStringLiteral("vout")).toInt());
        utxo.value = toSats(u.value(QStringLiteral("amount")));
        utxo.script = script;
        utxo.height = u.value(QStringLiteral("height")).toInt();
        out.append(utxo);
    }
    return out;
}

void BitcoinCoreRpc::transactionStatus(const QString& txid, Callback<TxStatus> done)
{
    call(QStringLiteral("getrawtransaction"), {txid, true}, [done = std::move(done)](Result<QJsonValue> r) {
        if (!r) {
            if (classifyChainError(r.error()) == ChainError::NotFound) // no such mempool or blockchain transaction
                return done(TxStatus{});
            return done(r.error());
        }
        const int confirmations = r->toObject().value(QStringLiteral("confirmations")).toInt(0);
        done(TxStatus{true, confirmations > 0, -1});
    });
}

void BitcoinCoreRpc::nodeInfo(Callback<QJsonObject> done)
{
    // Four calls, merged: chain, mempool, network, fee estimate.
    auto info = std::make_shared<QJsonObject>();
    auto pending = std::make_shared<int>(4);
    auto failed = std::make_shared<std::optional<Error>>();
    auto finish = [info, pending, failed, done = std::move(done)] {
        if (--*pending > 0)
            return;
        if (*failed)
            done(**failed);
        else
            done(*info);
    };
    auto collect = [info, failed, finish](const QString& key) {
        return [info, failed, finish, key](Result<QJsonValue> r) {
            if (!r && key == QLatin1String("blockchain") && !*failed)
                *failed = r.error();
            else if (r)
                info->insert(key, *r);
            finish();
        };
    };
    call(QStringLiteral("getblockchaininfo"), {}, collect(QStringLiteral("blockchain")));
    call(QStringLiteral("getmempoolinfo"), {}, collect(QStringLiteral("mempool")));
    call(QStringLiteral("getnetworkinfo"), {}, collect(QStringLiteral("network")));
    call(QStringLiteral("estimatesmartfee"), {6}, collect(QStringLiteral("fee")));
}

} // namespace uw
