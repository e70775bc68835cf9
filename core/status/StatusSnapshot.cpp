#include "status/StatusSnapshot.h"

#include <QDateTime>
#include <QJsonArray>

namespace uw {

namespace {

template <typename T> void insertIf(QJsonObject& o, const QString& key, const std::optional<T>& value)
{
    if (value)
        o.insert(key, *value);
}

QJsonObject nodeJson(const NodeStatus& n)
{
    QJsonObject o{{QStringLiteral("configured"), n.configured}, {QStringLiteral("reachable"), n.reachable}};
    if (n.configured)
        o.insert(QStringLiteral("backend"), n.backend);
    if (!n.reachable) {
        o.insert(QStringLiteral("reason"), n.reason);
        return o;
    }
    insertIf(o, QStringLiteral("chain"), n.chain);
    insertIf(o, QStringLiteral("blocks"), n.blocks);
    insertIf(o, QStringLiteral("headers"), n.headers);
    insertIf(o, QStringLiteral("verification_progress"), n.verificationProgress);
    insertIf(o, QStringLiteral("best_block_time"), n.bestBlockTime);
    insertIf(o, QStringLiteral("mempool_count"), n.mempoolCount);
    insertIf(o, QStringLiteral("mempool_bytes"), n.mempoolBytes);
    insertIf(o, QStringLiteral("peers"), n.peers);
    insertIf(o, QStringLiteral("fee_estimate_sat_vb"), n.feeEstimateSatVb);
    return o;
}

/// {"available": false} without a database, {"error": ...} when it cannot be read.
std::optional<QJsonObject> unavailableJson(bool available, const QString& error)
{
    if (available)
        return std::nullopt;
    if (!error.isEmpty())
        return QJsonObject{{QStringLiteral("error"), error}};
    return QJsonObject{{QStringLiteral("available"), false}};
}

QJsonObject utxosJson(const UtxoPoolStatus& u)
{
    if (auto missing = unavailableJson(u.available, u.error))
        return *missing;
    QJsonObject o;
    for (const UtxoStateFigures& s : u.states)
        o.insert(s.state, QJsonObject{{QStringLiteral("count"), s.count}, {QStringLiteral("value"), s.value}});
    o.insert(QStringLiteral("expired_locks"), u.expiredLocks);
    QJsonArray histogram;
    for (const ValueBucket& b : u.histogram)
        histogram.append(QJsonObject{{QStringLiteral("below_sat"), b.belowSat}, {QStringLiteral("count"), b.count}});
    o.insert(QStringLiteral("histogram"), histogram);
    return o;
}

QJsonObject anchorsJson(const AnchorsStatus& a)
{
    if (auto missing = unavailableJson(a.available, a.error))
        return *missing;
    QJsonObject counts;
    for (auto it = a.counts.cbegin(); it != a.counts.cend(); ++it)
        counts.insert(it.key(), it.value());
    QJsonArray perMinute;
    for (int n : a.perMinuteLastHour)
        perMinute.append(n);
    QJsonArray latest, failures;
    for (const AnchorEntry& e : a.latest) {
        QJsonObject o{{QStringLiteral("id"), e.id},
                      {QStringLiteral("digest"), e.digest},
                      {QStringLiteral("state"), e.state},
                      {QStringLiteral("txid"), e.txid}};
        insertIf(o, QStringLiteral("confirmations"), e.confirmations);
        latest.append(o);
    }
    for (const AnchorFailure& f : a.failures)
        failures.append(QJsonObject{
            {QStringLiteral("id"), f.id}, {QStringLiteral("digest"), f.digest}, {QStringLiteral("reason"), f.reason}});
    return {{QStringLiteral("counts"), counts},
            {QStringLiteral("queue_depth"), a.queueDepth},
            {QStringLiteral("per_minute_last_hour"), perMinute},
            {QStringLiteral("latest"), latest},
            {QStringLiteral("failures"), failures}};
}

QJsonArray servicesJson(const QList<ServiceStatus>& services)
{
    QJsonArray out;
    for (const ServiceStatus& s : services)
        out.append(QJsonObject{{QStringLiteral("name"), s.name},
                               {QStringLiteral("url"), s.url},
                               {QStringLiteral("protocol"), s.protocol},
                               {QStringLiteral("state"), s.up ? QStringLiteral("up") : QStringLiteral("down")},
                               {QStringLiteral("latency_ms"), s.latencyMs},
                               {QStringLiteral("checked_at"), s.checkedAt.toString(Qt::ISODateWithMs)},
                               {QStringLiteral("detail"), s.detail},
                               {QStringLiteral("dependency_down"), s.dependencyDown}});
    return out;
}

} // namespace

QJsonObject StatusSnapshot::toJson() const
{
    return {{QStringLiteral("generated_at"), QDateTime::fromSecsSinceEpoch(generatedAt, Qt::UTC).toString(Qt::ISODate)},
            {QStringLiteral("node"), nodeJson(node)},
            {QStringLiteral("utxos"), utxosJson(utxos)},
            {QStringLiteral("anchors"), anchorsJson(anchors)},
            {QStringLiteral("services"), servicesJson(services)},
            {QStringLiteral("process"), QJsonObject{{QStringLiteral("pid"), process.pid},
                                                    {QStringLiteral("rss_kb"), process.rssKb},
                                                    {QStringLiteral("threads"), process.threads},
                                                    {QStringLiteral("database_bytes"), process.databaseBytes}}}};
}

QByteArray StatusSnapshot::toCsv() const
{
    const QJsonObject s = toJson();
    QByteArray out("section,name,field,value\n");
    auto cell = [](QString v) {
        v.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return (QLatin1Char('"') + v + QLatin1Char('"')).toUtf8();
    };
    auto row = [&](const QString& section, const QString& name, const QString& field, const QJsonValue& v) {
        const QString text = v.isDouble() ? QString::number(v.toDouble(), 'g', 15)
                             : v.isBool() ? (v.toBool() ? QStringLiteral("true") : QStringLiteral("false"))
                                          : v.toString();
        out += cell(section) + ',' + cell(name) + ',' + cell(field) + ',' + cell(text) + '\n';
    };
    const QJsonObject nodeObject = s.value(QStringLiteral("node")).toObject();
    for (auto it = nodeObject.begin(); it != nodeObject.end(); ++it)
        row(QStringLiteral("node"), QString(), it.key(), it.value());
    const QJsonObject utxoObject = s.value(QStringLiteral("utxos")).toObject();
    for (const char* state : {"unspent", "locked", "spent_unconfirmed", "spent"})
        for (const char* field : {"count", "value"})
            row(QStringLiteral("utxos"), QString::fromLatin1(state), QString::fromLatin1(field),
                utxoObject.value(QString::fromLatin1(state)).toObject().value(QString::fromLatin1(field)));
    row(QStringLiteral("utxos"), QString(), QStringLiteral("expired_locks"),
        utxoObject.value(QStringLiteral("expired_locks")));
    const QJsonObject anchorObject = s.value(QStringLiteral("anchors")).toObject();
    row(QStringLiteral("anchors"), QString(), QStringLiteral("queue_depth"),
        anchorObject.value(QStringLiteral("queue_depth")));
    for (const QJsonValue& v : s.value(QStringLiteral("services")).toArray()) {
        const QJsonObject o = v.toObject();
        for (const char* field : {"url", "state", "latency_ms", "checked_at", "detail"})
            row(QStringLiteral("services"), o.value(QStringLiteral("name")).toString(), QString::fromLatin1(field),
                o.value(QString::fromLatin1(field)));
    }
    const QJsonObject processObject = s.value(QStringLiteral("process")).toObject();
    for (auto it = processObject.begin(); it != processObject.end(); ++it)
        row(QStringLiteral("process"), QString(), it.key(), it.value());
    return out;
}

} // namespace uw
