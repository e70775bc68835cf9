#include "double/DoubleTx.h"

#include <QCryptographicHash>
#include <algorithm>
#include <nettle/ripemd160.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

namespace uw::test::dtx {

namespace {

constexpr std::uint64_t kMaxSize = 0x02000000; // MAX_SIZE of serialize.h

void putLe(QByteArray& out, std::uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(char((v >> (8 * i)) & 0xff));
}

void putCompact(QByteArray& out, std::uint64_t n)
{
    if (n < 0xfd) {
        out.append(char(n));
    } else if (n <= 0xffff) {
        out.append('\xfd');
        putLe(out, n, 2);
    } else if (n <= 0xffffffff) {
        out.append('\xfe');
        putLe(out, n, 4);
    } else {
        out.append('\xff');
        putLe(out, n, 8);
    }
}

QByteArray withSize(const QByteArray& bytes)
{
    QByteArray out;
    putCompact(out, std::uint64_t(bytes.size()));
    return out + bytes;
}

QByteArray outputBytes(const Output& o)
{
    QByteArray out;
    putLe(out, std::uint64_t(o.value), 8);
    return out + withSize(o.script);
}

QByteArray outpointBytes(const Input& in)
{
    QByteArray out = in.prevTxid;
    putLe(out, in.vout, 4);
    return out;
}

/// A bounds-checked reader; the first failure sticks.
class Reader
{
public:
    explicit Reader(QByteArrayView data) : m_data(data) {}
    bool failed() const { return !m_error.isEmpty(); }
    const QString& error() const { return m_error; }
    bool atEnd() const { return m_pos == m_data.size(); }
    std::uint64_t le(int bytes)
    {
        if (!need(bytes))
            return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < bytes; ++i)
            v |= std::uint64_t(std::uint8_t(m_data[m_pos + i])) << (8 * i);
        m_pos += bytes;
        return v;
    }
    std::uint8_t byte() { return std::uint8_t(le(1)); }
    std::uint64_t compact()
    {
        const std::uint8_t first = byte();
        std::uint64_t n = first;
        std::uint64_t min = 0;
        if (first == 0xfd) {
            n = le(2);
            min = 0xfd;
        } else if (first == 0xfe) {
            n = le(4);
            min = 0x10000;
        } else if (first == 0xff) {
            n = le(8);
            min = 0x100000000ULL;
        }
        if (!failed() && n < min)
            fail(QStringLiteral("non-canonical ReadCompactSize()"));
        if (!failed() && n > kMaxSize)
            fail(QStringLiteral("ReadCompactSize(): size too large"));
        return failed() ? 0 : n;
    }
    QByteArray bytes(std::uint64_t n)
    {
        if (!need(n))
            return {};
        const QByteArray out = m_data.sliced(m_pos, qsizetype(n)).toByteArray();
        m_pos += qsizetype(n);
        return out;
    }
    /// A count of items of at least `minItemBytes` each: never more than the bytes left can hold.
    std::uint64_t count(qsizetype minItemBytes)
    {
        const std::uint64_t n = compact();
        if (!failed() && n > std::uint64_t(m_data.size() - m_pos) / std::uint64_t(std::max<qsizetype>(1, minItemBytes)))
            fail(QStringLiteral("end of data"));
        return failed() ? 0 : n;
    }
    void fail(const QString& why)
    {
        if (m_error.isEmpty())
            m_error = why;
    }

private:
    bool need(std::uint64_t n)
    {
        if (failed() || n > std::uint64_t(m_data.size() - m_pos)) {
            fail(QStringLiteral("end of data"));
            return false;
        }
        return true;
    }
    QByteArrayView m_data;
    qsizetype m_pos = 0;
    QString m_error;
};

const secp256k1_context* context()
{
    static secp256k1_context* const ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    return ctx;
}

QString scriptFailure(const char* why)
{
    return QStringLiteral("mandatory-script-verify-flag-failed (%1)").arg(QLatin1String(why));
}

bool isP2wpkh(const QByteArray& s)
{
    return s.size() == 22 && s[0] == 0x00 && s[1] == 0x14;
}

bool isP2tr(const QByteArray& s)
{
    return s.size() == 34 && s[0] == 0x51 && s[1] == 0x20;
}

QString verifyP2wpkh(const Tx& tx, int index, const Output& prev)
{
    const Input& in = tx.inputs[index];
    if (!in.scriptSig.isEmpty())
        return scriptFailure("Witness requires empty scriptSig");
    if (in.witness.size() != 2)
        return scriptFailure("Witness program hash mismatch");
    const QByteArray& sigWithType = in.witness[0];
    const QByteArray& pubkey = in.witness[1];
    if (hash160(pubkey) != prev.script.mid(2))
        return scriptFailure("Witness program hash mismatch");
    if (pubkey.size() != 33 || (pubkey[0] != 0x02 && pubkey[0] != 0x03))
        return QStringLiteral("non-mandatory-script-verify-flag (Using non-compressed keys in segwit)");
    if (sigWithType.isEmpty())
        return scriptFailure("Signature must be zero for failed CHECK(MULTI)SIG operation");
    const std::uint8_t hashType = std::uint8_t(sigWithType.back());
    const QByteArray der = sigWithType.chopped(1);
    const int base = hashType & ~0x80;
    if (base < 1 || base > 3)
        return QStringLiteral("non-mandatory-script-verify-flag (Signature hash type missing or not understood)");
    secp256k1_ecdsa_signature sig;
    if (!secp256k1_ecdsa_signature_parse_der(context(), &sig, reinterpret_cast<const unsigned char*>(der.constData()),
                                             std::size_t(der.size())))
        return scriptFailure("Non-canonical DER signature");
    unsigned char again[72];
    std::size_t againLen = sizeof again;
    secp256k1_ecdsa_signature_serialize_der(context(), again, &againLen, &sig);
    if (QByteArrayView(reinterpret_cast<const char*>(again), qsizetype(againLen)) != QByteArrayView(der))
        return scriptFailure("Non-canonical DER signature");
    secp256k1_ecdsa_signature normalized;
    if (secp256k1_ecdsa_signature_normalize(context(), &normalized, &sig))
        return QStringLiteral(
            "non-mandatory-script-verify-flag (Non-canonical signature: S value is unnecessarily high)");
    secp256k1_pubkey key;
    if (!secp256k1_ec_pubkey_parse(context(), &key, reinterpret_cast<const unsigned char*>(pubkey.constData()), 33))
        return scriptFailure("Signature must be zero for failed CHECK(MULTI)SIG operation");
    // The script code of P2WPKH is the P2PKH script of the program.
    const QByteArray scriptCode = QByteArray::fromHex("76a914") + prev.script.mid(2) + QByteArray::fromHex("88ac");
    const QByteArray h = bip143Sighash(tx, index, scriptCode, prev.value, hashType);
    if (!secp256k1_ecdsa_verify(context(), &sig, reinterpret_cast<const unsigned char*>(h.constData()), &key))
        return scriptFailure("Signature must be zero for failed CHECK(MULTI)SIG operation");
    return {};
}

QString verifyP2trKeyPath(const Tx& tx, int index, const QList<Output>& spent)
{
    const Input& in = tx.inputs[index];
    if (!in.scriptSig.isEmpty())
        return scriptFailure("Witness requires empty scriptSig");
    QList<QByteArray> stack = in.witness;
    std::optional<QByteArray> annex;
    if (stack.size() >= 2 && !stack.last().isEmpty() && std::uint8_t(stack.last()[0]) == 0x50)
        annex = stack.takeLast();
    if (stack.isEmpty())
        return scriptFailure("Witness program was passed an empty witness");
    if (stack.size() != 1)
        return QStringLiteral("bitcoind-double: script-path spends are not verified here");
    const QByteArray& sig = stack[0];
    if (sig.size() != 64 && sig.size() != 65)
        return scriptFailure("Invalid Schnorr signature size");
    const std::uint8_t hashType = sig.size() == 65 ? std::uint8_t(sig[64]) : 0x00;
    if (sig.size() == 65 && hashType == 0x00)
        return scriptFailure("Invalid Schnorr signature hash type");
    const auto h = bip341Sighash(tx, index, spent, hashType, annex);
    if (!h)
        return scriptFailure("Invalid Schnorr signature hash type");
    secp256k1_xonly_pubkey key;
    const QByteArray program = spent[index].script.mid(2);
    if (!secp256k1_xonly_pubkey_parse(context(), &key, reinterpret_cast<const unsigned char*>(program.constData())) ||
        !secp256k1_schnorrsig_verify(context(), reinterpret_cast<const unsigned char*>(sig.constData()),
                                     reinterpret_cast<const unsigned char*>(h->constData()), 32, &key))
        return scriptFailure("Invalid Schnorr signature");
    return {};
}

} // namespace

