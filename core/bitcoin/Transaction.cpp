#include "bitcoin/Transaction.h"

#include "crypto/Sha256.h"

namespace uw::btc {

QString Txid::hex() const
{
    Bytes32 r = bytes;
    std::reverse(r.begin(), r.end());
    return toHex(r);
}

std::optional<Txid> Txid::fromHex(QStringView displayHex)
{
    auto b = uw::fromHex<32>(displayHex);
    if (!b)
        return std::nullopt;
    std::reverse(b->begin(), b->end());
    return Txid{*b};
}

void writeCompactSize(QByteArray& out, std::uint64_t n)
{
    if (n < 0xfd) {
        out.append(char(n));
    } else if (n <= 0xffff) {
        out.append(char(0xfd));
        out.append(char(n & 0xff));
        out.append(char(n >> 8));
    } else if (n <= 0xffffffffu) {
        out.append(char(0xfe));
        writeLE32(out, std::uint32_t(n));
    } else {
        out.append(char(0xff));
        writeLE64(out, n);
    }
}

void writeLE32(QByteArray& out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out.append(char((v >> (8 * i)) & 0xff));
}

void writeLE64(QByteArray& out, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out.append(char((v >> (8 * i)) & 0xff));
}

bool Transaction::hasWitness() const
{
    return std::any_of(inputs.cbegin(), inputs.cend(), [](const TxIn& in) { return !in.witness.isEmpty(); });
}

QByteArray Transaction::serialize(bool withWitness) const
{
    const bool witness = withWitness && hasWitness();
    QByteArray out;
    out.reserve(256);
    writeLE32(out, std::uint32_t(version));
    if (witness) {
        out.append(char(0));
        out.append(char(1));
    }
    writeCompactSize(out, std::uint64_t(inputs.size()));
    for (const TxIn& in : inputs) {
        out.append(reinterpret_cast<const char*>(in.prevout.txid.bytes.data()), 32);
        writeLE32(out, in.prevout.vout);
        writeCompactSize(out, std::uint64_t(in.scriptSig.size()));
        out.append(in.scriptSig);
        writeLE32(out, in.sequence);
    }
    writeCompactSize(out, std::uint64_t(outputs.size()));
    for (const TxOut& o : outputs) {
        writeLE64(out, std::uint64_t(o.value));
        writeCompactSize(out, std::uint64_t(o.script.size()));
        out.append(o.script);
    }
    if (witness) {
        for (const TxIn& in : inputs) {
            writeCompactSize(out, std::uint64_t(in.witness.size()));
            for (const QByteArray& item : in.witness) {
                writeCompactSize(out, std::uint64_t(item.size()));
                out.append(item);
            }
        }
    }
    writeLE32(out, lockTime);
    return out;
}

namespace {

class Reader
{
public:
    explicit Reader(QByteArrayView b) : m_b(b) {}
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_b.size(); }
    std::uint8_t peek(qsizetype offset = 0)
    {
        if (m_pos + offset >= m_b.size()) {
            m_ok = false;
            return 0;
        }
        return std::uint8_t(m_b[m_pos + offset]);
    }
    QByteArray take(qsizetype n)
    {
        if (n < 0 || n > m_b.size() - m_pos) { // not m_pos + n: a length near 2^63 would overflow
            m_ok = false;
            return {};
        }
        QByteArray out = m_b.sliced(m_pos, n).toByteArray();
        m_pos += n;
        return out;
    }
    std::uint64_t le(int bytes)
    {
        const QByteArray b = take(bytes);
        std::uint64_t v = 0;
        for (int i = bytes - 1; i >= 0 && m_ok; --i)
            v = (v << 8) | std::uint8_t(b[i]);
        return v;
    }
    std::uint64_t compactSize()
    {
        const std::uint8_t first = std::uint8_t(le(1));
        if (first < 0xfd)
            return first;
        return le(first == 0xfd ? 2 : first == 0xfe ? 4 : 8);
    }

private:
    QByteArrayView m_b;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

} // namespace

Result<Transaction> Transaction::deserialize(QByteArrayView bytes)
{
    auto bad = [] { return makeError(QStringLiteral("bad_tx"), QStringLiteral("Malformed transaction.")); };
    if (bytes.size() > 4'000'000)
        return bad();
    Reader r(bytes);
    Transaction tx;
    tx.version = std::int32_t(r.le(4));
    bool witness = false;
    if (r.peek() == 0 && r.peek(1) == 1) {
        r.take(2);
        witness = true;
    }
    const std::uint64_t nin = r.compactSize();
    if (!r.ok() || nin > 100000)
        return bad();
    for (std::uint64_t i = 0; i < nin && r.ok(); ++i) {
        TxIn in;
        const QByteArray txid = r.take(32);
        if (r.ok())
            std::copy(txid.begin(), txid.end(), in.prevout.txid.bytes.begin());
        in.prevout.vout = std::uint32_t(r.le(4));
        in.scriptSig = r.take(qsizetype(r.compactSize()));
        in.sequence = std::uint32_t(r.le(4));
        tx.inputs.append(in);
    }
    const std::uint64_t nout = r.compactSize();
    if (!r.ok() || nout > 100000)
        return bad();
    for (std::uint64_t i = 0; i < nout && r.ok(); ++i) {
        TxOut o;
        o.value = std::int64_t(r.le(8));
        o.script = r.take(qsizetype(r.compactSize()));
        tx.outputs.append(o);
    }
    if (witness) {
        for (TxIn& in : tx.inputs) {
            const std::uint64_t items = r.compactSize();
            if (!r.ok() || items > 10000)
                return bad();
            for (std::uint64_t j = 0; j < items && r.ok(); ++j)
                in.witness.append(r.take(qsizetype(r.compactSize())));
        }
    }
    tx.lockTime = std::uint32_t(r.le(4));
    if (!r.ok() || !r.atEnd() || tx.inputs.isEmpty())
        return bad();
    return tx;
}

Txid Transaction::txid() const
{
    return Txid{Sha256::hash256(serialize(false))};
}

Txid Transaction::wtxid() const
{
    return Txid{Sha256::hash256(serialize(true))};
}

std::int64_t Transaction::weight() const
{
    return std::int64_t(serialize(false).size()) * 3 + std::int64_t(serialize(true).size());
}

} // namespace uw::btc
