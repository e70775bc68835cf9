// json::parse (the bounded strict parser every signed document goes through) and
// json::canonicalize (RFC 8785, the bytes every signature covers).
// Round trip: the canonical form of a parsed value parses again to an equal value whose canonical
// form is the same bytes; formatNumber's text reads back as the same double.
#include "FuzzSupport.h"

#include "json/CanonicalJson.h"
#include <cmath>
#include <cstring>

using namespace uw;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char*>(data), qsizetype(size));

    // ECMAScript number form of the first 8 bytes taken as a double.
    if (size >= 8) {
        double d = 0;
        std::memcpy(&d, data, sizeof d);
        if (std::isfinite(d)) {
            const QByteArray s = json::formatNumber(d);
            bool ok = false;
            const double back = s.toDouble(&ok);
            if (!ok || back != d)
                fuzz::fail("fuzz_json", "formatNumber does not read back", QString::fromLatin1(s));
        }
    }

    auto value = json::parse(input);
    if (!value)
        return 0;
    if (auto n = json::exactInteger(*value); n)
        fuzz::fail("fuzz_json", "exactInteger of an object or array");
    auto canon = json::canonicalize(*value);
    if (!canon)
        return 0; // refused (integer beyond 2^53, lone surrogate, too deep): an error, not a crash
    // The canonical text can be longer than the input (1e20 is 21 digits): no size bound here.
    auto again = json::parse(*canon, 64 * 1024 * 1024);
    if (!again)
        fuzz::fail("fuzz_json", "canonical text does not parse",
                   again.error().message + QLatin1Char('\n') + QString::fromUtf8(*canon));
    if (*again != *value)
        fuzz::fail("fuzz_json", "canonical text parses to another value", QString::fromUtf8(*canon));
    auto canon2 = json::canonicalize(*again);
    if (!canon2)
        fuzz::fail("fuzz_json", "canonical text is refused by canonicalize once parsed",
                   canon2.error().message + QLatin1Char('\n') + QString::fromUtf8(*canon));
    if (*canon2 != *canon)
        fuzz::fail("fuzz_json", "canonicalize is not idempotent",
                   QString::fromUtf8(*canon) + QLatin1Char('\n') + QString::fromUtf8(*canon2));
    return 0;
}
