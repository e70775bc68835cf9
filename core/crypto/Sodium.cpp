#include "crypto/Sodium.h"

#include <cstdlib>
#include <mutex>
#include <sodium.h>

namespace uw {

void ensureSodium()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0)
            std::abort();
    });
}

void randomBytes(std::uint8_t* out, std::size_t size)
{
    ensureSodium();
    randombytes_buf(out, size);
}

} // namespace uw
