// The Merkle trees of anchoring (core/anchor/Merkle).
// Round tree: against OpenTimestamps' own make_merkle_tree (the upstream Python library through
// tests/tools/ots_check.py) for n = 1..33 and a random larger n, root and every leaf's path
// byte for byte; every path verifies and any edit of it fails. Block tree: against two real
// mainnet blocks, 100,000 (four transactions) and 100,014 (seven: the odd-level duplication),
// the second parsed from its raw bytes.
#include "anchor/Merkle.h"
#include "anchor/Ots.h"
#include "crypto/Sha256.h"
#include "support/OtsCheck.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace uw;

namespace {

QByteArray readVector(const char* name)
{
    QFile f(QStringLiteral(UW_TEST_DATA "/vectors/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing vector file %s", name);
    return f.readAll();
}

QByteArray bytes(const Bytes32& b)
{
    return QByteArray(reinterpret_cast<const char*>(b.data()), 32);
}

QByteArray reversed(QByteArray b)
{
    std::reverse(b.begin(), b.end());
    return b;
}

QByteArray flipBit(QByteArray b, qsizetype bit)
{
    b[bit / 8] = char(b[bit / 8] ^ (1 << (bit % 8)));
    return b;
}

/// Serialized legacy (non-witness) transactions of a block, cut by walking their fields.
QList<QByteArray> blockTransactions(const QByteArray& block)
{
    qsizetype pos = 80;
    auto compact = [&]() -> std::uint64_t {
        const std::uint8_t first = std::uint8_t(block[pos++]);
        int n = first == 0xfd ? 2 : first == 0xfe ? 4 : first == 0xff ? 8 : 0;
        if (n == 0)
            return first;
        std::uint64_t v = 0;
        for (int i = 0; i < n; ++i)
            v |= std::uint64_t(std::uint8_t(block[pos++])) << (8 * i);
        return v;
    };
    const std::uint64_t count = compact();
    QList<QByteArray> out;
    for (std::uint64_t t = 0; t < count; ++t) {
        const qsizetype start = pos;
        pos += 4; // version
        const std::uint64_t ins = compact();
        for (std::uint64_t i = 0; i < ins; ++i) {
            pos += 36;
            pos += qsizetype(compact());
            pos += 4;
        }
        const std::uint64_t outs = compact();
        for (std::uint64_t i = 0; i < outs; ++i) {
            pos += 8;
            pos += qsizetype(compact());
        }
        pos += 4; // lock time
        out.append(block.mid(start, pos - start));
    }
    if (pos != block.size())
        qFatal("the block has %lld bytes after its transactions", static_cast<long long>(block.size() - pos));
    return out;
}

} // namespace

class TestMerkle : public QObject
{
    Q_OBJECT

private:
    QRandomGenerator m_rng;
    QList<QByteArray> randomLeaves(qsizetype n)
    {
        QList<QByteArray> leaves;
        for (qsizetype i = 0; i < n; ++i) {
            QByteArray b(32, Qt::Uninitialized);
            m_rng.fillRange(reinterpret_cast<quint32*>(b.data()), 8);
            leaves.append(b);
        }
        return leaves;
    }
    /// Every path of `leaves` leads to the root; every edit of a leaf or of a path does not.
    void checkAllPaths(const QList<QByteArray>& leaves, bool everyEdit);

private Q_SLOTS:
    void initTestCase();
    void nodeIsSha256OfTheConcatenation();
    void smallTrees();
    void oddNodeIsPromotedNotDuplicated();
    void everyPathVerifiesAndEditsFail();
    void largeRandomTree();
    void matchesOpenTimestamps();
    void refusals();
    void block100000();
    void block100014OddCount();
    void blockPathRefusals();
};

void TestMerkle::initTestCase()
{
    bool given = false;
    quint32 seed = qEnvironmentVariable("UW_TEST_SEED").toUInt(&given);
    if (!given)
        seed = QRandomGenerator::global()->generate();
    qInfo("random leaves from seed %u (UW_TEST_SEED=%u replays them)", seed, seed);
    m_rng.seed(seed);
}

void TestMerkle::nodeIsSha256OfTheConcatenation()
{
    // Nettle's SHA-256 in the tree, libsodium's here.
    const QList<QByteArray> two = randomLeaves(2);
    Bytes32 l{}, r{};
    std::copy(two[0].begin(), two[0].end(), l.begin());
    std::copy(two[1].begin(), two[1].end(), r.begin());
    QCOMPARE(bytes(merkle::node(l, r)), bytes(Sha256::hash(QByteArray(two[0] + two[1]))));
    QVERIFY(merkle::node(l, r) != merkle::node(r, l));
}

void TestMerkle::smallTrees()
{
    auto h = [](const QByteArray& a, const QByteArray& b) { return bytes(Sha256::hash(QByteArray(a + b))); };
    const QList<QByteArray> x = randomLeaves(5);
    // One leaf: the root is the digest itself, with an empty path (a round of one is the old format).
    QCOMPARE(merkle::root({x[0]}), x[0]);
    QVERIFY(merkle::path({x[0]}, 0)->isEmpty());
    QCOMPARE(merkle::root({x[0], x[1]}), h(x[0], x[1]));
    QCOMPARE(merkle::root(x.mid(0, 4)), h(h(x[0], x[1]), h(x[2], x[3])));
    QCOMPARE(merkle::root(x), h(h(h(x[0], x[1]), h(x[2], x[3])), x[4]));
    // Leaf 4 of 5 rises alone twice: its path has one step, the left subtree.
    const merkle::Path p4 = *merkle::path(x, 4);
    QCOMPARE(p4.size(), 1);
    QCOMPARE(p4[0], (merkle::Step{true, h(h(x[0], x[1]), h(x[2], x[3]))}));
    const merkle::Path p2 = *merkle::path(x, 2);
    QCOMPARE(p2,
             (merkle::Path{merkle::Step{false, x[3]}, merkle::Step{true, h(x[0], x[1])}, merkle::Step{false, x[4]}}));
}

void TestMerkle::oddNodeIsPromotedNotDuplicated()
{
    const QList<QByteArray> x = randomLeaves(3);
    const QByteArray abc = merkle::root(x);
    const QByteArray abcc = merkle::root({x[0], x[1], x[2], x[2]});
    QVERIFY2(abc != abcc, "[a, b, c] and [a, b, c, c] must not share a root (CVE-2012-2459)");
    QCOMPARE(abc, bytes(Sha256::hash(QByteArray(bytes(Sha256::hash(QByteArray(x[0] + x[1]))) + x[2]))));
    // Bitcoin's block tree does duplicate: there the two lists do share a root.
    QList<btc::Txid> t;
    for (const QByteArray& b : x) {
        btc::Txid id;
        std::copy(b.begin(), b.end(), id.bytes.begin());
        t.append(id);
    }
    QCOMPARE(merkle::blockRoot(t), merkle::blockRoot(t + QList<btc::Txid>{t.last()}));
}

void TestMerkle::checkAllPaths(const QList<QByteArray>& leaves, bool everyEdit)
{
    auto tree = merkle::Tree::build(leaves);
    QVERIFY(tree);
    const QByteArray root = tree->root();
    QCOMPARE(root, merkle::root(leaves));
    int longest = 0;
    for (qsizetype i = 0; i < leaves.size(); ++i) {
        const merkle::Path path = *tree->path(i);
        longest = std::max(longest, int(path.size()));
        if (!merkle::verify(leaves[i], path, root))
            QFAIL(qPrintable(QStringLiteral("leaf %1 of %2 does not verify").arg(i).arg(leaves.size())));
        // The allocation-free walk gives the same steps.
        merkle::Path walked;
        tree->forEachStep(i, [&](bool left, const Bytes32& s) { walked.append({left, bytes(s)}); });
        QCOMPARE(walked, path);
        if (!everyEdit && i % 97 != 0)
            continue;
        // Another leaf, or this leaf with one bit flipped.
        QVERIFY(!merkle::verify(flipBit(leaves[i], m_rng.bounded(256)), path, root));
        if (leaves.size() > 1)
            QVERIFY(!merkle::verify(leaves[(i + 1) % leaves.size()], path, root));
        for (qsizetype s = 0; s < path.size(); ++s) {
            merkle::Path edited = path;
            edited[s].sibling = flipBit(edited[s].sibling, m_rng.bounded(256));
            QVERIFY(!merkle::verify(leaves[i], edited, root));
            edited = path;
            edited[s].siblingOnLeft = !edited[s].siblingOnLeft;
            QVERIFY(!merkle::verify(leaves[i], edited, root));
            edited = path;
            edited.removeAt(s);
            QVERIFY(!merkle::verify(leaves[i], edited, root));
        }
        merkle::Path longer = path;
        longer.append({false, leaves[i]});
        QVERIFY(!merkle::verify(leaves[i], longer, root));
        QVERIFY(!merkle::verify(leaves[i], path, flipBit(root, m_rng.bounded(256))));
    }
    // ceil(log2(n)) levels; the first leaf always has a sibling at every one of them.
    int levels = 0;
    while ((qsizetype(1) << levels) < leaves.size())
        ++levels;
    QCOMPARE(tree->depth(), levels);
    QCOMPARE(longest, levels);
    QCOMPARE(tree->path(0)->size(), levels);
}

void TestMerkle::everyPathVerifiesAndEditsFail()
{
    for (int n = 1; n <= 33; ++n) {
        checkAllPaths(randomLeaves(n), true);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QStringLiteral("n = %1").arg(n)));
    }
}

