#pragma once

#include "anchor/Merkle.h"
#include "bitcoin/Transaction.h"
#include "bitcoin/WalletKey.h"
#include "util/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <cstdint>

/// Anchor proofs in OpenTimestamps' detached binary format (`.ots`), so that the owner of a
/// digest can check it with the OpenTimestamps tools and a Bitcoin node, without us.
///
/// The wallet writes linear proofs only: the file digest, the operations that lead from it to the
/// block header's Merkle root, and one block-header attestation. parse() reads exactly that shape
/// and refuses the rest with a code (docs/PROTOCOL.md, "Proofs in the OpenTimestamps format").
namespace uw::ots {

/// `\x00OpenTimestamps\x00\x00Proof\x00\xbf\x89\xe2\xe8\x84\xe8\x92\x94`, then the major version.
QByteArray magic();
constexpr int kMajorVersion = 1;
/// The bounds of the format's reference implementation: no operation's argument or result, hence
/// no message on the way, longer than 4096 bytes; a linear timestamp of at most 255 operations
/// (its recursion limit); attestation payloads up to 8192 bytes.
constexpr qsizetype kMaxMessageBytes = 4096;
constexpr int kMaxOps = 255;
constexpr qsizetype kMaxPayloadBytes = 8192;
/// A linear proof within those bounds is far below this; parse() refuses larger input at once.
constexpr qsizetype kMaxProofBytes = 64 + kMaxOps * (kMaxMessageBytes + 3) + kMaxPayloadBytes + 16;

enum class OpCode : std::uint8_t
{
    Sha256 = 0x08,
    Append = 0xf0,
    Prepend = 0xf1,
};

struct Op
{
    OpCode code = OpCode::Sha256;
    QByteArray arg; ///< for Append and Prepend: 1 to 4096 bytes
    bool operator==(const Op&) const = default;
};

/// Whose block header the final commitment is the Merkle root of.
enum class AttestationKind
{
    Bitcoin, ///< OpenTimestamps' BitcoinBlockHeaderAttestation (mainnet)
    Signet,  ///< the project's tag for its test network (signet; also testnet, which the wallet treats alike)
    Regtest, ///< the project's tag for regtest
    Unknown, ///< any other tag (a pending calendar attestation, another chain...)
};

struct Attestation
{
    QByteArray tag;     ///< 8 bytes
    QByteArray payload; ///< for the block-header kinds: the height as a varuint, nothing else
    bool operator==(const Attestation&) const = default;
};

/// The 8-byte tag of the block-header attestation for `network`: OpenTimestamps' own
/// `0588960d73d71901` on mainnet; on the test networks the first 8 bytes of SHA-256 of
/// "userwallet.ots.attestation.bitcoin-signet" or "...-regtest" (docs/PROTOCOL.md).
QByteArray attestationTag(btc::Network network);
Attestation blockHeaderAttestation(btc::Network network, std::uint32_t height);
AttestationKind kindOf(const QByteArray& tag);
QString kindName(AttestationKind kind);

/// A detached proof: the SHA-256 of the file, a linear list of operations, one attestation.
struct Proof
{
    QByteArray digest; ///< 32 bytes
    QList<Op> ops;
    Attestation attestation;
    bool operator==(const Proof&) const = default;
};

/// The proof's bytes. Lengths are written as minimal varuints, so parse(serialize(p)) == p and
/// serialize(parse(b)) == b for every proof parse() accepts.
QByteArray serialize(const Proof& proof);
/// The operations alone, as they appear in a proof (tag, and for append/prepend a varbytes).
QByteArray serializeOps(const QList<Op>& ops);

/// Strict reading of untrusted bytes. Error codes: ots_too_large, ots_bad_magic, ots_bad_version,
/// ots_unsupported_hash (a file hash other than SHA-256), ots_truncated, ots_bad_varuint (over 63
/// bits, or not written minimally), ots_fork (a proof that branches, 0xff), ots_unknown_op,
/// ots_empty_arg, ots_message_too_long (an argument or an intermediate message over 4096 bytes),
/// ots_too_many_ops, ots_payload_too_long, ots_bad_attestation (a block-header payload that is not
/// exactly one varuint height below 2^31), ots_trailing_bytes.
Result<Proof> parse(QByteArrayView bytes);

/// What a proof proves once its operations are run from the digest.
struct Replayed
{
    QByteArray digest;
    /// The message the attestation is about: for the block-header kinds, the block's Merkle root
    /// in internal byte order (as in the header).
    QByteArray commitment;
    AttestationKind kind = AttestationKind::Unknown;
    std::uint32_t height = 0; ///< for the block-header kinds
};
/// Runs the operations (SHA-256, append, prepend). Fails only on a proof that parse() would have
/// refused (a digest that is not 32 bytes, an empty argument, a message over 4096 bytes...).
Result<Replayed> replay(const Proof& proof);

/// The operations that lead a digest to its round's root: per step, append (sibling on the right)
/// or prepend (on the left) the sibling, then SHA-256.
QList<Op> roundOps(const merkle::Path& path);

/// Where `root` sits in a transaction's serialization as the payload of an anchor script
/// (`6a24 55574101 ‖ root`); -1 when it does not.
qsizetype rootOffset(const QByteArray& tx, const QByteArray& root);

/// The proof of `digest` anchored in a confirmed round: the round path to the root, then
/// prepend the transaction's bytes before the root and append those after it (`tx` is its
/// non-witness serialization, whose double SHA-256 is the txid), SHA-256 twice, then the block
/// path to the header's Merkle root, SHA-256 twice per level, and the attestation of `network`
/// with `height`. Every link is checked while building: ots_bad_digest, ots_root_not_in_tx (the
/// path does not lead to the 32 bytes at `rootOffset`), ots_tx_too_large, ots_tx_not_in_block
/// (the txid is not `blockTxids[txIndex]`), merkle_bad_index, ots_bad_height.
Result<Proof> buildProof(const QByteArray& digest, const merkle::Path& roundPath, const QByteArray& tx,
                         qsizetype rootOffset, const QList<btc::Txid>& blockTxids, qsizetype txIndex,
                         std::uint32_t height, btc::Network network);

/// All the proofs of one confirmed round. What follows the round root (the transaction, the
/// block path, the attestation) is the same for every digest: it is checked and serialized once,
/// and each proof() only adds the digest's round path.
class RoundProofs
{
public:
    /// `tx` is the round's transaction (non-witness serialization), which must carry the tree's
    /// root in an anchor script; same codes as buildProof().
    static Result<RoundProofs> create(merkle::Tree round, const QByteArray& tx, const QList<btc::Txid>& blockTxids,
                                      qsizetype txIndex, std::uint32_t height, btc::Network network);

    const merkle::Tree& tree() const { return m_tree; }
    /// The `.ots` bytes of the round's leaf `index`, which must be in [0, tree().size()).
    QByteArray proof(qsizetype index) const;

private:
    RoundProofs(merkle::Tree tree, QByteArray tail) : m_tree(std::move(tree)), m_tail(std::move(tail)) {}
    merkle::Tree m_tree;
    QByteArray m_tail; ///< serialized operations from the round root on, and the attestation
};

} // namespace uw::ots
