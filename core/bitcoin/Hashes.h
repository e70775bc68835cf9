#pragma once

#include "crypto/Bytes.h"

#include <QByteArray>
#include <QByteArrayView>

namespace uw::btc {

/// RIPEMD-160(SHA-256(data)) (nettle's RIPEMD-160).
QByteArray hash160(QByteArrayView data);
/// BIP340 tagged hash: SHA-256(SHA-256(tag) || SHA-256(tag) || data).
Bytes32 taggedHash(const char* tag, QByteArrayView data);

inline QByteArrayView view(const Bytes32& b)
{
    return QByteArrayView(reinterpret_cast<const char*>(b.data()), 32);
}
inline QByteArray bytes(const Bytes32& b)
{
    return QByteArray(reinterpret_cast<const char*>(b.data()), 32);
}

} // namespace uw::btc
