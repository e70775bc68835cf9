#include "double/EsploraDouble.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <cmath>

namespace uw::test {

EsploraDouble::EsploraDouble(CoreDouble* node, QObject* parent) : QObject(parent), m_node(node)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* s = m_server.nextPendingConnection()) {
            s->setParent(this);
            auto buffer = std::make_shared<QByteArray>();
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            connect(s, &QTcpSocket::readyRead, this, [this, s, buffer] {
                buffer->append(s->readAll());
                while (true) {
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const QList<QByteArray> lines = buffer->left(end).split('\n');
                    qsizetype length = 0;
                    for (const QByteArray& l : lines)
                        if (l.trimmed().toLower().startsWith("content-length:"))
                            length = l.trimmed().mid(15).trimmed().toLongLong();
                    if (buffer->size() < end + 4 + length)
                        return;
                    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
                    const auto [status, payload] =
                        handle(first.value(0), QString::fromLatin1(first.value(1)), buffer->mid(end + 4, length));
                    buffer->remove(0, end + 4 + length);
                    s->write("HTTP/1.1 " + QByteArray::number(status) + (status == 200 ? " OK" : " Error") +
                             "\r\nContent-Length: " + QByteArray::number(payload.size()) + "\r\n\r\n" + payload);
                }
            });
        }
    });
}

bool EsploraDouble::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