QString Input::prevTxidHex() const
{
    QByteArray r = prevTxid;
    std::reverse(r.begin(), r.end());
    return QString::fromLatin1(r.toHex());
}

bool Tx::hasWitness() const
{
    return std::any_of(inputs.cbegin(), inputs.cend(), [](const Input& i) { return !i.witness.isEmpty(); });
}

QByteArray Tx::serialize(bool withWitness) const
{
    const bool segwit = withWitness && hasWitness();
    QByteArray out;
    putLe(out, std::uint32_t(version), 4);
    if (segwit)
        out.append('\x00').append('\x01');
    putCompact(out, std::uint64_t(inputs.size()));
    for (const Input& in : inputs) {
        out += outpointBytes(in) + withSize(in.scriptSig);
        putLe(out, in.sequence, 4);
    }
    putCompact(out, std::uint64_t(outputs.size()));
    for (const Output& o : outputs)
        out += outputBytes(o);
    if (segwit)
        for (const Input& in : inputs) {
            putCompact(out, std::uint64_t(in.witness.size()));
            for (const QByteArray& item : in.witness)
                out += withSize(item);
        }
    putLe(out, lockTime, 4);
    return out;
}

QByteArray Tx::txid() const
{
    return hash256(serialize(false));
}

QString Tx::txidHex() const
{
    QByteArray r = txid();
    std::reverse(r.begin(), r.end());
    return QString::fromLatin1(r.toHex());
}

