#include "status/StatusCollector.h"

#include "anchor/AnchorStore.h"
#include "chain/ChainBackend.h"
#include "util/ProcessStats.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <cmath>

namespace uw {

StatusCollector::StatusCollector(Config config, const Clock& clock, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_clock(clock), m_backend(makeBackend(m_config.backend).release()),
      m_checker(new ServiceChecker(this, m_config.timeoutMs))
{
    if (m_backend)
        m_backend->setParent(this);
    connect(m_checker, &ServiceChecker::finished, this, [this](const QList<ServiceStatus>& statuses) {
        QJsonArray services;
        for (const ServiceStatus& s : statuses)
            services.append(QJsonObject{{QStringLiteral("name"), s.name},
                                        {QStringLiteral("url"), s.url},
                                        {QStringLiteral("protocol"), s.protocol},
                                        {QStringLiteral("state"), s.up ? QStringLiteral("up") : QStringLiteral("down")},
                                        {QStringLiteral("latency_ms"), s.latencyMs},
                                        {QStringLiteral("checked_at"), s.checkedAt.toString(Qt::ISODateWithMs)},
                                        {QStringLiteral("detail"), s.detail},
                                        {QStringLiteral("dependency_down"), s.dependencyDown}});
        part(QStringLiteral("services"), services);
    });
}

StatusCollector::~StatusCollector() = default;

void StatusCollector::collect()
{
    m_snapshot = QJsonObject{{QStringLiteral("generated_at"),
                              QDateTime::fromSecsSinceEpoch(m_clock.nowSeconds(), Qt::UTC).toString(Qt::ISODate)}};
    m_snapshot.insert(QStringLiteral("process"), processFigures());
    const QJsonObject store = storeFigures();
    m_snapshot.insert(QStringLiteral("utxos"), store.value(QStringLiteral("utxos")));
    m_snapshot.insert(QStringLiteral("anchors"), store.value(QStringLiteral("anchors")));
    QJsonObject process = m_snapshot.value(QStringLiteral("process")).toObject();
    process.insert(QStringLiteral("database_bytes"), store.value(QStringLiteral("database_bytes")).toInteger(0));
    m_snapshot.insert(QStringLiteral("process"), process);
    m_pending = 2;
    m_checker->check(m_config.services);
    if (!m_backend) {
        part(QStringLiteral("node"),
             QJsonObject{{QStringLiteral("configured"), false},
                         {QStringLiteral("reachable"), false},
                         {QStringLiteral("reason"),
                          tr("No Bitcoin node is configured (BITCOIN_RPC_URL or MEMPOOL_API_URL).")}});
        return;
    }
    m_backend->nodeInfo([this](Result<QJsonObject> info) {
        QJsonObject node{{QStringLiteral("configured"), true}, {QStringLiteral("backend"), m_backend->describe()}};
        if (!info) {
            node.insert(QStringLiteral("reachable"), false);
            node.insert(QStringLiteral("reason"), info.error().message);
        } else {
            const QJsonObject chain = info->value(QStringLiteral("blockchain")).toObject();
            const QJsonObject mempool = info->value(QStringLiteral("mempool")).toObject();
            const QJsonObject network = info->value(QStringLiteral("network")).toObject();
            const QJsonObject fee = info->value(QStringLiteral("fee")).toObject();
            node.insert(QStringLiteral("reachable"), true);
            node.insert(QStringLiteral("chain"), chain.value(QStringLiteral("chain")));
            node.insert(QStringLiteral("blocks"), chain.value(QStringLiteral("blocks")));
            node.insert(QStringLiteral("headers"), chain.value(QStringLiteral("headers")));
            node.insert(QStringLiteral("verification_progress"), chain.value(QStringLiteral("verificationprogress")));
            node.insert(QStringLiteral("best_block_time"), chain.value(QStringLiteral("time")));
            node.insert(QStringLiteral("mempool_count"), mempool.value(QStringLiteral("size")));
            node.insert(QStringLiteral("mempool_bytes"), mempool.value(QStringLiteral("bytes")));
            node.insert(QStringLiteral("peers"), network.value(QStringLiteral("connections")));
            if (fee.value(QStringLiteral("feerate")).isDouble())
                node.insert(QStringLiteral("fee_estimate_sat_vb"),
                            fee.value(QStringLiteral("feerate")).toDouble() * 1e8 / 1000);
        }
        part(QStringLiteral("node"), node);
    });
}

void StatusCollector::part(const QString& key, const QJsonValue& value)
{
    m_snapshot.insert(key, value);
    if (--m_pending == 0)
        Q_EMIT snapshotReady(m_snapshot);
}

QJsonObject StatusCollector::storeFigures()
{
    QJsonObject utxos, anchors;
    if (!QFileInfo::exists(m_config.anchorDatabase)) {
        utxos.insert(QStringLiteral("available"), false);
        anchors.insert(QStringLiteral("available"), false);
        return {{QStringLiteral("utxos"), utxos}, {QStringLiteral("anchors"), anchors}};
    }
    auto store = AnchorStore::open(m_config.anchorDatabase);
    if (!store) {
        utxos.insert(QStringLiteral("error"), store.error().message);
        return {{QStringLiteral("utxos"), utxos}, {QStringLiteral("anchors"), utxos}};
    }
    const std::int64_t now = m_clock.nowSeconds();
    const auto stats = store->utxoStats();
    for (const char* state : {"unspent", "locked", "spent_unconfirmed", "spent"}) {
        const UtxoStats s = stats.value(QString::fromLatin1(state));
        utxos.insert(QString::fromLatin1(state),
                     QJsonObject{{QStringLiteral("count"), s.count}, {QStringLiteral("value"), qint64(s.value)}});
    }
    utxos.insert(QStringLiteral("expired_locks"), store->expiredLockCount(now));
    const QList<std::int64_t> bounds{1'000,      10'000,      100'000,       1'000'000,
                                     10'000'000, 100'000'000, 1'000'000'000, std::int64_t(21e14)};
    const QList<qint64> counts = store->valueHistogram(bounds);
    QJsonArray histogram;
    for (qsizetype i = 0; i < bounds.size(); ++i)
        histogram.append(
            QJsonObject{{QStringLiteral("below_sat"), qint64(bounds[i])}, {QStringLiteral("count"), counts.value(i)}});
    utxos.insert(QStringLiteral("histogram"), histogram);

    QJsonObject byState;
    const auto c = store->anchorCounts();
    for (auto it = c.cbegin(); it != c.cend(); ++it)
        byState.insert(it.key(), it.value());
    anchors.insert(QStringLiteral("counts"), byState);
    anchors.insert(QStringLiteral("queue_depth"),
                   c.value(QStringLiteral("queued")) + c.value(QStringLiteral("signed")));
    QJsonArray perMinute;
    for (int n : store->anchorsPerMinute(now, 60))
        perMinute.append(n);
    anchors.insert(QStringLiteral("per_minute_last_hour"), perMinute);
    const auto tip = store->tip();
    QJsonArray latest, failures;
    for (const AnchorRecord& a : store->latestAnchors(20)) {
        QJsonObject o{{QStringLiteral("id"), a.id},
                      {QStringLiteral("digest"), a.digest},
                      {QStringLiteral("state"), a.state},
                      {QStringLiteral("txid"), a.txid}};
        if (a.height && tip)
            o.insert(QStringLiteral("confirmations"), tip->height - *a.height + 1);
        latest.append(o);
    }
    for (const AnchorRecord& a : store->failedAnchors(20))
        failures.append(QJsonObject{
            {QStringLiteral("id"), a.id}, {QStringLiteral("digest"), a.digest}, {QStringLiteral("reason"), a.error}});
    anchors.insert(QStringLiteral("latest"), latest);
    anchors.insert(QStringLiteral("failures"), failures);
    return {{QStringLiteral("utxos"), utxos},
            {QStringLiteral("anchors"), anchors},
            {QStringLiteral("database_bytes"), store->databaseBytes()}};
}

QJsonObject StatusCollector::processFigures()
{
    return QJsonObject{{QStringLiteral("pid"), QCoreApplication::applicationPid()},
                       {QStringLiteral("rss_kb"), qint64(processStats::rssKb())},
                       {QStringLiteral("threads"), processStats::threads()}};
}

QByteArray StatusCollector::toCsv(const QJsonObject& s)
{
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
    const QJsonObject node = s.value(QStringLiteral("node")).toObject();
    for (auto it = node.begin(); it != node.end(); ++it)
        row(QStringLiteral("node"), QString(), it.key(), it.value());
    const QJsonObject utxos = s.value(QStringLiteral("utxos")).toObject();
    for (const char* state : {"unspent", "locked", "spent_unconfirmed", "spent"})
        for (const char* field : {"count", "value"})
            row(QStringLiteral("utxos"), QString::fromLatin1(state), QString::fromLatin1(field),
                utxos.value(QString::fromLatin1(state)).toObject().value(QString::fromLatin1(field)));
    row(QStringLiteral("utxos"), QString(), QStringLiteral("expired_locks"),
        utxos.value(QStringLiteral("expired_locks")));
    const QJsonObject anchors = s.value(QStringLiteral("anchors")).toObject();
    row(QStringLiteral("anchors"), QString(), QStringLiteral("queue_depth"),
        anchors.value(QStringLiteral("queue_depth")));
    for (const QJsonValue& v : s.value(QStringLiteral("services")).toArray()) {
        const QJsonObject o = v.toObject();
        for (const char* field : {"url", "state", "latency_ms", "checked_at", "detail"})
            row(QStringLiteral("services"), o.value(QStringLiteral("name")).toString(), QString::fromLatin1(field),
                o.value(QString::fromLatin1(field)));
    }
    const QJsonObject process = s.value(QStringLiteral("process")).toObject();
    for (auto it = process.begin(); it != process.end(); ++it)
        row(QStringLiteral("process"), QString(), it.key(), it.value());
    return out;
}

} // namespace uw