void TestMerkle::largeRandomTree()
{
    const qsizetype n = 20000 + m_rng.bounded(50000);
    qInfo("n = %lld", static_cast<long long>(n));
    checkAllPaths(randomLeaves(n), false);
}

void TestMerkle::matchesOpenTimestamps()
{
    // OpenTimestamps' make_merkle_tree builds the same tree: the same root, and each leaf's
    // timestamp (its path as append/prepend + sha256 operations) serializes to our bytes.
    QList<QList<QByteArray>> trees;
    for (int n = 1; n <= 33; ++n)
        trees.append(randomLeaves(n));
    trees.append(randomLeaves(34 + m_rng.bounded(3000)));
    QJsonArray request;
    for (const auto& leaves : trees) {
        QJsonArray a;
        for (const QByteArray& l : leaves)
            a.append(QString::fromLatin1(l.toHex()));
        request.append(a);
    }
    const auto run = test::runOtsCheck({QStringLiteral("--merkle")},
                                       QJsonDocument(QJsonObject{{QStringLiteral("trees"), request}}).toJson());
    QVERIFY2(run.exitCode == 0, qPrintable(QStringLiteral("ots_check.py --merkle failed (python3-opentimestamps is "
                                                          "installed by scripts/setup.sh): %1")
                                               .arg(QString::fromUtf8(run.err))));
    const QJsonArray answers = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("trees")).toArray();
    QCOMPARE(answers.size(), trees.size());
    const ots::Attestation tip = ots::blockHeaderAttestation(btc::Network::Mainnet, 0);
    for (qsizetype t = 0; t < trees.size(); ++t) {
        const QList<QByteArray>& leaves = trees[t];
        const QJsonObject answer = answers[t].toObject();
        auto tree = merkle::Tree::build(leaves);
        QVERIFY(tree);
        QCOMPARE(QString::fromLatin1(tree->root().toHex()), answer.value(QStringLiteral("root")).toString());
        const QJsonArray upstream = answer.value(QStringLiteral("leaves")).toArray();
        QCOMPARE(upstream.size(), leaves.size());
        for (qsizetype i = 0; i < leaves.size(); ++i) {
            const ots::Proof proof{leaves[i], ots::roundOps(*tree->path(i)), tip};
            const QByteArray ours = ots::serialize(proof).mid(ots::magic().size() + 1 + 1 + 32);
            if (QString::fromLatin1(ours.toHex()) != upstream[i].toString())
                QFAIL(qPrintable(QStringLiteral("n = %1, leaf %2: ours %3, upstream %4")
                                     .arg(leaves.size())
                                     .arg(i)
                                     .arg(QString::fromLatin1(ours.toHex()), upstream[i].toString())));
        }
    }
}

