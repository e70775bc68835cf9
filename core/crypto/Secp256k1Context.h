#pragma once

struct secp256k1_context_struct;

namespace uw {

/// The process-wide libsecp256k1 context, created and randomized once. After
/// creation it is only read, which libsecp256k1 documents as thread-safe for
/// signing and verification.
const secp256k1_context_struct* secpContext();

} // namespace uw
