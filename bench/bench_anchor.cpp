// Anchoring figures (issue #4):
//  1. with 1,000,000 UTXOs in SQLite: pick + lock (+ record) and mark spent, median and p99;
//  2. anchors per second built, signed, recorded (no network), and RSS before/after 100,000 of them;
//  3. anchors per second built, signed, recorded and sent to the Bitcoin Core test double (in process);
//  4. the old way: `listunspent` returning 173,000 UTXOs as JSON, parsed, filtered and sorted per anchor.
//   build/bench/bench_anchor [utxos] [anchors] [sent] [listunspent-size]
#include "anchor/AnchorStore.h"
#include "anchor/AnchorTx.h"
#include "chain/BitcoinCoreRpc.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "double/CoreDouble.h"
#include "util/ProcessStats.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace uw;
using SteadyClock = std::chrono::steady_clock;

namespace {

double us(SteadyClock::duration d)
{
    return std::chrono::duration<double, std::micro>(d).count();
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

QString digest(int i)
{
    return Sha256::hashHex(QByteArray(QByteArray("bench ") + QByteArray::number(i)));
}

QString fakeTxid(int i)
{
    return Sha256::hashHex(QByteArray(QByteArray("utxo ") + QByteArray::number(i)));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int utxoCount = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
    const int anchors = argc > 2 ? std::atoi(argv[2]) : 100'000;
    const int sent = argc > 3 ? std::atoi(argv[3]) : 10'000;
    const int listSize = argc > 4 ? std::atoi(argv[4]) : 173'000;
    QTemporaryDir dir(QStringLiteral("bench-anchor-XXXXXX")); // on the working disk, not tmpfs
    const btc::WalletKey key =
        btc::WalletKey::fromSecret(schnorr::generateSecretKey(), btc::KeyType::P2WPKH, btc::Network::Signet).value();
    std::printf("bench_anchor: %d UTXOs, %d anchors, %d sent to the double, listunspent of %d\n", utxoCount, anchors,
                sent, listSize);

    // ---- 1. a store with a million UTXOs
    AnchorStore store = AnchorStore::open(dir.path() + QStringLiteral("/anchor.sqlite")).value();
    auto t0 = SteadyClock::now();
    for (int i = 0; i < utxoCount; i += 10000) {
        QList<Utxo> batch;
        for (int j = i; j < std::min(utxoCount, i + 10000); ++j)
            batch.append(Utxo{0, fakeTxid(j), 0, 10'000 + (j % 9973), key.script(), 100, 0, {}, {}});
        if (!store.importUtxos(batch))
            return 1;
    }
    std::printf("  import of %d UTXOs                                 %8.1f s\n", utxoCount,
                us(SteadyClock::now() - t0) / 1e6);

    // The requests arrive as a batch (as `anchor --digests-file` queues them), then each is anchored.
    QStringList requests;
    for (int i = 0; i < anchors; ++i)
        requests.append(digest(i));
    const auto queued = store.enqueueMany(requests, false, 1000).value();
    const long rssStart = processStats::rssKb();
    std::vector<double> pickLock, markSpent, whole;
    const auto loopStart = SteadyClock::now();
    for (int i = 0; i < anchors; ++i) {
        const auto a0 = SteadyClock::now();
        const qint64 id = queued[i].id;
        const auto p0 = SteadyClock::now();
        auto picked = store.pickSignRecord(id, anchorTx::minimumInputWithChange(key, 1.0), 1000 + i, 600,
                                           [&](const Utxo& u) { return anchorTx::build(u, digest(i), key, 1.0); });
        const auto p1 = SteadyClock::now();
        if (!picked || !*picked)
            return 2;
        if (!store.markBroadcast(id, 1000 + i))
            return 3;
        const auto p2 = SteadyClock::now();
        pickLock.push_back(us(p1 - p0));
        markSpent.push_back(us(p2 - p1));
        whole.push_back(us(p2 - a0));
    }
    const double loopSeconds = us(SteadyClock::now() - loopStart) / 1e6;
    const long rssEnd = processStats::rssKb();
    std::printf("  pick + lock + build + sign + record (one SQL tx)   median %6.1f us   p99 %6.1f us\n",
                percentile(pickLock, 0.5), percentile(pickLock, 0.99));
    std::printf("  mark spent + insert change + broadcast state      median %6.1f us   p99 %6.1f us\n",
                percentile(markSpent, 0.5), percentile(markSpent, 0.99));
    std::printf("  anchors built, signed, recorded (no network)      %8.0f /s   (%d in %.1f s)\n",
                anchors / loopSeconds, anchors, loopSeconds);
    std::printf("  RSS before / after %d anchors                  %ld kB / %ld kB (%+ld kB)\n", anchors, rssStart,
                rssEnd, rssEnd - rssStart);

    // The pick alone, without building or signing: the index at work.
    std::vector<double> pickOnly;
    for (int i = 0; i < 10000; ++i) {
        const auto q0 = SteadyClock::now();
        const auto u = store.peekPick(10'000 + (i % 9000));
        pickOnly.push_back(us(SteadyClock::now() - q0));
        if (!u)
            return 4;
    }
    std::printf("  pick query alone (indexed, LIMIT 1)               median %6.1f us   p99 %6.1f us\n",
                percentile(pickOnly, 0.5), percentile(pickOnly, 0.99));

    // ---- 3. sent to the double (in process, no HTTP)
    {
        test::CoreDouble node(test::CoreDouble::Options{});
        AnchorStore sendStore = AnchorStore::open(dir.path() + QStringLiteral("/sent.sqlite")).value();
        const QString elsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
        node.call(QStringLiteral("generatetoaddress"), {200, key.address()});
        node.call(QStringLiteral("generatetoaddress"), {100, elsewhere});
        (void)sendStore.importUtxos(BitcoinCoreRpc::parseScan(
            std::get<QJsonValue>(
                node.call(QStringLiteral("scantxoutset"),
                          {QStringLiteral("start"), QJsonArray{QStringLiteral("addr(%1)").arg(key.address())}}))
                .toObject(),
            key.script()));
        std::vector<double> sendTimes;
        const auto s0 = SteadyClock::now();
        for (int i = 0; i < sent; ++i) {
            const qint64 id = sendStore.enqueue(digest(i), false, 1000).value().id;
            auto picked =
                sendStore.pickSignRecord(id, anchorTx::minimumInputWithChange(key, 1.0), 1000, 600,
                                         [&](const Utxo& u) { return anchorTx::build(u, digest(i), key, 1.0); });
            if (!picked || !*picked)
                return 5;
            const auto a = sendStore.anchor(id);
            const auto c0 = SteadyClock::now();
            const auto r = node.call(QStringLiteral("sendrawtransaction"), {QString::fromLatin1(a->rawTx.toHex())});
            sendTimes.push_back(us(SteadyClock::now() - c0));
            if (std::holds_alternative<test::CoreDouble::RpcError>(r)) {
                std::printf("double refused: %s\n", qPrintable(std::get<test::CoreDouble::RpcError>(r).message));
                return 6;
            }
            (void)sendStore.markBroadcast(id, 1000);
            if (i % 200 == 199) { // a block now and then: the mempool stays within Bitcoin Core's limits
                node.call(QStringLiteral("generatetoaddress"), {1, elsewhere});
                (void)sendStore.connection().exec(
                    QStringLiteral("UPDATE utxos SET chain_depth = 0, height = 1 WHERE state = 'unspent'"));
            }
        }
        const double secs = us(SteadyClock::now() - s0) / 1e6;
        std::printf("  anchors built, signed, recorded, sent to double   %8.0f /s   (%d; the double's own checks: "
                    "median %.1f us)\n",
                    sent / secs, sent, percentile(sendTimes, 0.5));
    }

    // ---- 4. the old way: listunspent as JSON for every anchor
    QJsonArray list;
    for (int i = 0; i < listSize; ++i)
        list.append(QJsonObject{{QStringLiteral("txid"), fakeTxid(i)},
                                {QStringLiteral("vout"), 0},
                                {QStringLiteral("address"), key.address()},
                                {QStringLiteral("scriptPubKey"), QString::fromLatin1(key.script().toHex())},
                                {QStringLiteral("amount"), 0.0001 + (i % 9973) * 1e-8},
                                {QStringLiteral("confirmations"), 100},
                                {QStringLiteral("spendable"), true},
                                {QStringLiteral("solvable"), true},
                                {QStringLiteral("safe"), true}});
    const QByteArray listJson = QJsonDocument(list).toJson(QJsonDocument::Compact);
    list = QJsonArray();
    std::vector<double> oldWay;
    const long rssOld0 = processStats::rssKb();
    long rssOldPeak = rssOld0;
    for (int i = 0; i < 20; ++i) {
        const auto o0 = SteadyClock::now();
        const QJsonArray parsed = QJsonDocument::fromJson(listJson).array();
        std::vector<std::pair<double, int>> candidates;
        candidates.reserve(std::size_t(parsed.size()));
        for (qsizetype j = 0; j < parsed.size(); ++j) {
            const QJsonObject u = parsed[j].toObject();
            if (u.value(QStringLiteral("confirmations")).toInt() > 0 && u.value(QStringLiteral("spendable")).toBool() &&
                u.value(QStringLiteral("amount")).toDouble() >= 0.0001)
                candidates.emplace_back(u.value(QStringLiteral("amount")).toDouble(), int(j));
        }
        std::sort(candidates.begin(), candidates.end());
        oldWay.push_back(us(SteadyClock::now() - o0));
        rssOldPeak = std::max(rssOldPeak, processStats::rssKb());
    }
    const double oldMedian = percentile(oldWay, 0.5);
    std::printf(
        "  old way: listunspent (%d UTXOs, %lld MB of JSON) parse + filter + sort, per anchor   median %.0f ms\n",
        listSize, qlonglong(listJson.size() / (1024 * 1024)), oldMedian / 1000);
    std::printf("  old way peak RSS growth while choosing            %+ld kB\n", rssOldPeak - rssOld0);
    std::printf("  ratio old way / indexed pick                      %.0fx\n", oldMedian / percentile(pickOnly, 0.5));
    return 0;
}