std::int64_t Tx::weight() const
{
    // BIP141: base size × 3 + total size.
    return std::int64_t(serialize(false).size()) * 3 + std::int64_t(serialize(true).size());
}

Parsed parse(QByteArrayView raw)
{
    Reader r(raw);
    Tx tx;
    tx.version = std::int32_t(std::uint32_t(r.le(4)));
    std::uint64_t nIn = r.count(41);
    bool segwit = false;
    if (!r.failed() && nIn == 0) { // the marker: a flag follows
        const std::uint8_t flag = r.byte();
        if (!r.failed() && flag != 1)
            return {std::nullopt, QStringLiteral("Unknown transaction optional data")};
        segwit = true;
        nIn = r.count(41);
    }
    for (std::uint64_t i = 0; i < nIn && !r.failed(); ++i) {
        Input in;
        in.prevTxid = r.bytes(32);
        in.vout = std::uint32_t(r.le(4));
        in.scriptSig = r.bytes(r.compact());
        in.sequence = std::uint32_t(r.le(4));
        tx.inputs.append(in);
    }
    const std::uint64_t nOut = r.count(9);
    for (std::uint64_t i = 0; i < nOut && !r.failed(); ++i) {
        Output o;
        o.value = std::int64_t(r.le(8));
        o.script = r.bytes(r.compact());
        tx.outputs.append(o);
    }
    if (segwit) {
        for (Input& in : tx.inputs) {
            const std::uint64_t items = r.count(1);
            for (std::uint64_t j = 0; j < items && !r.failed(); ++j)
                in.witness.append(r.bytes(r.compact()));
        }
        if (!r.failed() && !tx.hasWitness())
            return {std::nullopt, QStringLiteral("Superfluous witness record")};
    }
    tx.lockTime = std::uint32_t(r.le(4));
    if (r.failed())
        return {std::nullopt, r.error()};
    if (!r.atEnd())
        return {std::nullopt, QStringLiteral("data after the lock time")};
    if (tx.inputs.isEmpty())
        return {std::nullopt, QStringLiteral("no input")};
    return {tx, QString()};
}