void TestMerkle::refusals()
{
    QVERIFY(merkle::root({}).isEmpty());
    auto empty = merkle::Tree::build(QList<QByteArray>{});
    QVERIFY(!empty);
    QCOMPARE(empty.error().code, QStringLiteral("merkle_empty"));
    auto shortLeaf = merkle::Tree::build(QList<QByteArray>{QByteArray(32, 'a'), QByteArray(31, 'b')});
    QVERIFY(!shortLeaf);
    QCOMPARE(shortLeaf.error().code, QStringLiteral("merkle_bad_leaf"));
    QVERIFY(shortLeaf.error().message.contains(QStringLiteral("Leaf 1")));
    QVERIFY(merkle::root({QByteArray(33, 'a')}).isEmpty());
    const QList<QByteArray> x = randomLeaves(3);
    for (qsizetype bad : {qsizetype(-1), qsizetype(3)}) {
        auto p = merkle::path(x, bad);
        QVERIFY(!p);
        QCOMPARE(p.error().code, QStringLiteral("merkle_bad_index"));
    }
    merkle::Path p = *merkle::path(x, 0);
    p[0].sibling.chop(1);
    QVERIFY(merkle::rootFromPath(x[0], p).isEmpty());
    QVERIFY(!merkle::verify(x[0], p, merkle::root(x)));
    QVERIFY(merkle::rootFromPath(x[0].left(31), *merkle::path(x, 0)).isEmpty());
}

