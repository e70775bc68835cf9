#include "anchor/Ots.h"

#include "crypto/Sha256.h"

#include <limits>
#include <optional>

namespace uw::ots {

namespace {

constexpr std::uint8_t kAttestationMarker = 0x00;
constexpr std::uint8_t kForkMarker = 0xff;
constexpr std::uint8_t kFileHashSha256 = 0x08;
constexpr qsizetype kDigestBytes = 32;
constexpr qsizetype kTagBytes = 8;
constexpr std::uint64_t kMaxHeight = std::uint64_t(std::numeric_limits<std::int32_t>::max());

const char kMagic[] = "\x00OpenTimestamps\x00\x00Proof\x00\xbf\x89\xe2\xe8\x84\xe8\x92\x94";
constexpr qsizetype kMagicBytes = sizeof kMagic - 1;

const char kBitcoinTag[] = "\x05\x88\x96\x0d\x73\xd7\x19\x01";

QByteArray projectTag(const char* name)
{
    const Bytes32 h = Sha256::hash(QByteArrayView(name));
    return QByteArray(reinterpret_cast<const char*>(h.data()), kTagBytes);
}

const QByteArray& signetTag()
{
    static const QByteArray tag = projectTag("userwallet.ots.attestation.bitcoin-signet");
    return tag;
}

const QByteArray& regtestTag()
{
    static const QByteArray tag = projectTag("userwallet.ots.attestation.bitcoin-regtest");
    return tag;
}

void writeVaruint(QByteArray& out, std::uint64_t v)
{
    do {
        std::uint8_t b = v & 0x7f;
        v >>= 7;
        if (v != 0)
            b |= 0x80;
        out.append(char(b));
    } while (v != 0);
}

void writeVarbytes(QByteArray& out, QByteArrayView b)
{
    writeVaruint(out, std::uint64_t(b.size()));
    out.append(b);
}

void writeOp(QByteArray& out, const Op& op)
{
    out.append(char(op.code));
    if (op.code != OpCode::Sha256)
        writeVarbytes(out, op.arg);
}

void writeAttestation(QByteArray& out, const Attestation& a)
{
    out.append(char(kAttestationMarker));
    out.append(a.tag);
    writeVarbytes(out, a.payload);
}

QByteArray header(const QByteArray& digest)
{
    QByteArray out;
    out.reserve(kMagicBytes + 2 + kDigestBytes);
    out.append(kMagic, kMagicBytes);
    writeVaruint(out, kMajorVersion);
    out.append(char(kFileHashSha256));
    out.append(digest);
    return out;
}

QString hexByte(std::uint8_t b)
{
    return QStringLiteral("0x%1").arg(uint(b), 2, 16, QLatin1Char('0'));
}

/// The names OpenTimestamps gives the operations and file hashes this wallet does not use.
QString upstreamOpName(std::uint8_t tag)
{
    switch (tag) {
    case 0x02:
        return QStringLiteral("sha1");
    case 0x03:
        return QStringLiteral("ripemd160");
    case 0x67:
        return QStringLiteral("keccak256");
    case 0xf2:
        return QStringLiteral("reverse");
    case 0xf3:
        return QStringLiteral("hexlify");
    default:
        return {};
    }
}

/// Reads untrusted bytes; the first failure is kept and every later read returns nothing.
class Reader
{
public:
    explicit Reader(QByteArrayView b) : m_b(b) {}

    bool failed() const { return m_error.has_value(); }
    const Error& error() const { return *m_error; }
    qsizetype pos() const { return m_pos; }
    bool atEnd() const { return m_pos == m_b.size(); }

    void fail(const char* code, const QString& message)
    {
        if (!m_error)
            m_error = makeError(QString::fromLatin1(code), message);
    }

    std::uint8_t byte(const QString& what)
    {
        if (failed())
            return 0;
        if (m_pos >= m_b.size()) {
            truncated(what);
            return 0;
        }
        return std::uint8_t(m_b[m_pos++]);
    }

    QByteArray bytes(qsizetype n, const QString& what)
    {
        if (failed())
            return {};
        if (n > m_b.size() - m_pos) {
            truncated(what);
            return {};
        }
        QByteArray out = m_b.sliced(m_pos, n).toByteArray();
        m_pos += n;
        return out;
    }

