#pragma once

#include "crypto/Bytes.h"

#include <QByteArrayView>
#include <memory>

namespace uw {

/// SHA-256 (libsodium's implementation). One-shot and streaming, so a dropped
/// file can be hashed without loading it whole.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    Sha256& add(QByteArrayView data);
    Bytes32 finalize();

    static Bytes32 hash(QByteArrayView data);
    /// SHA-256(SHA-256(data)), Bitcoin's hash256.
    static Bytes32 hash256(QByteArrayView data);
    static QString hashHex(QByteArrayView data) { return toHex(hash(data)); }

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace uw
