#pragma once

#include <QString>

namespace uw {

/// One device of a member as a login path names it.
struct PairRef
{
    QString pair;   ///< UUID, lowercase, 8-4-4-4-12
    QString pubkey; ///< BIP340 x-only public key, 64 lowercase hex digits
    bool operator==(const PairRef&) const = default;
};

} // namespace uw
