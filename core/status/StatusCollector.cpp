#include "status/StatusCollector.h"

#include "anchor/AnchorLog.h"
#include "anchor/AnchorStoreReader.h"
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

void StatusCollector::collect(const QJsonObject& core)
{
    m_snapshot = StatusSnapshot{};
    m_snapshot.generatedAt = m_clock.nowSeconds();
    m_snapshot.process = processFigures();
    readStore(core);
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

void StatusCollector::readStore(const QJsonObject& core)
{
    UtxoPoolStatus& utxos = m_snapshot.utxos;
    AnchorsStatus& anchors = m_snapshot.anchors;
    const std::int64_t now = m_clock.nowSeconds();
    static const QStringList utxoStates{QStringLiteral("unspent"), QStringLiteral("locked"),
                                        QStringLiteral("spent_unconfirmed"), QStringLiteral("spent")};
    // The running core's figures first: they are what it acts on. The rest (and everything when
    // no core runs) is read from the database, read-only.
    const bool fromCore = core.contains(QStringLiteral("anchors"));
    std::optional<AnchorStore::Tip> tip;
    if (fromCore) {
        utxos.available = anchors.available = true;
        const QJsonObject byState = core.value(QStringLiteral("utxos")).toObject();
        for (const QString& state : utxoStates) {
            const QJsonObject figures = byState.value(state).toObject();
            utxos.states.append(UtxoStateFigures{state, figures.value(QStringLiteral("count")).toInteger(),
                                                 figures.value(QStringLiteral("value")).toInteger()});
        }
        const QJsonObject counts = core.value(QStringLiteral("anchors")).toObject();
        for (auto it = counts.begin(); it != counts.end(); ++it)
            anchors.counts.insert(it.key(), it.value().toInteger());
        if (const QJsonObject t = core.value(QStringLiteral("tip")).toObject(); !t.isEmpty())
            tip =
                AnchorStore::Tip{t.value(QStringLiteral("height")).toInt(), t.value(QStringLiteral("hash")).toString()};
    }
    auto opened = AnchorStoreReader::open(m_config.anchorDatabase);
    if (!opened) {
        utxos.error = anchors.error = opened.error().message;
        return;
    }
    if (!opened->has_value())
        return; // no anchoring database yet: nothing more to show, and no error
    const AnchorStoreReader& store = **opened;
    utxos.available = anchors.available = true;
    // The first read that fails names the problem (a database another program damaged, ...).
    QString error;
    auto take = [&error](auto result, auto fallback) {
        if (result)
            return std::move(*result);
        if (error.isEmpty())
            error = result.error().message;
        return fallback;
    };
    if (!fromCore) {
        const auto stats = take(store.utxoStatsByState(), QMap<UtxoState, UtxoStats>());
        for (const QString& state : utxoStates) {
            const UtxoStats s = stats.value(utxoStateFromString(state).value_or(UtxoState::Locked));
            utxos.states.append(UtxoStateFigures{state, s.count, qint64(s.value)});
        }
        const auto counts = take(store.anchorCountsByState(), QMap<AnchorState, qint64>());
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            anchors.counts.insert(anchorStateToString(it.key()), it.value());
        tip = take(store.tip(), std::optional<AnchorStore::Tip>());
    }
    anchors.queueDepth =
        anchors.counts.value(QStringLiteral("queued")) + anchors.counts.value(QStringLiteral("signed"));
    utxos.expiredLocks = take(store.expiredLockCount(now), qint64(0));
    const QList<std::int64_t> bounds{1'000,      10'000,      100'000,       1'000'000,
                                     10'000'000, 100'000'000, 1'000'000'000, std::int64_t(21e14)};
    const QList<qint64> buckets = take(store.valueHistogram(bounds), QList<qint64>());
    for (qsizetype i = 0; i < bounds.size(); ++i)
        utxos.histogram.append(ValueBucket{qint64(bounds[i]), buckets.value(i)});
    anchors.perMinuteLastHour = take(store.anchorsPerMinute(now, 60), QList<int>(60, 0));
    for (const AnchorRecord& a : take(store.latestAnchors(20), QList<AnchorRecord>())) {
        AnchorEntry e{a.id, a.digest, a.state, a.txid, std::nullopt};
        if (a.height && tip)
            e.confirmations = tip->height - *a.height + 1;
        anchors.latest.append(e);
    }
    for (const AnchorRecord& a : take(store.failedAnchors(20), QList<AnchorRecord>()))
        anchors.failures.append(AnchorFailure{a.id, a.digest, a.error});
    m_snapshot.process.databaseBytes = store.databaseBytes();
    if (error.isEmpty())
        return;
    if (fromCore) {
        // The core's own figures stand; only the details the database holds are missing.
        qCWarning(lcAnchor).noquote() << "the dashboard could not read the anchor database:" << error;
        return;
    }
    utxos.available = anchors.available = false;
    utxos.error = anchors.error = error;
}

ProcessStatus StatusCollector::processFigures()
{
    return ProcessStatus{QCoreApplication::applicationPid(), qint64(processStats::rssKb()), processStats::threads(), 0};
}

} // namespace uw
