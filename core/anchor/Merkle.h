#pragma once

#include "bitcoin/Transaction.h"
#include "crypto/Bytes.h"
#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <memory>
#include <vector>

/// The two Merkle trees of anchoring: the round tree, which lets one transaction commit to many
/// digests, and Bitcoin's block tree, which leads from that transaction to its block header.
/// Both are pure functions of their leaves; proofs built from them are checked by anyone with
/// SHA-256 (docs/PROTOCOL.md, "Anchoring rounds").
namespace uw::merkle {

/// One level of a path from a leaf to the root: the sibling to hash with, and on which side.
struct Step
{
    bool siblingOnLeft = false;
    QByteArray sibling; ///< 32 bytes
    bool operator==(const Step&) const = default;
};
using Path = QList<Step>;

/// SHA-256(left ‖ right): an inner node of the round tree.
Bytes32 node(const Bytes32& left, const Bytes32& right);

/// The round tree over 32-byte digests. The leaves are the digests themselves (no leaf hashing,
/// as OpenTimestamps does), an inner node is SHA-256(left ‖ right), and the last node of a level
/// with an odd count is promoted unchanged to the next level. It is never paired with itself:
/// Bitcoin's duplication gives [a, b, c] and [a, b, c, c] one root (CVE-2012-2459). A tree of one
/// leaf has that leaf as its root, so a round of one digest anchors the digest itself.
///
/// All levels are built once (n - 1 hashes) and kept, so that each leaf's path is read in
/// O(log n) without hashing; copies share the levels.
class Tree
{
public:
    /// Refuses an empty list (merkle_empty) and a leaf that is not 32 bytes (merkle_bad_leaf).
    static Result<Tree> build(const QList<QByteArray>& leaves);
    /// Refuses an empty list (merkle_empty).
    static Result<Tree> build(std::vector<Bytes32> leaves);

    qsizetype size() const { return qsizetype((*m_levels)[0].size()); }
    /// Levels above the leaves: ceil(log2(size())), the longest path.
    int depth() const { return int(m_levels->size()) - 1; }
    const Bytes32& leaf(qsizetype index) const { return (*m_levels)[0][std::size_t(index)]; }
    const Bytes32& rootBytes() const { return m_levels->back()[0]; }
    QByteArray root() const;

    /// The path of leaf `index`, from the leaf up; merkle_bad_index outside [0, size()).
    Result<Path> path(qsizetype index) const;

    /// The same path without allocating: `f(bool siblingOnLeft, const Bytes32& sibling)` for each
    /// level from the leaf up. `index` must be in [0, size()).
    template <typename F> void forEachStep(qsizetype index, F&& f) const
    {
        std::size_t i = std::size_t(index);
        for (std::size_t level = 0; level + 1 < m_levels->size(); ++level) {
            const std::vector<Bytes32>& nodes = (*m_levels)[level];
            const std::size_t sibling = i ^ 1;
            if (sibling < nodes.size()) // else i is the promoted last node of an odd level
                f((i & 1) != 0, nodes[sibling]);
            i >>= 1;
        }
    }

private:
    using Levels = std::vector<std::vector<Bytes32>>;
    explicit Tree(std::shared_ptr<const Levels> levels) : m_levels(std::move(levels)) {}
    std::shared_ptr<const Levels> m_levels;
};

/// The round tree's root; empty when `leaves` is empty or holds a leaf that is not 32 bytes.
QByteArray root(const QList<QByteArray>& leaves);
/// The path of `leaves[index]` (builds the whole tree: use Tree for many paths).
Result<Path> path(const QList<QByteArray>& leaves, qsizetype index);
/// The root that `path` leads `leaf` to; empty when the leaf or a sibling is not 32 bytes.
QByteArray rootFromPath(const QByteArray& leaf, const Path& path);
/// True when `path` leads `leaf` to `root`.
bool verify(const QByteArray& leaf, const Path& path, const QByteArray& root);

/// Bitcoin's block Merkle tree: leaves are the transaction ids in internal byte order, an inner
/// node is SHA-256(SHA-256(left ‖ right)), and the last node of an odd level is paired with a copy
/// of itself. The root, in internal byte order, is the one in the block header; empty when
/// `txids` is empty.
QByteArray blockRoot(const QList<btc::Txid>& txids);
/// The path of `txids[index]` to the block's root (a duplicated last node is its own sibling, on
/// the right); merkle_empty or merkle_bad_index.
Result<Path> blockPath(const QList<btc::Txid>& txids, qsizetype index);
/// The block root that `path` leads `txid` (internal byte order) to; empty on a wrong size.
QByteArray blockRootFromPath(const QByteArray& txid, const Path& path);

} // namespace uw::merkle