    /// Unsigned LEB128 as OpenTimestamps writes it, at most 63 bits and written minimally.
    std::uint64_t varuint(const QString& what)
    {
        const qsizetype start = m_pos;
        std::uint64_t v = 0;
        for (int i = 0; i < 9; ++i) {
            const std::uint8_t b = byte(what);
            if (failed())
                return 0;
            v |= std::uint64_t(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    fail("ots_bad_varuint",
                         QStringLiteral("The %1 at byte %2 is not written in its shortest form.").arg(what).arg(start));
                    return 0;
                }
                return v;
            }
        }
        fail("ots_bad_varuint", QStringLiteral("The %1 at byte %2 does not fit in 63 bits.").arg(what).arg(start));
        return 0;
    }

private:
    void truncated(const QString& what)
    {
        fail("ots_truncated",
             QStringLiteral("The proof is truncated: it ends inside the %1 (at byte %2).").arg(what).arg(m_b.size()));
    }

    QByteArrayView m_b;
    qsizetype m_pos = 0;
    std::optional<Error> m_error;
};

/// The height of a block-header attestation: exactly one varuint, below 2^31.
std::optional<std::uint32_t> heightOf(const QByteArray& payload)
{
    Reader r(payload);
    const std::uint64_t h = r.varuint(QStringLiteral("height"));
    if (r.failed() || !r.atEnd() || h > kMaxHeight)
        return std::nullopt;
    return std::uint32_t(h);
}

Error heightError(std::uint64_t height)
{
    return makeError(QStringLiteral("ots_bad_height"),
                     QStringLiteral("Block height %1 is above 2^31 - 1, no block has it.").arg(height));
}

/// The operations from a round's root to the block header's Merkle root, after checking each link.
Result<QList<Op>> tailOps(const QByteArray& root, const QByteArray& tx, qsizetype offset,
                          const QList<btc::Txid>& blockTxids, qsizetype txIndex)
{
    if (tx.size() > kMaxMessageBytes)
        return makeError(QStringLiteral("ots_tx_too_large"),
                         QStringLiteral("The transaction has %1 bytes; an OpenTimestamps message holds at most %2.")
                             .arg(tx.size())
                             .arg(kMaxMessageBytes));
    if (offset < 0 || offset > tx.size() - kDigestBytes || tx.mid(offset, kDigestBytes) != root)
        return makeError(QStringLiteral("ots_root_not_in_tx"),
                         QStringLiteral("The transaction does not carry the round's root %1 at byte %2.")
                             .arg(toHex(root))
                             .arg(offset));
    auto blockPath = merkle::blockPath(blockTxids, txIndex);
    if (!blockPath)
        return blockPath.error();
    const Bytes32 txid = Sha256::hash256(tx);
    if (txid != blockTxids[txIndex].bytes)
        return makeError(QStringLiteral("ots_tx_not_in_block"),
                         QStringLiteral("Transaction %1 is not the block's transaction %2 (%3).")
                             .arg(btc::Txid{txid}.hex())
                             .arg(txIndex)
                             .arg(blockTxids[txIndex].hex()));

    QList<Op> ops;
    if (offset > 0)
        ops.append(Op{OpCode::Prepend, tx.left(offset)});
    if (offset + kDigestBytes < tx.size())
        ops.append(Op{OpCode::Append, tx.mid(offset + kDigestBytes)});
    ops.append(Op{OpCode::Sha256, {}});
    ops.append(Op{OpCode::Sha256, {}});
    for (const merkle::Step& step : *blockPath) {
        ops.append(Op{step.siblingOnLeft ? OpCode::Prepend : OpCode::Append, step.sibling});
        ops.append(Op{OpCode::Sha256, {}});
        ops.append(Op{OpCode::Sha256, {}});
    }
    return ops;
}

Error tooManyOps(qsizetype count)
{
    return makeError(QStringLiteral("ots_too_many_ops"),
                     QStringLiteral("The proof has %1 operations; at most %2 are read.").arg(count).arg(kMaxOps));
}

} // namespace

QByteArray magic()
{
    return QByteArray(kMagic, kMagicBytes);
}