std::pair<int, QByteArray> EsploraDouble::handle(const QByteArray& method, const QString& path, const QByteArray& body)
{
    auto rpc = [this](const QString& m, const QJsonArray& p) { return m_node->call(m, p); };
    auto json = [](const QJsonValue& v) {
        return v.isObject()  ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
               : v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                             : (v.isString() ? v.toString().toUtf8() : QByteArray::number(v.toInteger()));
    };
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts); // api, ...
    if (method == "POST" && path == QLatin1String("/api/tx")) {
        const auto r = rpc(QStringLiteral("sendrawtransaction"), {QString::fromLatin1(body.trimmed())});
        if (const auto* e = std::get_if<CoreDouble::RpcError>(&r))
            return {400, "sendrawtransaction RPC error: " +
                             QJsonDocument(QJsonObject{{QStringLiteral("code"), e->code},
                                                       {QStringLiteral("message"), e->message}})
                                 .toJson(QJsonDocument::Compact)};
        return {200, json(std::get<QJsonValue>(r))};
    }
    if (path == QLatin1String("/api/blocks/tip/hash"))
        return {200, json(std::get<QJsonValue>(rpc(QStringLiteral("getbestblockhash"), {})))};
    if (parts.size() == 3 && parts[1] == QLatin1String("block-height")) {
        const auto r = rpc(QStringLiteral("getblockhash"), {parts[2].toInt()});
        if (std::holds_alternative<CoreDouble::RpcError>(r))
            return {404, "Block not found"};
        return {200, std::get<QJsonValue>(r).toString().toLatin1()};
    }
    if (path == QLatin1String("/api/blocks/tip/height"))
        return {200, json(std::get<QJsonValue>(rpc(QStringLiteral("getblockcount"), {})))};
    if (path == QLatin1String("/api/fee-estimates"))
        return {200, R"({"1":3.0,"6":2.0,"144":1.0})"};
    if (path == QLatin1String("/api/mempool"))
        return {200, json(QJsonObject{{QStringLiteral("count"), m_node->mempoolSize()}, {QStringLiteral("vsize"), 0}})};
    if (parts.size() == 4 && parts[1] == QLatin1String("tx") && parts[3] == QLatin1String("status")) {
        const auto r = rpc(QStringLiteral("getrawtransaction"), {parts[2], true});
        if (std::holds_alternative<CoreDouble::RpcError>(r))
            return {404, "Transaction not found"};
        const QJsonObject t = std::get<QJsonValue>(r).toObject();
        if (!t.contains(QStringLiteral("blockhash")))
            return {200, R"({"confirmed":false})"};
        const auto b = rpc(QStringLiteral("getblock"), {t.value(QStringLiteral("blockhash")), 1});
        return {200, json(QJsonObject{{QStringLiteral("confirmed"), true},
                                      {QStringLiteral("block_hash"), t.value(QStringLiteral("blockhash"))},
                                      {QStringLiteral("block_height"),
                                       std::get<QJsonValue>(b).toObject().value(QStringLiteral("height"))}})};
    }
    if (parts.size() >= 3 && parts[1] == QLatin1String("block")) {
        const auto r = rpc(QStringLiteral("getblock"), {parts[2], 2});
        if (std::holds_alternative<CoreDouble::RpcError>(r))
            return {404, "Block not found"};
        const QJsonObject b = std::get<QJsonValue>(r).toObject();
        if (parts.size() == 3)
            return {200, json(QJsonObject{
                             {QStringLiteral("id"), b.value(QStringLiteral("hash"))},
                             {QStringLiteral("height"), b.value(QStringLiteral("height"))},
                             {QStringLiteral("previousblockhash"), b.value(QStringLiteral("previousblockhash"))},
                             {QStringLiteral("timestamp"), b.value(QStringLiteral("time"))},
                             {QStringLiteral("merkle_root"), b.value(QStringLiteral("merkleroot"))},
                             {QStringLiteral("tx_count"), b.value(QStringLiteral("nTx"))}})};
        const int start = parts.value(4).toInt();
        QJsonArray page;
        const QJsonArray txs = b.value(QStringLiteral("tx")).toArray();
        for (int i = start; i < std::min<int>(int(txs.size()), start + 25); ++i) {
            const QJsonObject t = txs[i].toObject();
            QJsonArray vin, vout;
            for (const QJsonValue& in : t.value(QStringLiteral("vin")).toArray())
                vin.append(
                    QJsonObject{{QStringLiteral("txid"), in.toObject().value(QStringLiteral("txid"))},
                                {QStringLiteral("vout"), in.toObject().value(QStringLiteral("vout"))},
                                {QStringLiteral("is_coinbase"), in.toObject().contains(QStringLiteral("coinbase"))}});
            for (const QJsonValue& out : t.value(QStringLiteral("vout")).toArray())
                vout.append(QJsonObject{
                    {QStringLiteral("scriptpubkey"),
                     out.toObject().value(QStringLiteral("scriptPubKey")).toObject().value(QStringLiteral("hex"))},
                    {QStringLiteral("value"),
                     qint64(std::llround(out.toObject().value(QStringLiteral("value")).toDouble() * 1e8))}});
            page.append(QJsonObject{{QStringLiteral("txid"), t.value(QStringLiteral("txid"))},
                                    {QStringLiteral("vin"), vin},
                                    {QStringLiteral("vout"), vout}});
        }
        return {200, json(page)};
    }
    if (parts.size() == 4 && parts[1] == QLatin1String("address") && parts[3] == QLatin1String("utxo")) {
        const auto r = rpc(QStringLiteral("scantxoutset"),
                           {QStringLiteral("start"), QJsonArray{QStringLiteral("addr(%1)").arg(parts[2])}});
        if (std::holds_alternative<CoreDouble::RpcError>(r))
            return {400, "Invalid Bitcoin address"};
        QJsonArray out;
        for (const QJsonValue& u : std::get<QJsonValue>(r).toObject().value(QStringLiteral("unspents")).toArray())
            out.append(QJsonObject{
                {QStringLiteral("txid"), u.toObject().value(QStringLiteral("txid"))},
                {QStringLiteral("vout"), u.toObject().value(QStringLiteral("vout"))},
                {QStringLiteral("value"),
                 qint64(std::llround(u.toObject().value(QStringLiteral("amount")).toDouble() * 1e8))},
                {QStringLiteral("status"),
                 QJsonObject{{QStringLiteral("confirmed"), true},
                             {QStringLiteral("block_height"), u.toObject().value(QStringLiteral("height"))}}}});
        return {200, json(out)};
    }
    return {404, "Not Found"};
}

} // namespace uw::test
