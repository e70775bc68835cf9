#include "status/StatusCollector.h"

#include "anchor/AnchorStore.h"
#include "chain/ChainBackend.h"
#include "util/ProcessStats.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace uw {

StatusCollector::StatusCollector(Config config, const Clock& clock, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_clock(clock), m_backend(makeBackend(m_config.backend).release()),
      m_checker(new ServiceChecker(this, m_config.timeoutMs))
{
    qRegisterMetaType<StatusSnapshot>();
    if (m_backend)
        m_backend->setParent(this);
    connect(m_checker, &ServiceChecker::finished, this, [this](const QList<ServiceStatus>& statuses) {
        m_snapshot.services = statuses;
        partDone();
    });
}

StatusCollector::~StatusCollector() = default;

void StatusCollector::collect()
{
    m_snapshot = StatusSnapshot{};
    m_snapshot.generatedAt = m_clock.nowSeconds();
    m_snapshot.process = processFigures();
    readStore();
    m_pending = 2;
    m_checker->check(m_config.services);
    if (!m_backend) {
        m_snapshot.node.reason = tr("No Bitcoin node is configured (BITCOIN_RPC_URL or MEMPOOL_API_URL).");
        partDone();
        return;
    }
    m_backend->nodeInfo([this](Result<QJsonObject> info) {
        NodeStatus node = info ? nodeFigures(*info) : NodeStatus{};
        node.configured = true;
        node.backend = m_backend->describe();
        node.reachable = info.ok();
        if (!info)
            node.reason = info.error().message;
        m_snapshot.node = node;
        partDone();
    });
}

NodeStatus StatusCollector::nodeFigures(const QJsonObject& info)
{
    auto integer = [](const QJsonValue& v) -> std::optional<qint64> {
        if (!v.isDouble())
            return std::nullopt;
        return v.toInteger(qint64(v.toDouble()));
    };
    auto real = [](const QJsonValue& v) -> std::optional<double> {
        if (!v.isDouble())
            return std::nullopt;
        return v.toDouble();
    };
    const QJsonObject chain = info.value(QStringLiteral("blockchain")).toObject();
    const QJsonObject mempool = info.value(QStringLiteral("mempool")).toObject();
    const QJsonObject network = info.value(QStringLiteral("network")).toObject();
    const QJsonObject fee = info.value(QStringLiteral("fee")).toObject();
    NodeStatus node;
    if (const QJsonValue name = chain.value(QStringLiteral("chain")); name.isString())
        node.chain = name.toString();
    node.blocks = integer(chain.value(QStringLiteral("blocks")));
    node.headers = integer(chain.value(QStringLiteral("headers")));
    node.verificationProgress = real(chain.value(QStringLiteral("verificationprogress")));
    node.bestBlockTime = integer(chain.value(QStringLiteral("time")));
    node.mempoolCount = integer(mempool.value(QStringLiteral("size")));
    node.mempoolBytes = integer(mempool.value(QStringLiteral("bytes")));
    node.peers = integer(network.value(QStringLiteral("connections")));
    if (const auto feerate = real(fee.value(QStringLiteral("feerate"))))
        node.feeEstimateSatVb = *feerate * 1e8 / 1000; // BTC/kvB -> sat/vB
    return node;
}

void StatusCollector::partDone()
{
    if (--m_pending == 0)
        Q_EMIT snapshotReady(m_snapshot);
}

void StatusCollector::readStore()
{
    UtxoPoolStatus& utxos = m_snapshot.utxos;
    AnchorsStatus& anchors = m_snapshot.anchors;
    if (!QFileInfo::exists(m_config.anchorDatabase))
        return; // no anchoring wallet: both unavailable, no error
    auto store = AnchorStore::open(m_config.anchorDatabase);
    if (!store) {
        utxos.error = anchors.error = store.error().message;
        return;
    }
    utxos.available = anchors.available = true;
    const std::int64_t now = m_clock.nowSeconds();
    const auto stats = store->utxoStats();
    for (const char* state : {"unspent", "locked", "spent_unconfirmed", "spent"}) {
        const UtxoStats s = stats.value(QString::fromLatin1(state));
        utxos.states.append(UtxoStateFigures{QString::fromLatin1(state), s.count, qint64(s.value)});
    }
    utxos.expiredLocks = store->expiredLockCount(now);
    const QList<std::int64_t> bounds{1'000,      10'000,      100'000,       1'000'000,
                                     10'000'000, 100'000'000, 1'000'000'000, std::int64_t(21e14)};
    const QList<qint64> counts = store->valueHistogram(bounds);
    for (qsizetype i = 0; i < bounds.size(); ++i)
        utxos.histogram.append(ValueBucket{qint64(bounds[i]), counts.value(i)});

    const auto c = store->anchorCounts();
    for (auto it = c.cbegin(); it != c.cend(); ++it)
        anchors.counts.insert(it.key(), it.value());
    anchors.queueDepth = c.value(QStringLiteral("queued")) + c.value(QStringLiteral("signed"));
    anchors.perMinuteLastHour = store->anchorsPerMinute(now, 60);
    const auto tip = store->tip();
    for (const AnchorRecord& a : store->latestAnchors(20)) {
        AnchorEntry e{a.id, a.digest, a.state, a.txid, std::nullopt};
        if (a.height && tip)
            e.confirmations = tip->height - *a.height + 1;
        anchors.latest.append(e);
    }
    for (const AnchorRecord& a : store->failedAnchors(20))
        anchors.failures.append(AnchorFailure{a.id, a.digest, a.error});
    m_snapshot.process.databaseBytes = store->databaseBytes();
}

ProcessStatus StatusCollector::processFigures()
{
    return ProcessStatus{QCoreApplication::applicationPid(), qint64(processStats::rssKb()), processStats::threads(), 0};
}

} // namespace uw