QByteArray attestationTag(btc::Network network)
{
    switch (network) {
    case btc::Network::Mainnet:
        return QByteArray(kBitcoinTag, kTagBytes);
    case btc::Network::Signet:
        return signetTag();
    case btc::Network::Regtest:
        return regtestTag();
    }
    return {};
}

Attestation blockHeaderAttestation(btc::Network network, std::uint32_t height)
{
    Attestation a{attestationTag(network), {}};
    writeVaruint(a.payload, height);
    return a;
}

AttestationKind kindOf(const QByteArray& tag)
{
    if (tag == QByteArrayView(kBitcoinTag, kTagBytes))
        return AttestationKind::Bitcoin;
    if (tag == signetTag())
        return AttestationKind::Signet;
    if (tag == regtestTag())
        return AttestationKind::Regtest;
    return AttestationKind::Unknown;
}

QString kindName(AttestationKind kind)
{
    switch (kind) {
    case AttestationKind::Bitcoin:
        return QStringLiteral("bitcoin");
    case AttestationKind::Signet:
        return QStringLiteral("signet");
    case AttestationKind::Regtest:
        return QStringLiteral("regtest");
    case AttestationKind::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QByteArray serializeOps(const QList<Op>& ops)
{
    QByteArray out;
    for (const Op& op : ops)
        writeOp(out, op);
    return out;
}

QByteArray serialize(const Proof& proof)
{
    QByteArray out = header(proof.digest);
    for (const Op& op : proof.ops)
        writeOp(out, op);
    writeAttestation(out, proof.attestation);
    return out;
}

Result<Proof> parse(QByteArrayView bytes)
{
    if (bytes.size() > kMaxProofBytes)
        return makeError(
            QStringLiteral("ots_too_large"),
            QStringLiteral("The file has %1 bytes; a proof is at most %2.").arg(bytes.size()).arg(kMaxProofBytes));
    const QByteArrayView expected(kMagic, kMagicBytes);
    if (!bytes.startsWith(expected)) {
        if (expected.startsWith(bytes))
            return makeError(
                QStringLiteral("ots_truncated"),
                QStringLiteral("The proof is truncated: it ends inside the header (at byte %1).").arg(bytes.size()));
        return makeError(QStringLiteral("ots_bad_magic"),
                         QStringLiteral("This is not an OpenTimestamps proof: it does not start with the header."));
    }
    Reader r(bytes);
    r.bytes(kMagicBytes, QStringLiteral("header"));
    const std::uint64_t version = r.varuint(QStringLiteral("version"));
    if (r.failed())
        return r.error();
    if (version != std::uint64_t(kMajorVersion))
        return makeError(
            QStringLiteral("ots_bad_version"),
            QStringLiteral("Version %1 proofs are not supported (only version %2).").arg(version).arg(kMajorVersion));
    const std::uint8_t hashOp = r.byte(QStringLiteral("file hash"));
    if (r.failed())
        return r.error();
    if (hashOp != kFileHashSha256) {
        const QString name = upstreamOpName(hashOp);
        return makeError(
            QStringLiteral("ots_unsupported_hash"),
            name.isEmpty() ? QStringLiteral("The file hash %1 is not a hash OpenTimestamps knows.").arg(hexByte(hashOp))
                           : QStringLiteral("The file hash is %1; this wallet reads SHA-256 proofs only.").arg(name));
    }
    Proof proof;
    proof.digest = r.bytes(kDigestBytes, QStringLiteral("file digest"));
    qsizetype messageBytes = kDigestBytes;
    for (;;) {
        const qsizetype at = r.pos();
        const std::uint8_t tag = r.byte(QStringLiteral("operations (no attestation at the end)"));
        if (r.failed())
            return r.error();
        if (tag == kAttestationMarker)
            break;
        if (tag == kForkMarker)
            return makeError(QStringLiteral("ots_fork"),
                             QStringLiteral("The proof branches at byte %1 (several attestations); only linear proofs, "
                                            "as this wallet writes them, are read.")
                                 .arg(at));
        if (proof.ops.size() == kMaxOps)
            return tooManyOps(kMaxOps + 1);
        if (tag == quint8(OpCode::Sha256)) {
            proof.ops.append(Op{OpCode::Sha256, {}});
            messageBytes = kDigestBytes;
            continue;
        }
        if (tag != quint8(OpCode::Append) && tag != quint8(OpCode::Prepend)) {
            const QString name = upstreamOpName(tag);
            return makeError(
                QStringLiteral("ots_unknown_op"),
                name.isEmpty()
                    ? QStringLiteral("Unknown operation %1 at byte %2.").arg(hexByte(tag)).arg(at)
                    : QStringLiteral("Operation %1 at byte %2 is not used by this wallet's proofs.").arg(name).arg(at));
        }
        const std::uint64_t length = r.varuint(QStringLiteral("length of an argument"));
        if (r.failed())
            return r.error();
        if (length == 0)
            return makeError(QStringLiteral("ots_empty_arg"),
                             QStringLiteral("The operation at byte %1 has an empty argument.").arg(at));
        if (length > std::uint64_t(kMaxMessageBytes - messageBytes))
            return makeError(
                QStringLiteral("ots_message_too_long"),
                QStringLiteral("The operation at byte %1 makes a message of %2 bytes; at most %3 are allowed.")
                    .arg(at)
                    .arg(std::uint64_t(messageBytes) + length)
                    .arg(kMaxMessageBytes));
        const QByteArray arg = r.bytes(qsizetype(length), QStringLiteral("argument of an operation"));
        if (r.failed())
            return r.error();
        messageBytes += arg.size();
        proof.ops.append(Op{OpCode(tag), arg});
    }
    const qsizetype attestationAt = r.pos() - 1;
    proof.attestation.tag = r.bytes(kTagBytes, QStringLiteral("attestation tag"));
    const std::uint64_t payloadBytes = r.varuint(QStringLiteral("length of the attestation"));
    if (r.failed())
        return r.error();
    if (payloadBytes > std::uint64_t(kMaxPayloadBytes))
        return makeError(QStringLiteral("ots_payload_too_long"),
                         QStringLiteral("The attestation at byte %1 announces %2 bytes; at most %3 are read.")
                             .arg(attestationAt)
                             .arg(payloadBytes)
                             .arg(kMaxPayloadBytes));
    proof.attestation.payload = r.bytes(qsizetype(payloadBytes), QStringLiteral("attestation"));
    if (r.failed())
        return r.error();
    const AttestationKind kind = kindOf(proof.attestation.tag);
    if (kind != AttestationKind::Unknown && !heightOf(proof.attestation.payload))
        return makeError(QStringLiteral("ots_bad_attestation"),
                         QStringLiteral("The %1 block-header attestation at byte %2 does not hold one block height.")
                             .arg(kindName(kind))
                             .arg(attestationAt));
    if (!r.atEnd())
        return makeError(QStringLiteral("ots_trailing_bytes"),
                         QStringLiteral("The proof ends at byte %1 but the file goes on to byte %2.")
                             .arg(r.pos())
                             .arg(bytes.size()));
    return proof;
}

Result<Replayed> replay(const Proof& proof)
{
    auto bad = [](const QString& why) { return makeError(QStringLiteral("ots_bad_proof"), why); };
    if (proof.digest.size() != kDigestBytes)
        return bad(QStringLiteral("The file digest is not 32 bytes."));
    if (proof.ops.size() > kMaxOps)
        return tooManyOps(proof.ops.size());
    QByteArray msg = proof.digest;
    for (const Op& op : proof.ops) {
        switch (op.code) {
        case OpCode::Sha256: {
            const Bytes32 h = Sha256::hash(msg);
            msg = QByteArray(reinterpret_cast<const char*>(h.data()), kDigestBytes);
            break;
        }
        case OpCode::Append:
        case OpCode::Prepend:
            if (op.arg.isEmpty())
                return bad(QStringLiteral("An operation has an empty argument."));
            if (msg.size() + op.arg.size() > kMaxMessageBytes)
                return bad(QStringLiteral("A message grows over %1 bytes.").arg(kMaxMessageBytes));
            msg = op.code == OpCode::Append ? QByteArray(msg + op.arg) : QByteArray(op.arg + msg);
            break;
        default:
            return bad(QStringLiteral("Unknown operation %1.").arg(hexByte(quint8(op.code))));
        }
    }
    Replayed out;
    out.digest = proof.digest;
    out.commitment = msg;
    out.kind = kindOf(proof.attestation.tag);
    if (out.kind != AttestationKind::Unknown) {
        auto height = heightOf(proof.attestation.payload);
        if (!height)
            return bad(QStringLiteral("The block-header attestation does not hold one block height."));
        out.height = *height;
    }
    return out;
}

QList<Op> roundOps(const merkle::Path& path)
{
    QList<Op> ops;
    ops.reserve(2 * path.size());
    for (const merkle::Step& step : path) {
        ops.append(Op{step.siblingOnLeft ? OpCode::Prepend : OpCode::Append, step.sibling});
        ops.append(Op{OpCode::Sha256, {}});
    }
    return ops;
}

qsizetype rootOffset(const QByteArray& tx, const QByteArray& root)
{
    if (root.size() != kDigestBytes)
        return -1;
    static const QByteArray prefix = QByteArray::fromHex("6a2455574101");
    const QByteArray needle = prefix + root;
    const qsizetype at = tx.indexOf(needle);
    return at < 0 ? -1 : at + prefix.size();
}

Result<Proof> buildProof(const QByteArray& digest, const merkle::Path& roundPath, const QByteArray& tx,
                         qsizetype rootOffset, const QList<btc::Txid>& blockTxids, qsizetype txIndex,
                         std::uint32_t height, btc::Network network)
{
    if (digest.size() != kDigestBytes)
        return makeError(QStringLiteral("ots_bad_digest"),
                         QStringLiteral("A digest has 32 bytes, not %1.").arg(digest.size()));
    if (height > kMaxHeight)
        return heightError(height);
    const QByteArray root = merkle::rootFromPath(digest, roundPath);
    if (root.isEmpty())
        return makeError(QStringLiteral("ots_root_not_in_tx"),
                         QStringLiteral("The round path holds a sibling that is not 32 bytes."));
    auto tail = tailOps(root, tx, rootOffset, blockTxids, txIndex);
    if (!tail)
        return tail.error();
    Proof proof;
    proof.digest = digest;
    proof.ops = roundOps(roundPath) + *tail;
    if (proof.ops.size() > kMaxOps)
        return tooManyOps(proof.ops.size());
    proof.attestation = blockHeaderAttestation(network, height);
    return proof;
}

Result<RoundProofs> RoundProofs::create(merkle::Tree round, const QByteArray& tx, const QList<btc::Txid>& blockTxids,
                                        qsizetype txIndex, std::uint32_t height, btc::Network network)
{
    if (height > kMaxHeight)
        return heightError(height);
    const QByteArray root = round.root();
    auto tail = tailOps(root, tx, rootOffset(tx, root), blockTxids, txIndex);
    if (!tail)
        return tail.error();
    if (2 * round.depth() + tail->size() > kMaxOps)
        return tooManyOps(2 * round.depth() + tail->size());
    QByteArray bytes = serializeOps(*tail);
    writeAttestation(bytes, blockHeaderAttestation(network, height));
    return RoundProofs(std::move(round), std::move(bytes));
}

QByteArray RoundProofs::proof(qsizetype index) const
{
    const Bytes32& leaf = m_tree.leaf(index);
    QByteArray out;
    out.reserve(kMagicBytes + 2 + kDigestBytes + 35 * m_tree.depth() + m_tail.size());
    out.append(kMagic, kMagicBytes);
    writeVaruint(out, kMajorVersion);
    out.append(char(kFileHashSha256));
    out.append(reinterpret_cast<const char*>(leaf.data()), kDigestBytes);
    m_tree.forEachStep(index, [&out](bool left, const Bytes32& sibling) {
        out.append(char(left ? OpCode::Prepend : OpCode::Append));
        out.append(char(kDigestBytes)); // varbytes length, one byte
        out.append(reinterpret_cast<const char*>(sibling.data()), kDigestBytes);
        out.append(char(OpCode::Sha256));
    });
    out.append(m_tail);
    return out;
}

} // namespace uw::ots
