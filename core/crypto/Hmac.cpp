#include "crypto/Hmac.h"

#include "crypto/Sodium.h"

#include <sodium.h>

namespace uw {

Bytes32 hmacSha256(QByteArrayView key, QByteArrayView message)
{
    ensureSodium();
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), std::size_t(key.size()));
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                  static_cast<unsigned long long>(message.size()));
    Bytes32 out{};
    crypto_auth_hmacsha256_final(&st, out.data());
    sodium_memzero(&st, sizeof st);
    return out;
}

bool constantTimeEqual(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), std::size_t(a.size())) == 0;
}

} // namespace uw
