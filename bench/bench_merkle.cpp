// Merkle rounds and their proofs (issue #12):
//  1. the round tree of N digests (default 1,000,000) and every digest's path, then every digest's
//     whole .ots proof, on one thread;
//  2. the size of a proof as the round grows: n = 1, 10, 1000 and N (log2 growth).
//   build/bench/bench_merkle [N]
#include "anchor/Merkle.h"
#include "anchor/Ots.h"
#include "crypto/Sha256.h"

#include <QRandomGenerator>
#include <chrono>
#include <cstdio>

using namespace uw;
using SteadyClock = std::chrono::steady_clock;

namespace {

double ms(SteadyClock::duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

std::vector<Bytes32> randomDigests(std::size_t n)
{
    std::vector<Bytes32> out(n);
    for (Bytes32& d : out)
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(d.data()), 8);
    return out;
}

/// A round's transaction as the wallet builds it (one input, the anchor script, change) and a
/// block of `blockSize` transactions holding it.
struct Confirmed
{
    QByteArray tx;
    QList<btc::Txid> block;
    qsizetype index = 0;
};

Confirmed confirm(const merkle::Tree& tree, int blockSize)
{
    btc::Transaction tx;
    btc::TxIn in;
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(in.prevout.txid.bytes.data()), 8);
    tx.inputs.append(in);
    tx.outputs.append(btc::TxOut{0, QByteArray::fromHex("6a2455574101") + tree.root()});
    tx.outputs.append(btc::TxOut{50'000, QByteArray::fromHex("0014") + QByteArray(20, '\x11')});
    Confirmed c;
    c.tx = tx.serialize(false);
    for (int i = 0; i < blockSize; ++i) {
        btc::Txid t;
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(t.bytes.data()), 8);
        c.block.append(t);
    }
    c.index = blockSize / 3;
    c.block[c.index] = tx.txid();
    return c;
}

} // namespace

int main(int argc, char** argv)
{
    const std::size_t n = argc > 1 ? std::size_t(std::atoll(argv[1])) : 1'000'000;
    const int blockSize = 3000;
    std::printf("bench_merkle: %zu digests, one thread\n\n", n);

    std::vector<Bytes32> digests = randomDigests(n);
    const auto t0 = SteadyClock::now();
    merkle::Tree tree = merkle::Tree::build(std::move(digests)).value();
    const auto t1 = SteadyClock::now();
    std::size_t steps = 0;
    for (qsizetype i = 0; i < tree.size(); ++i)
        steps += std::size_t(tree.path(i)->size());
    const auto t2 = SteadyClock::now();

    const Confirmed c = confirm(tree, blockSize);
    const auto t3 = SteadyClock::now();
    const ots::RoundProofs proofs =
        ots::RoundProofs::create(tree, c.tx, c.block, c.index, 900'000, btc::Network::Mainnet).value();
    std::size_t otsBytes = 0;
    for (qsizetype i = 0; i < tree.size(); ++i)
        otsBytes += std::size_t(proofs.proof(i).size());
    const auto t4 = SteadyClock::now();

    std::printf("| step | time |\n| --- | --- |\n");
    std::printf("| tree of %zu digests (%zu hashes, root) | %.0f ms |\n", n, n - 1, ms(t1 - t0));
    std::printf("| every path (merkle::Path, %zu steps in all) | %.0f ms |\n", steps, ms(t2 - t1));
    std::printf("| **root + all paths** | **%.0f ms** |\n", ms(t2 - t0));
    std::printf("| every .ots proof (RoundProofs::proof, %.1f MB in all) | %.0f ms |\n", double(otsBytes) / 1e6,
                ms(t4 - t3));
    std::printf("| **root + all .ots proofs** | **%.0f ms** |\n\n", ms(t1 - t0) + ms(t4 - t3));

    // Sizes: the round part grows as log2(n); the rest (transaction, block path of a block of
    // 3000 transactions, attestation) is the same for every digest of a round.
    std::printf("| digests in the round | levels | round ops bytes (largest) | round ops bytes (mean) | whole .ots "
                "(largest) |\n| --- | --- | --- | --- | --- |\n");
    for (std::size_t size : {std::size_t(1), std::size_t(10), std::size_t(1000), n}) {
        merkle::Tree t = size == n ? tree : merkle::Tree::build(randomDigests(size)).value();
        const Confirmed cc = confirm(t, blockSize);
        const ots::RoundProofs p =
            ots::RoundProofs::create(t, cc.tx, cc.block, cc.index, 900'000, btc::Network::Mainnet).value();
        std::size_t largest = 0, total = 0, largestOts = 0;
        for (qsizetype i = 0; i < t.size(); ++i) {
            const std::size_t b = std::size_t(ots::serializeOps(ots::roundOps(*t.path(i))).size());
            largest = std::max(largest, b);
            total += b;
            largestOts = std::max(largestOts, std::size_t(p.proof(i).size()));
        }
        std::printf("| %zu | %d | %zu | %.1f | %zu |\n", size, t.depth(), largest, double(total) / double(t.size()),
                    largestOts);
    }
    return 0;
}