void TestMerkle::block100000()
{
    const QJsonObject block = QJsonDocument::fromJson(readVector("block-100000.json")).object();
    QList<btc::Txid> txids;
    for (const QJsonValue& v : block.value(QStringLiteral("tx")).toArray())
        txids.append(btc::Txid::fromHex(v.toString()).value());
    QCOMPARE(txids.size(), 4);
    const QByteArray root = merkle::blockRoot(txids);
    // The header's field and getblock's "merkleroot" show it reversed, as Bitcoin shows hashes.
    QCOMPARE(QString::fromLatin1(reversed(root).toHex()), block.value(QStringLiteral("merkleroot")).toString());
    for (qsizetype i = 0; i < txids.size(); ++i) {
        const merkle::Path path = *merkle::blockPath(txids, i);
        QCOMPARE(path.size(), 2);
        QCOMPARE(merkle::blockRootFromPath(bytes(txids[i].bytes), path), root);
        merkle::Path edited = path;
        edited[1].sibling = flipBit(edited[1].sibling, 77);
        QVERIFY(merkle::blockRootFromPath(bytes(txids[i].bytes), edited) != root);
    }
    // Order matters.
    QList<btc::Txid> swapped = txids;
    swapped.swapItemsAt(1, 2);
    QVERIFY(merkle::blockRoot(swapped) != root);
}

void TestMerkle::block100014OddCount()
{
    const QByteArray raw = QByteArray::fromHex(readVector("block-100014.hex").trimmed());
    QVERIFY(raw.size() > 80);
    // The bytes are the real block: its header hashes to the block's id.
    QCOMPARE(btc::Txid{Sha256::hash256(raw.left(80))}.hex(),
             QStringLiteral("000000000000b731f2eef9e8c63173adfb07e41bd53eb0ef0a6b720d6cb6dea4"));
    const QByteArray headerRoot = raw.mid(36, 32);
    QCOMPARE(QString::fromLatin1(reversed(headerRoot).toHex()),
             QStringLiteral("8772d9d0fdf8c1303c7b1167e3c73b095fd970e33c799c6563d98b2e96c5167f"));

    QList<btc::Txid> txids;
    for (const QByteArray& txBytes : blockTransactions(raw)) {
        auto tx = btc::Transaction::deserialize(txBytes);
        QVERIFY2(tx, "a transaction of the block does not parse");
        QCOMPARE(tx->serialize(false), txBytes);
        txids.append(tx->txid());
    }
    QCOMPARE(txids.size(), 7);
    // Its coinbase, as block explorers name it.
    QCOMPARE(txids[0].hex(), QStringLiteral("147caa76786596590baa4e98f5d9f48b86c7765e489f7a6ff3360fe5c674360b"));
    QCOMPARE(merkle::blockRoot(txids), headerRoot);
    for (qsizetype i = 0; i < txids.size(); ++i) {
        const merkle::Path path = *merkle::blockPath(txids, i);
        QCOMPARE(path.size(), 3);
        QCOMPARE(merkle::blockRootFromPath(bytes(txids[i].bytes), path), headerRoot);
        for (qsizetype s = 0; s < path.size(); ++s) {
            merkle::Path edited = path;
            edited[s].sibling = flipBit(edited[s].sibling, m_rng.bounded(256));
            QVERIFY(merkle::blockRootFromPath(bytes(txids[i].bytes), edited) != headerRoot);
        }
    }
    // The last transaction is paired with itself at the first level.
    const merkle::Path last = *merkle::blockPath(txids, 6);
    QCOMPARE(last[0], (merkle::Step{false, bytes(txids[6].bytes)}));
    // Without the duplication rule (the round tree's promotion) the root is another one.
    QList<QByteArray> asLeaves;
    for (const btc::Txid& t : txids)
        asLeaves.append(bytes(t.bytes));
    QVERIFY(merkle::root(asLeaves) != headerRoot);
}

void TestMerkle::blockPathRefusals()
{
    QVERIFY(merkle::blockRoot({}).isEmpty());
    auto none = merkle::blockPath({}, 0);
    QVERIFY(!none);
    QCOMPARE(none.error().code, QStringLiteral("merkle_empty"));
    const QList<btc::Txid> one{btc::Txid{Sha256::hash(QByteArrayView("x"))}};
    QCOMPARE(merkle::blockRoot(one), bytes(one[0].bytes));
    QVERIFY(merkle::blockPath(one, 0)->isEmpty());
    auto outside = merkle::blockPath(one, 1);
    QVERIFY(!outside);
    QCOMPARE(outside.error().code, QStringLiteral("merkle_bad_index"));
    QVERIFY(merkle::blockRootFromPath(QByteArray(31, 'x'), {}).isEmpty());
}

QTEST_GUILESS_MAIN(TestMerkle)
#include "test_merkle.moc"
