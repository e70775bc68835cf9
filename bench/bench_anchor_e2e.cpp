// Anchoring end to end against the Bitcoin Core double over HTTP (issue #12):
//  1. a wallet of N confirmed coins that the double knows too: the double mines coinbases to the
//     wallet, the wallet splits each into 2,000 coins with its own fan-out (signed, sent over
//     HTTP, verified by the double), one block confirms them all;
//  2. one digest per transaction: AnchorRuntime (as `userwallet-cli anchor --digests-file` runs
//     it) anchors A digests, enqueue to the last broadcast; then where the time goes, one part
//     at a time (the pick, pick+sign+record with its fsync, markBroadcast, dueAnchors, the
//     double's sendrawtransaction over HTTP one at a time and all at once);
//  3. a round: D digests accepted in batches of 1,000 (acceptDigests alone, then through
//     AnchorRuntime::submit) -> one round -> one transaction -> a block -> D `.ots` proofs.
//   build/bench/bench_anchor_e2e [utxos] [anchors] [round-digests] [max-in-flight]
#include "anchor/AnchorRuntime.h"
#include "anchor/AnchorStore.h"
#include "anchor/AnchorTx.h"
#include "anchor/Fanout.h"
#include "chain/BitcoinCoreRpc.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "util/Clock.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <unistd.h>

using namespace uw;
using SteadyClock = std::chrono::steady_clock;

namespace {

const QString kElsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
constexpr int kFanoutOutputs = 2000; // AnchorTx's limit for one fan-out
constexpr std::int64_t kCoinValue = 20'000;

double us(SteadyClock::duration d)
{
    return std::chrono::duration<double, std::micro>(d).count();
}

double seconds(SteadyClock::time_point since)
{
    return us(SteadyClock::now() - since) / 1e6;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

QString digest(const char* prefix, int i)
{
    return Sha256::hashHex(QByteArray(QByteArray(prefix) + QByteArray::number(i)));
}

/// CPU time (user + system) of a process, in seconds, from /proc.
double cpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / double(sysconf(_SC_CLK_TCK));
}

QByteArray loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
}

/// Runs the event loop until `done()` holds (checked every 2 ms) or `timeoutMs` passes.
bool spin(const std::function<bool()>& done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, [&] { loop.exit(1); });
    tick.start(2);
    return loop.exec() == 0;
}

/// One JSON-RPC call, waited for.
Result<QJsonValue> rpc(BitcoinCoreRpc& node, const QString& method, const QJsonArray& params = {})
{
    std::optional<Result<QJsonValue>> out;
    QEventLoop loop;
    node.call(method, params, [&](Result<QJsonValue> r) {
        out = std::move(r);
        loop.quit();
    });
    if (!out)
        loop.exec();
    return *out;
}

QProcess* g_double = nullptr; ///< killed by die(): exit() runs no destructor of main's locals

