#include "bitcoin/Sighash.h"

#include "bitcoin/Hashes.h"
#include "crypto/Sha256.h"

namespace uw::btc {

namespace {

QByteArray outpointBytes(const OutPoint& o)
{
    QByteArray b(reinterpret_cast<const char*>(o.txid.bytes.data()), 32);
    writeLE32(b, o.vout);
    return b;
}

QByteArray outputBytes(const TxOut& o)
{
    QByteArray b;
    writeLE64(b, std::uint64_t(o.value));
    writeCompactSize(b, std::uint64_t(o.script.size()));
    b.append(o.script);
    return b;
}

QByteArray sha(const QByteArray& b)
{
    return bytes(Sha256::hash(b));
}

QByteArray dsha(const QByteArray& b)
{
    return bytes(Sha256::hash256(b));
}

} // namespace

Bytes32 sighashBip143(const Transaction& tx, int n, const QByteArray& scriptCode, std::int64_t amount,
                      std::uint32_t hashType)
{
    const std::uint32_t base = hashType & 0x1f;
    const bool anyoneCanPay = hashType & SIGHASH_ANYONECANPAY;
    QByteArray prevouts, sequences, outputs;
    if (!anyoneCanPay)
        for (const TxIn& in : tx.inputs)
            prevouts += outpointBytes(in.prevout);
    if (!anyoneCanPay && base != SIGHASH_SINGLE && base != SIGHASH_NONE)
        for (const TxIn& in : tx.inputs)
            writeLE32(sequences, in.sequence);
    if (base != SIGHASH_SINGLE && base != SIGHASH_NONE) {
        for (const TxOut& o : tx.outputs)
            outputs += outputBytes(o);
    } else if (base == SIGHASH_SINGLE && n < tx.outputs.size()) {
        outputs = outputBytes(tx.outputs[n]);
    }
    const QByteArray zero(32, 0);
    QByteArray pre;
    writeLE32(pre, std::uint32_t(tx.version));
    pre += prevouts.isEmpty() ? zero : dsha(prevouts);
    pre += sequences.isEmpty() ? zero : dsha(sequences);
    pre += outpointBytes(tx.inputs[n].prevout);
    writeCompactSize(pre, std::uint64_t(scriptCode.size()));
    pre += scriptCode;
    writeLE64(pre, std::uint64_t(amount));
    writeLE32(pre, tx.inputs[n].sequence);
    pre += outputs.isEmpty() ? zero : dsha(outputs);
    writeLE32(pre, tx.lockTime);
    writeLE32(pre, hashType);
    return Sha256::hash256(pre);
}

Result<QByteArray> sigMsgBip341(const Transaction& tx, int n, const QList<TxOut>& spent, std::uint8_t hashType)
{
    auto bad = [](const QString& why) { return makeError(QStringLiteral("bad_sighash"), why); };
    if (spent.size() != tx.inputs.size() || n < 0 || n >= tx.inputs.size())
        return bad(QStringLiteral("every spent output is needed for a BIP341 signature hash"));
    if (!(hashType <= 0x03 || (hashType >= 0x81 && hashType <= 0x83)))
        return bad(QStringLiteral("invalid hash type"));
    const std::uint8_t output = hashType == SIGHASH_DEFAULT ? SIGHASH_ALL : (hashType & 0x03);
    const bool anyoneCanPay = hashType & SIGHASH_ANYONECANPAY;
    QByteArray m;
    m.append(char(0)); // epoch
    m.append(char(hashType));
    writeLE32(m, std::uint32_t(tx.version));
    writeLE32(m, tx.lockTime);
    if (!anyoneCanPay) {
        QByteArray prevouts, amounts, scripts, sequences;
        for (int i = 0; i < tx.inputs.size(); ++i) {
            prevouts += outpointBytes(tx.inputs[i].prevout);
            writeLE64(amounts, std::uint64_t(spent[i].value));
            writeCompactSize(scripts, std::uint64_t(spent[i].script.size()));
            scripts += spent[i].script;
            writeLE32(sequences, tx.inputs[i].sequence);
        }
        m += sha(prevouts) + sha(amounts) + sha(scripts) + sha(sequences);
    }
    if (output == SIGHASH_ALL) {
        QByteArray outs;
        for (const TxOut& o : tx.outputs)
            outs += outputBytes(o);
        m += sha(outs);
    }
    m.append(char(0)); // spend_type: key path, no annex
    if (anyoneCanPay) {
        m += outpointBytes(tx.inputs[n].prevout);
        writeLE64(m, std::uint64_t(spent[n].value));
        writeCompactSize(m, std::uint64_t(spent[n].script.size()));
        m += spent[n].script;
        writeLE32(m, tx.inputs[n].sequence);
    } else {
        writeLE32(m, std::uint32_t(n));
    }
    if (output == SIGHASH_SINGLE) {
        if (n >= tx.outputs.size())
            return bad(QStringLiteral("SIGHASH_SINGLE without a matching output"));
        m += sha(outputBytes(tx.outputs[n]));
    }
    return m;
}

Result<Bytes32> sighashBip341(const Transaction& tx, int n, const QList<TxOut>& spent, std::uint8_t hashType)
{
    auto msg = sigMsgBip341(tx, n, spent, hashType);
    if (!msg)
        return msg.error();
    return taggedHash("TapSighash", *msg);
}

} // namespace uw::btc
