#pragma once

#include "crypto/Bytes.h"

#include <QByteArrayView>

namespace uw {

/// HMAC-SHA-256 (libsodium), for proofs of knowledge of a shared one-time code.
Bytes32 hmacSha256(QByteArrayView key, QByteArrayView message);

/// Constant-time comparison of two equal-length byte strings.
bool constantTimeEqual(QByteArrayView a, QByteArrayView b);

} // namespace uw