[[noreturn]] void die(const char* what, const QString& why = {})
{
    std::fprintf(stderr, "bench_anchor_e2e: %s %s\n", what, qPrintable(why));
    if (g_double) {
        g_double->kill();
        g_double->waitForFinished();
    }
    std::exit(1);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each figure as soon as it is known
    const int utxoCount = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
    const int anchors = argc > 2 ? std::atoi(argv[2]) : 5'000;
    const int roundDigests = argc > 3 ? std::atoi(argv[3]) : 100'000;
    const int maxInFlight = argc > 4 ? std::atoi(argv[4]) : AnchorService::Options{}.maxInFlight;
    QTemporaryDir dir(QStringLiteral("bench-anchor-e2e-XXXXXX")); // on the working disk, not tmpfs
    const QString cookie = dir.path() + QStringLiteral("/cookie");
    const QString dbPath = dir.path() + QStringLiteral("/anchor.sqlite");
    std::printf("bench_anchor_e2e: %d UTXOs, %d anchors, a round of %d digests, max in flight %d; load %s\n", utxoCount,
                anchors, roundDigests, maxInFlight, loadAverage().constData());

    // ---- the double, its own process, over HTTP
    QProcess doubleProcess;
    g_double = &doubleProcess;
    doubleProcess.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    doubleProcess.start(QStringLiteral(UW_DOUBLE_PATH), {QStringLiteral("--cookie-file"), cookie});
    if (!doubleProcess.waitForStarted() || !doubleProcess.waitForReadyRead(10000))
        die("the double did not start");
    const QByteArray hello = doubleProcess.readLine();
    const QString url = QString::fromUtf8(hello).section(QLatin1Char('"'), 3, 3);
    const qint64 doublePid = doubleProcess.processId();
    BitcoinCoreRpc node(QUrl(url), cookie);

    const btc::WalletKey key =
        btc::WalletKey::fromSecret(schnorr::generateSecretKey(), btc::KeyType::P2WPKH, btc::Network::Signet).value();

    // ---- 1. a wallet of utxoCount confirmed coins, known to the double and to the store
    auto t0 = SteadyClock::now();
    const int fanouts = (utxoCount + kFanoutOutputs - 1) / kFanoutOutputs;
    if (!rpc(node, QStringLiteral("generatetoaddress"), {fanouts, key.address()}) ||
        !rpc(node, QStringLiteral("generatetoaddress"), {100, kElsewhere}))
        die("mining failed");
    {
        AnchorStore store = AnchorStore::open(dbPath).value();
        const auto scan = rpc(node, QStringLiteral("scantxoutset"),
                              {QStringLiteral("start"), QJsonArray{QStringLiteral("addr(%1)").arg(key.address())}});
        if (!scan || !store.importUtxos(BitcoinCoreRpc::parseScan(scan->toObject(), key.script())))
            die("scan failed");
        for (int i = 0; i < fanouts; ++i) {
            const int outputs = std::min(kFanoutOutputs, utxoCount - i * kFanoutOutputs);
            bool done = false;
            fanout::split(store, node, key, fanout::Request{outputs, kCoinValue, 1.0, 1000, 600},
                          [&](Result<fanout::Sent> r) {
                              if (!r)
                                  die("fan-out refused:", r.error().message);
                              done = true;
                          });
            spin([&] { return done; }, 60000);
        }
        const auto mined = rpc(node, QStringLiteral("generatetoaddress"), {1, kElsewhere});
        const int height = rpc(node, QStringLiteral("getblockcount"))->toInt();
        // And an empty block on top: the chain follower's first look fetches the tip block, and
        // the fan-outs' block (1,000,000 outputs: hundreds of MB of getblock JSON, longer than
        // the RPC timeout) would keep the single-threaded double busy for seconds at a time.
        if (!mined || !rpc(node, QStringLiteral("generatetoaddress"), {1, kElsewhere}))
            die("mining failed");
        // The block confirms every fan-out: what the chain follower would record (applyBlock).
        if (!store.connection().exec(QStringLiteral("UPDATE utxos SET height = %1, chain_depth = 0 WHERE state = "
                                                    "'unspent' AND height IS NULL")
                                         .arg(height)))
            die("confirming failed");
        const auto stats = store.utxoStatsByState();
        std::printf("  wallet funded: %lld confirmed coins in the store and the double (%d fan-outs over HTTP) "
                    "%8.1f s\n",
                    qlonglong(stats.value(UtxoState::Unspent).count), fanouts, seconds(t0));
    }

    // ---- 2. one digest per transaction through AnchorRuntime, over HTTP
    AnchorRuntime::Config config{dbPath, BackendConfig{QUrl(url), cookie, {}, {}}, key, AnchorService::Options{1.0},
                                 2000};
    config.options.maxInFlight = maxInFlight;
    config.batchIntervalMs = 600'000; // the round closes when it is full
    config.batchMaxDigests = std::max(1, roundDigests);
    AnchorRuntime runtime(config, SystemClock::instance());
    bool synced = false;
    QObject::connect(&runtime, &AnchorRuntime::chainSynced, &app, [&] { synced = true; });
    QObject::connect(&runtime, &AnchorRuntime::failed, &app, [](const QString& why) { die("runtime:", why); });
    runtime.start();
    if (!spin([&] { return synced; }, 30000))
        die("the runtime did not sync");
    AnchorStore view = AnchorStore::open(dbPath).value();

    QSet<qint64> mine;
    int broadcast = 0, failed = 0;
    SteadyClock::time_point lastBroadcast;
    QObject::connect(&runtime, &AnchorRuntime::enqueued, &app, [&](const QList<qint64>& ids, const QList<bool>&) {
        mine = QSet<qint64>(ids.begin(), ids.end());
    });
    QObject::connect(&runtime, &AnchorRuntime::anchorUpdated, &app,
                     [&](qint64 id, AnchorState state, const QString&, const QString& error) {
                         if (!mine.contains(id))
                             return;
                         if (state == AnchorState::Broadcast) {
                             ++broadcast;
                             lastBroadcast = SteadyClock::now();
                         } else if (state == AnchorState::Failed) {
                             ++failed;
                             std::printf("  anchor %lld failed: %s\n", qlonglong(id), qPrintable(error));
                         }
                     });
    QStringList singles;
    for (int i = 0; i < anchors; ++i)
        singles.append(digest("single ", i));
    const double selfCpu0 = cpuSeconds(QCoreApplication::applicationPid()), doubleCpu0 = cpuSeconds(doublePid);
    const auto a0 = SteadyClock::now();
    runtime.enqueue(singles, false);
    if (!spin([&] { return broadcast + failed >= anchors; }, 600000))
        die("the anchors were not all broadcast");
    const double anchorSeconds = us(lastBroadcast - a0) / 1e6;
    std::printf("  one digest per transaction, enqueue -> broadcast   %8.0f /s   (%d in %.2f s, %d failed; "
                "CPU: bench %.2f s, double %.2f s; load %s)\n",
                anchors / anchorSeconds, anchors, anchorSeconds, failed,
                cpuSeconds(QCoreApplication::applicationPid()) - selfCpu0, cpuSeconds(doublePid) - doubleCpu0,
                loadAverage().constData());

    // ---- where the time goes, one part at a time, on this thread (the runtime is idle now)
    {
        AnchorStore store = AnchorStore::open(dbPath).value();
        const int parts = 1000;
        QStringList extra;
        for (int i = 0; i < parts; ++i)
            extra.append(digest("part ", i));
        const auto queued = store.enqueueMany(extra, false, 1000).value();
        // dueAnchors as work() calls it, with `parts` queued anchors.
        std::vector<double> due;
        for (int i = 0; i < 200; ++i) {
            const auto q0 = SteadyClock::now();
            const auto list = store.dueAnchors(SystemClock::instance().nowSeconds(), maxInFlight);
            due.push_back(us(SteadyClock::now() - q0));
            if (list.isEmpty())
                die("dueAnchors is empty");
        }
        std::vector<double> pick, pickSign, mark;
        for (int i = 0; i < 2000; ++i) {
            const auto q0 = SteadyClock::now();
            if (!store.peekPick(anchorTx::minimumInputWithChange(key, 1.0)))
                die("no pick");
            pick.push_back(us(SteadyClock::now() - q0));
        }
        QList<QByteArray> raws;
        for (int i = 0; i < parts; ++i) {
            const auto p0 = SteadyClock::now();
            auto picked = store.pickSignRecord(queued[i].id, anchorTx::minimumInputWithChange(key, 1.0), 1000, 600,
                                               [&](const Utxo& u) { return anchorTx::build(u, extra[i], key, 1.0); });
            pickSign.push_back(us(SteadyClock::now() - p0));
            if (!picked || !*picked)
                die("pickSignRecord failed");
            raws.append(store.anchor(queued[i].id)->rawTx);
        }
        for (int i = 0; i < parts; ++i) {
            const auto m0 = SteadyClock::now();
            if (!store.markBroadcast(queued[i].id, 1000))
                die("markBroadcast failed");
            mark.push_back(us(SteadyClock::now() - m0));
        }
        std::printf("  the pick alone (indexed, LIMIT 1)                 median %7.1f us   p99 %7.1f us\n",
                    percentile(pick, 0.5), percentile(pick, 0.99));
        std::printf("  pick + sign + record, FULL sync (one fsync)       median %7.1f us   p99 %7.1f us\n",
                    percentile(pickSign, 0.5), percentile(pickSign, 0.99));
        std::printf("  markBroadcast (NORMAL sync)                       median %7.1f us   p99 %7.1f us\n",
                    percentile(mark, 0.5), percentile(mark, 0.99));
        std::printf("  dueAnchors(now, %d) with %d queued                 median %7.1f us   p99 %7.1f us\n",
                    maxInFlight, parts, percentile(due, 0.5), percentile(due, 0.99));
        // The double alone: sendrawtransaction over HTTP (QNetworkAccessManager), one at a time,
        // then all at once (it opens up to 6 connections to one host).
        const int half = parts / 2;
        auto s0 = SteadyClock::now();
        double doubleCpu = cpuSeconds(doublePid);
        std::vector<double> rtt;
        for (int i = 0; i < half; ++i) {
            const auto r0 = SteadyClock::now();
            bool ok = false;
            QEventLoop loop;
            node.sendRawTransaction(raws[i], [&](Result<QString> r) {
                ok = r.ok();
                loop.quit();
            });
            loop.exec();
            if (!ok)
                die("the double refused");
            rtt.push_back(us(SteadyClock::now() - r0));
        }
        std::printf("  sendrawtransaction over HTTP, one at a time       %8.0f /s   (round trip median %.0f us, p99 "
                    "%.0f us; the double's CPU %.0f us each)\n",
                    half / seconds(s0), percentile(rtt, 0.5), percentile(rtt, 0.99),
                    (cpuSeconds(doublePid) - doubleCpu) * 1e6 / half);
        s0 = SteadyClock::now();
        doubleCpu = cpuSeconds(doublePid);
        int answered = 0;
        for (int i = half; i < parts; ++i)
            node.sendRawTransaction(raws[i], [&](Result<QString> r) {
                if (!r)
                    die("the double refused", r.error().message);
                ++answered;
            });
        spin([&] { return answered == parts - half; }, 60000);
        std::printf("  sendrawtransaction over HTTP, %d at once         %8.0f /s   (the double's CPU %.0f us each)\n",
                    parts - half, (parts - half) / seconds(s0), (cpuSeconds(doublePid) - doubleCpu) * 1e6 / half);
    }

    // ---- 3. a round: acceptDigests alone, in batches of 1,000, into a store of its own
    if (roundDigests > 0) {
        AnchorStore ingest = AnchorStore::open(dir.path() + QStringLiteral("/ingest.sqlite")).value();
        std::vector<double> batches;
        const auto i0 = SteadyClock::now();
        for (int b = 0; b < roundDigests; b += 1000) {
            QStringList batch;
            for (int i = b; i < std::min(roundDigests, b + 1000); ++i)
                batch.append(digest("ingest ", i));
            const auto b0 = SteadyClock::now();
            if (!ingest.acceptDigests(batch, 1000))
                die("acceptDigests failed");
            batches.push_back(us(SteadyClock::now() - b0) / 1000);
        }
        const double secs = seconds(i0);
        std::printf("  acceptDigests, batches of 1,000 (one commit each) %8.0f /s   (%d in %.2f s; a batch: median "
                    "%.1f ms, p99 %.1f ms; load %s)\n",
                    roundDigests / secs, roundDigests, secs, percentile(batches, 0.5), percentile(batches, 0.99),
                    loadAverage().constData());
    }
    // ... then through the runtime: submit -> round -> transaction -> block -> proofs
    if (roundDigests > 0) {
        QStringList all;
        for (int i = 0; i < roundDigests; ++i)
            all.append(digest("round ", i));
        qint64 round = 0;
        QObject::connect(&runtime, &AnchorRuntime::roundClosed, &app, [&](qint64 r, int) { round = r; });
        int acknowledged = 0;
        const auto r0 = SteadyClock::now();
        for (int b = 0; b < roundDigests; b += 1000)
            runtime.submit(all.mid(b, 1000), [&](Result<QList<DigestStatus>> r) {
                if (!r)
                    die("submit failed", r.error().message);
                acknowledged += int(r->size());
            });
        spin([&] { return acknowledged == roundDigests; }, 600000);
        const double submitted = seconds(r0);
        spin([&] { return round != 0; }, 600000);
        const double closed = seconds(r0);
        spin(
            [&] {
                const auto a = view.anchor(round);
                return a && a->stage == AnchorState::Broadcast;
            },
            600000);
        const double sent = seconds(r0);
        const auto b0 = SteadyClock::now();
        if (!rpc(node, QStringLiteral("generatetoaddress"), {1, kElsewhere}))
            die("mining failed");
        runtime.syncChain();
        spin(
            [&] {
                const auto a = view.anchor(round);
                return a && a->stage == AnchorState::Confirmed;
            },
            600000);
        const double confirmed = seconds(b0);
        std::optional<QByteArray> first;
        const auto p0 = SteadyClock::now();
        runtime.proof(all.first(), [&](Result<QByteArray> r) {
            if (!r)
                die("proof failed", r.error().message);
            first = *r;
        });
        spin([&] { return first.has_value(); }, 60000);
        const double firstProof = seconds(p0);
        int proofs = 1;
        qint64 proofBytes = first->size();
        const auto p1 = SteadyClock::now();
        for (int i = 1; i < roundDigests; ++i)
            runtime.proof(all[i], [&](Result<QByteArray> r) {
                if (!r)
                    die("proof failed", r.error().message);
                ++proofs;
                proofBytes += r->size();
            });
        spin([&] { return proofs == roundDigests; }, 600000);
        const double restProofs = seconds(p1);
        std::printf("  round of %d: submitted in batches of 1,000      %8.2f s  (%.0f digests/s)\n", roundDigests,
                    submitted, roundDigests / submitted);
        std::printf("    round closed (Merkle root, one SQL transaction)  +%7.2f s\n", closed - submitted);
        std::printf("    its transaction signed, recorded and broadcast   +%7.2f s\n", sent - closed);
        std::printf("    block mined on the double -> confirmed in store   %7.2f s\n", confirmed);
        std::printf("    first .ots proof (the round's shared part)        %7.3f s\n", firstProof);
        std::printf("    the other %d proofs                          %7.2f s   (%.0f /s, %.0f bytes each)\n",
                    roundDigests - 1, restProofs, (roundDigests - 1) / restProofs, double(proofBytes) / proofs);
        std::printf("  load %s\n", loadAverage().constData());
    }
    doubleProcess.kill();
    doubleProcess.waitForFinished();
    return 0;
}
