// Bech32 and bech32m (core/bitcoin/Bech32, BIP173/BIP350): addresses a person types or pastes and
// a node reports. decode() on the text, decodeAddress() for the three networks' prefixes.
// Round trips: what decodes encodes back to the lowercase text.
#include "FuzzSupport.h"
#include "bitcoin/Bech32.h"

using namespace uw;
using namespace uw::btc;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > 1024)
        return 0; // BIP173 strings are at most 90 characters; the decoder refuses longer ones first
    const QString text = fuzz::text(data, size);
    if (auto d = bech32::decode(text)) {
        const QString again = bech32::encode(d->encoding, d->hrp, d->data);
        if (again != text.toLower())
            fuzz::fail("fuzz_bech32", "decode/encode round trip", text + QLatin1Char('\n') + again);
    }
    for (const char* hrp : {"bc", "tb", "bcrt"}) {
        const QString h = QString::fromLatin1(hrp);
        auto program = bech32::decodeAddress(h, text);
        if (!program)
            continue;
        auto again = bech32::encodeAddress(h, program->version, program->program);
        if (!again)
            fuzz::fail("fuzz_bech32", "a decoded address cannot be encoded", again.error().message);
        if (*again != text.toLower())
            fuzz::fail("fuzz_bech32", "address round trip", text + QLatin1Char('\n') + *again);
    }
    return 0;
}
