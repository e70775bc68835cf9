// The JSON-lines UTXO import (core/anchor/UtxoImport, `userwallet-cli utxo import FILE`): the
// whole file through utxoImport::parse, for a fixed wallet script (a P2WPKH of twenty 0x11 bytes,
// which the seed lines pay).
// Invariants: every UTXO returned holds what the parser promises (64 lowercase hex txid, a value
// of 1 sat to 21,000,000 BTC, the wallet's script, a height that is absent or ≥ 0, no outpoint twice).
#include "FuzzSupport.h"
#include "anchor/UtxoImport.h"

#include <QBuffer>
#include <QSet>

using namespace uw;

namespace {

QByteArray walletScript()
{
    return QByteArray::fromHex("0014") + QByteArray(20, '\x11');
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QByteArray contents = fuzz::bytes(data, size);
    QBuffer buffer(&contents);
    buffer.open(QIODevice::ReadOnly);
    const QByteArray script = walletScript();
    auto utxos = utxoImport::parse(buffer, script, QStringLiteral("bcrt1q-fuzz-wallet"));
    if (!utxos)
        return 0;
    QSet<QString> seen;
    for (const Utxo& u : *utxos) {
        const QString outpoint = u.txid + QLatin1Char(':') + QString::number(u.vout);
        if (u.txid.size() != 64 || u.txid != u.txid.toLower() || u.value < 1 ||
            u.value > 21'000'000LL * 100'000'000LL || u.script != script || (u.height && *u.height < 0) ||
            seen.contains(outpoint))
            fuzz::fail("fuzz_utxo_import", "an imported UTXO breaks the parser's promise", outpoint);
        seen.insert(outpoint);
    }
    return 0;
}