QByteArray sha256(QByteArrayView data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

QByteArray hash256(QByteArrayView data)
{
    return sha256(sha256(data));
}

QByteArray hash160(QByteArrayView data)
{
    const QByteArray sha = sha256(data);
    ripemd160_ctx ctx;
    ripemd160_init(&ctx);
    ripemd160_update(&ctx, std::size_t(sha.size()), reinterpret_cast<const std::uint8_t*>(sha.constData()));
    QByteArray out(RIPEMD160_DIGEST_SIZE, Qt::Uninitialized);
    ripemd160_digest(&ctx, RIPEMD160_DIGEST_SIZE, reinterpret_cast<std::uint8_t*>(out.data()));
    return out;
}

QByteArray taggedHash(QByteArrayView tag, QByteArrayView data)
{
    const QByteArray t = sha256(tag);
    return sha256(QByteArray(t + t + data.toByteArray()));
}

bool isOpReturn(const QByteArray& script)
{
    return !script.isEmpty() && std::uint8_t(script[0]) == 0x6a;
}

std::int64_t dustThreshold(const QByteArray& script, std::int64_t dustRelayFeePerKvb)
{
    if (isOpReturn(script)) // unspendable
        return 0;
    // The output as serialized, and the input that will spend it: 148 bytes, or for a witness
    // program 32 + 4 + 1 + 107 / 4 + 4 = 67 (the witness discounted).
    std::int64_t size = outputBytes(Output{0, script}).size();
    const bool witnessProgram =
        script.size() >= 4 && script.size() <= 42 &&
        (script[0] == 0x00 || (std::uint8_t(script[0]) >= 0x51 && std::uint8_t(script[0]) <= 0x60)) &&
        std::uint8_t(script[1]) + 2 == script.size();
    size += witnessProgram ? 32 + 4 + 1 + 107 / 4 + 4 : 32 + 4 + 1 + 107 + 4;
    // CFeeRate::GetFee: rounded up.
    return (dustRelayFeePerKvb * size + 999) / 1000;
}

QByteArray bip143Preimage(const Tx& tx, int index, const QByteArray& scriptCode, std::int64_t amount,
                          std::uint32_t hashType)
{
    const bool anyoneCanPay = hashType & 0x80;
    const std::uint32_t base = hashType & 0x1f;
    const bool single = base == 3, none = base == 2;
    QByteArray prevouts, sequences, outputs;
    for (const Input& in : tx.inputs) {
        prevouts += outpointBytes(in);
        putLe(sequences, in.sequence, 4);
    }
    for (const Output& o : tx.outputs)
        outputs += outputBytes(o);
    const QByteArray zero(32, '\0');
    QByteArray m;
    putLe(m, std::uint32_t(tx.version), 4);
    m += anyoneCanPay ? zero : hash256(prevouts);
    m += anyoneCanPay || single || none ? zero : hash256(sequences);
    m += outpointBytes(tx.inputs[index]);
    m += withSize(scriptCode);
    putLe(m, std::uint64_t(amount), 8);
    putLe(m, tx.inputs[index].sequence, 4);
    if (!single && !none)
        m += hash256(outputs);
    else if (single && index < tx.outputs.size())
        m += hash256(outputBytes(tx.outputs[index]));
    else
        m += zero;
    putLe(m, tx.lockTime, 4);
    putLe(m, hashType, 4);
    return m;
}

QByteArray bip143Sighash(const Tx& tx, int index, const QByteArray& scriptCode, std::int64_t amount,
                         std::uint32_t hashType)
{
    return hash256(bip143Preimage(tx, index, scriptCode, amount, hashType));
}

std::optional<QByteArray> bip341SigMsg(const Tx& tx, int index, const QList<Output>& spent, std::uint8_t hashType,
                                       const std::optional<QByteArray>& annex)
{
    if (!(hashType <= 0x03 || (hashType >= 0x81 && hashType <= 0x83)) || spent.size() != tx.inputs.size())
        return std::nullopt;
    const bool anyoneCanPay = hashType & 0x80;
    const std::uint8_t outputType = hashType == 0 ? 1 : (hashType & 0x03);
    QByteArray m(1, '\0'); // the epoch
    m.append(char(hashType));
    putLe(m, std::uint32_t(tx.version), 4);
    putLe(m, tx.lockTime, 4);
    if (!anyoneCanPay) {
        QByteArray prevouts, amounts, scripts, sequences;
        for (int i = 0; i < tx.inputs.size(); ++i) {
            prevouts += outpointBytes(tx.inputs[i]);
            putLe(amounts, std::uint64_t(spent[i].value), 8);
            scripts += withSize(spent[i].script);
            putLe(sequences, tx.inputs[i].sequence, 4);
        }
        m += sha256(prevouts) + sha256(amounts) + sha256(scripts) + sha256(sequences);
    }
    if (outputType == 1) {
        QByteArray outputs;
        for (const Output& o : tx.outputs)
            outputs += outputBytes(o);
        m += sha256(outputs);
    }
    m.append(char(annex ? 1 : 0)); // spend type: key path (ext_flag 0), annex or not
    if (anyoneCanPay) {
        m += outpointBytes(tx.inputs[index]);
        putLe(m, std::uint64_t(spent[index].value), 8);
        m += withSize(spent[index].script);
        putLe(m, tx.inputs[index].sequence, 4);
    } else {
        putLe(m, std::uint32_t(index), 4);
    }
    if (annex)
        m += sha256(withSize(*annex));
    if (outputType == 3) {
        if (index >= tx.outputs.size())
            return std::nullopt;
        m += sha256(outputBytes(tx.outputs[index]));
    }
    return m;
}

std::optional<QByteArray> bip341Sighash(const Tx& tx, int index, const QList<Output>& spent, std::uint8_t hashType,
                                        const std::optional<QByteArray>& annex)
{
    const auto m = bip341SigMsg(tx, index, spent, hashType, annex);
    if (!m)
        return std::nullopt;
    return taggedHash("TapSighash", *m);
}

QString verifyInput(const Tx& tx, int index, const QList<Output>& spent)
{
    const Output& prev = spent[index];
    if (isP2wpkh(prev.script))
        return verifyP2wpkh(tx, index, prev);
    if (isP2tr(prev.script))
        return verifyP2trKeyPath(tx, index, spent);
    return QStringLiteral("bitcoind-double: only P2WPKH and P2TR key-path inputs are verified here");
}

} // namespace uw::test::dtx
