#include "bitcoin/Hashes.h"

#include "crypto/Sha256.h"

#include <nettle/ripemd160.h>

namespace uw::btc {

QByteArray hash160(QByteArrayView data)
{
    const Bytes32 sha = Sha256::hash(data);
    ripemd160_ctx ctx;
    ripemd160_init(&ctx);
    ripemd160_update(&ctx, sha.size(), sha.data());
    QByteArray out(RIPEMD160_DIGEST_SIZE, Qt::Uninitialized);
    ripemd160_digest(&ctx, RIPEMD160_DIGEST_SIZE, reinterpret_cast<uint8_t*>(out.data()));
    return out;
}

Bytes32 taggedHash(const char* tag, QByteArrayView data)
{
    const Bytes32 t = Sha256::hash(QByteArrayView(tag));
    Sha256 h;
    h.add(view(t)).add(view(t)).add(data);
    return h.finalize();
}

} // namespace uw::btc
