#include "anchor/AnchorTx.h"

#include "bitcoin/Script.h"

#include <cmath>

namespace uw::anchorTx {

namespace {
const QByteArray kMagic("UWA\x01", 4);
}

QByteArray payload(const QString& digestHex)
{
    return kMagic + QByteArray::fromHex(digestHex.toLatin1());
}

std::optional<QString> digestOf(const QByteArray& s)
{
    if (s.size() != 38 || std::uint8_t(s[0]) != 0x6a || s[1] != 36 || !s.mid(2, 4).startsWith(kMagic))
        return std::nullopt;
    return QString::fromLatin1(s.mid(6).toHex());
}

std::int64_t maxVsize(const btc::WalletKey& key, int outputsToWallet)
{
    btc::Transaction tx;
    tx.inputs.append(btc::TxIn{});
    tx.inputs[0].witness = {QByteArray(key.maxWitnessBytes() - 2, 0)};
    tx.outputs.append(btc::TxOut{0, btc::script::opReturn(QByteArray(36, 0))});
    for (int i = 0; i < outputsToWallet; ++i)
        tx.outputs.append(btc::TxOut{0, key.script()});
    return tx.vsize();
}

std::int64_t feeFor(double satPerVb, std::int64_t vsize)
{
    return std::int64_t(std::ceil(satPerVb * double(vsize)));
}

std::int64_t minimumInputWithChange(const btc::WalletKey& key, double satPerVb)
{
    return feeFor(satPerVb, maxVsize(key, 1)) + key.dust();
}

std::int64_t minimumInput(const btc::WalletKey& key, double satPerVb)
{
    return feeFor(satPerVb, maxVsize(key, 0));
}

namespace {

Result<AnchorStore::Built> signOne(btc::Transaction tx, const Utxo& utxo, const btc::WalletKey& key, std::int64_t fee)
{
    if (auto r = key.signInput(tx, 0, btc::TxOut{utxo.value, utxo.script}); !r)
        return r.error();
    std::optional<btc::TxOut> change;
    if (tx.outputs.size() > 1 && tx.outputs.last().script == key.script())
        change = tx.outputs.last();
    return AnchorStore::Built{std::move(tx), fee, change};
}

btc::TxIn inputFor(const Utxo& utxo)
{
    btc::TxIn in;
    in.prevout.txid = btc::Txid::fromHex(utxo.txid).value_or(btc::Txid{});
    in.prevout.vout = utxo.vout;
    return in;
}

} // namespace

Result<AnchorStore::Built> build(const Utxo& utxo, const QString& digestHex, const btc::WalletKey& key, double satPerVb)
{
    if (utxo.script != key.script())
        return makeError(QStringLiteral("not_ours"),
                         QStringLiteral("UTXO %1:%2 does not pay this wallet.").arg(utxo.txid).arg(utxo.vout));
    btc::Transaction tx;
    tx.inputs.append(inputFor(utxo));
    tx.outputs.append(btc::TxOut{0, btc::script::opReturn(payload(digestHex))});
    const std::int64_t feeWithChange = feeFor(satPerVb, maxVsize(key, 1));
    const std::int64_t change = utxo.value - feeWithChange;
    if (change >= key.dust()) {
        tx.outputs.append(btc::TxOut{change, key.script()});
        return signOne(std::move(tx), utxo, key, feeWithChange);
    }
    // Change would be dust: no change output, the whole input goes to the fee.
    if (utxo.value < feeFor(satPerVb, maxVsize(key, 0)))
        return makeError(
            QStringLiteral("too_small"),
            QStringLiteral("UTXO %1:%2 (%3 sat) cannot pay the fee.").arg(utxo.txid).arg(utxo.vout).arg(utxo.value));
    return signOne(std::move(tx), utxo, key, utxo.value);
}

Result<AnchorStore::Built> buildFanout(const Utxo& utxo, int outputs, std::int64_t value, const btc::WalletKey& key,
                                       double satPerVb)
{
    if (outputs < 1 || outputs > 2000 || value < key.dust())
        return makeError(QStringLiteral("bad_fanout"),
                         QStringLiteral("A fan-out makes 1 to 2000 outputs of at least %1 sat.").arg(key.dust()));
    btc::Transaction tx;
    tx.inputs.append(inputFor(utxo));
    for (int i = 0; i < outputs; ++i)
        tx.outputs.append(btc::TxOut{value, key.script()});
    btc::Transaction sizing = tx;
    sizing.outputs.append(btc::TxOut{0, key.script()});
    sizing.inputs[0].witness = {QByteArray(key.maxWitnessBytes() - 2, 0)};
    const std::int64_t fee = feeFor(satPerVb, sizing.vsize());
    const std::int64_t change = utxo.value - std::int64_t(outputs) * value - fee;
    if (change < 0)
        return makeError(QStringLiteral("too_small"),
                         QStringLiteral("UTXO %1:%2 (%3 sat) cannot fund %4 × %5 sat plus the fee.")
                             .arg(utxo.txid)
                             .arg(utxo.vout)
                             .arg(utxo.value)
                             .arg(outputs)
                             .arg(value));
    if (change >= key.dust())
        tx.outputs.append(btc::TxOut{change, key.script()});
    return signOne(std::move(tx), utxo, key,
                   utxo.value - std::int64_t(outputs) * value - (change >= key.dust() ? change : 0));
}

} // namespace uw::anchorTx
