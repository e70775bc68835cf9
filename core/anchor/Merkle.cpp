#include "anchor/Merkle.h"

#include <nettle/sha2.h>

namespace uw::merkle {

namespace {

// Nettle's SHA-256 rather than libsodium's (crypto/Sha256): on 64-byte inputs it is about three
// times faster here (x86 SHA extensions, chosen at run time; assembly elsewhere), which is most
// of the cost of a round of a million digests. Both are checked against the same vectors.
inline void sha256(const std::uint8_t* data, std::size_t size, std::uint8_t* out)
{
    sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, size, data);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

inline void concat(const Bytes32& left, const Bytes32& right, std::uint8_t (&buf)[64])
{
    std::copy(left.begin(), left.end(), buf);
    std::copy(right.begin(), right.end(), buf + 32);
}

Bytes32 blockNode(const Bytes32& left, const Bytes32& right)
{
    std::uint8_t buf[64];
    concat(left, right, buf);
    Bytes32 once{};
    sha256(buf, sizeof buf, once.data());
    Bytes32 out{};
    sha256(once.data(), once.size(), out.data());
    return out;
}

std::optional<Bytes32> bytes32(const QByteArray& b)
{
    if (b.size() != 32)
        return std::nullopt;
    Bytes32 out{};
    std::copy(b.begin(), b.end(), out.begin());
    return out;
}

QByteArray toBytes(const Bytes32& b)
{
    return QByteArray(reinterpret_cast<const char*>(b.data()), 32);
}

Error emptyError()
{
    return makeError(QStringLiteral("merkle_empty"), QStringLiteral("A Merkle tree needs at least one leaf."));
}

Error indexError(qsizetype index, qsizetype size)
{
    return makeError(QStringLiteral("merkle_bad_index"),
                     QStringLiteral("Leaf %1 is outside the tree of %2 leaves.").arg(index).arg(size));
}

/// Replays a path with `combine(left, right)` for each step.
template <typename Combine> QByteArray replayPath(const QByteArray& leaf, const Path& path, Combine combine)
{
    auto h = bytes32(leaf);
    if (!h)
        return {};
    for (const Step& step : path) {
        auto sibling = bytes32(step.sibling);
        if (!sibling)
            return {};
        *h = step.siblingOnLeft ? combine(*sibling, *h) : combine(*h, *sibling);
    }
    return toBytes(*h);
}

} // namespace

Bytes32 node(const Bytes32& left, const Bytes32& right)
{
    std::uint8_t buf[64];
    concat(left, right, buf);
    Bytes32 out{};
    sha256(buf, sizeof buf, out.data());
    return out;
}

Result<Tree> Tree::build(const QList<QByteArray>& leaves)
{
    std::vector<Bytes32> copy;
    copy.reserve(std::size_t(leaves.size()));
    for (qsizetype i = 0; i < leaves.size(); ++i) {
        auto b = bytes32(leaves[i]);
        if (!b)
            return makeError(QStringLiteral("merkle_bad_leaf"),
                             QStringLiteral("Leaf %1 has %2 bytes; a digest has 32.").arg(i).arg(leaves[i].size()));
        copy.push_back(*b);
    }
    return build(std::move(copy));
}

Result<Tree> Tree::build(std::vector<Bytes32> leaves)
{
    if (leaves.empty())
        return emptyError();
    auto levels = std::make_shared<Levels>();
    levels->push_back(std::move(leaves));
    while (levels->back().size() > 1) {
        const std::vector<Bytes32>& below = levels->back();
        std::vector<Bytes32> above((below.size() + 1) / 2);
        const std::size_t pairs = below.size() / 2;
        for (std::size_t i = 0; i < pairs; ++i)
            above[i] = node(below[2 * i], below[2 * i + 1]);
        if (below.size() % 2 != 0)
            above.back() = below.back(); // promoted, not paired with itself
        levels->push_back(std::move(above));
    }
    return Tree(std::move(levels));
}

QByteArray Tree::root() const
{
    return toBytes(rootBytes());
}

Result<Path> Tree::path(qsizetype index) const
{
    if (index < 0 || index >= size())
        return indexError(index, size());
    Path out;
    out.reserve(depth());
    forEachStep(index, [&out](bool left, const Bytes32& sibling) { out.append(Step{left, toBytes(sibling)}); });
    return out;
}

QByteArray root(const QList<QByteArray>& leaves)
{
    auto tree = Tree::build(leaves);
    return tree ? tree->root() : QByteArray();
}

Result<Path> path(const QList<QByteArray>& leaves, qsizetype index)
{
    auto tree = Tree::build(leaves);
    if (!tree)
        return tree.error();
    return tree->path(index);
}

QByteArray rootFromPath(const QByteArray& leaf, const Path& path)
{
    return replayPath(leaf, path, node);
}

bool verify(const QByteArray& leaf, const Path& path, const QByteArray& root)
{
    const QByteArray got = rootFromPath(leaf, path);
    return !got.isEmpty() && got == root;
}

QByteArray blockRoot(const QList<btc::Txid>& txids)
{
    if (txids.isEmpty())
        return {};
    std::vector<Bytes32> level;
    level.reserve(std::size_t(txids.size()));
    for (const btc::Txid& t : txids)
        level.push_back(t.bytes);
    while (level.size() > 1) {
        if (level.size() % 2 != 0)
            level.push_back(level.back());
        for (std::size_t i = 0; i < level.size() / 2; ++i)
            level[i] = blockNode(level[2 * i], level[2 * i + 1]);
        level.resize(level.size() / 2);
    }
    return toBytes(level[0]);
}

Result<Path> blockPath(const QList<btc::Txid>& txids, qsizetype index)
{
    if (txids.isEmpty())
        return emptyError();
    if (index < 0 || index >= txids.size())
        return indexError(index, txids.size());
    std::vector<Bytes32> level;
    level.reserve(std::size_t(txids.size()));
    for (const btc::Txid& t : txids)
        level.push_back(t.bytes);
    Path out;
    std::size_t i = std::size_t(index);
    while (level.size() > 1) {
        if (level.size() % 2 != 0)
            level.push_back(level.back());
        out.append(Step{(i & 1) != 0, toBytes(level[i ^ 1])});
        for (std::size_t k = 0; k < level.size() / 2; ++k)
            level[k] = blockNode(level[2 * k], level[2 * k + 1]);
        level.resize(level.size() / 2);
        i >>= 1;
    }
    return out;
}

QByteArray blockRootFromPath(const QByteArray& txid, const Path& path)
{
    return replayPath(txid, path, blockNode);
}

} // namespace uw::merkle
