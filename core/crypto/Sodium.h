#pragma once

#include <cstddef>
#include <cstdint>

namespace uw {

/// Initializes libsodium once (thread-safe); aborts if the library cannot start,
/// since no cryptography can be trusted then.
void ensureSodium();

/// Fills `out` with bytes from the operating system's CSPRNG.
void randomBytes(std::uint8_t* out, std::size_t size);

} // namespace uw
