// Bitcoin transactions from outside (core/bitcoin/Transaction::deserialize: raw transactions a
// node or a file hands us) and transaction ids in display hex (Txid::fromHex, used on every txid a
// node or an import line names).
// Round trips: a parsed transaction serializes to bytes that parse to a transaction serializing
// to the same bytes (non-minimal sizes in the input may be written shorter); a parsed txid's hex()
// parses to the same txid.
#include "FuzzSupport.h"
#include "bitcoin/Transaction.h"

using namespace uw;
using namespace uw::btc;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char*>(data), qsizetype(size));
    if (size == 64) {
        if (auto txid = Txid::fromHex(QString::fromLatin1(input.data(), 64))) {
            auto again = Txid::fromHex(txid->hex());
            if (!again || !(*again == *txid))
                fuzz::fail("fuzz_transaction", "Txid hex round trip", txid->hex());
        }
    }
    auto tx = Transaction::deserialize(input);
    if (!tx)
        return 0;
    const QByteArray bytes = tx->serialize(true);
    auto again = Transaction::deserialize(bytes);
    if (!again)
        fuzz::fail("fuzz_transaction", "serialize() of a parsed transaction does not parse",
                   QString::fromLatin1(bytes.toHex()));
    if (again->serialize(true) != bytes)
        fuzz::fail("fuzz_transaction", "serialize round trip changes the bytes", QString::fromLatin1(bytes.toHex()));
    if (again->txid() != tx->txid() || again->wtxid() != tx->wtxid())
        fuzz::fail("fuzz_transaction", "ids change over a round trip");
    if (tx->vsize() <= 0 || tx->weight() < std::int64_t(tx->serialize(false).size()) * 4)
        fuzz::fail("fuzz_transaction", "weight below four times the stripped size");
    return 0;
}
