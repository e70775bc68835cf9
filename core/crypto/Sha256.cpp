#include "crypto/Sha256.h"

#include "crypto/Sodium.h"

#include <sodium.h>

namespace uw {

struct Sha256::State
{
    crypto_hash_sha256_state st;
};

Sha256::Sha256() : m_state(std::make_unique<State>())
{
    ensureSodium();
    crypto_hash_sha256_init(&m_state->st);
}

Sha256::~Sha256() = default;

Sha256& Sha256::add(QByteArrayView data)
{
    crypto_hash_sha256_update(&m_state->st, reinterpret_cast<const unsigned char*>(data.data()),
                              static_cast<unsigned long long>(data.size()));
    return *this;
}

Bytes32 Sha256::finalize()
{
    Bytes32 out{};
    crypto_hash_sha256_final(&m_state->st, out.data());
    return out;
}

Bytes32 Sha256::hash(QByteArrayView data)
{
    ensureSodium();
    Bytes32 out{};
    crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()),
                       static_cast<unsigned long long>(data.size()));
    return out;
}

Bytes32 Sha256::hash256(QByteArrayView data)
{
    const Bytes32 first = hash(data);
    return hash(QByteArrayView(reinterpret_cast<const char*>(first.data()), 32));
}

} // namespace uw
