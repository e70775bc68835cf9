#include "crypto/Secp256k1Context.h"

#include "crypto/Sodium.h"

#include <cstdlib>
#include <secp256k1.h>

namespace uw {

const secp256k1_context* secpContext()
{
    static const secp256k1_context* ctx = [] {
        secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        unsigned char seed[32];
        randomBytes(seed, sizeof seed);
        // Blinding against side channels for signing.
        if (!c || !secp256k1_context_randomize(c, seed))
            std::abort();
        return c;
    }();
    return ctx;
}

} // namespace uw
