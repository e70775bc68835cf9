#pragma once

#include "util/Result.h"

namespace uw {

/// What a ChainBackend's failure means, whichever backend answered: decided once, from
/// Error::code and never from the node's message (its words change between versions and
/// languages). The codes the backends give:
///  - "unreachable" (no answer, a timeout, HTTP 5xx), "auth" (credentials refused),
///    "bad_answer" (not what the protocol promises), "no_estimate" (no fee estimate yet);
///  - "rpc:<n>": Bitcoin Core's JSON-RPC error number n (src/rpc/protocol.h). Esplora relays
///    the node's refusal of a transaction as text carrying that JSON; EsploraBackend passes
///    its number on the same way;
///  - "http:<status>": an Esplora answer with no node error in it; Esplora has no error codes
///    of its own, so its HTTP status is what is classified here.
enum class ChainError
{
    Unreachable,    ///< "unreachable": transient, try again later
    Auth,           ///< "auth": the node refused the RPC credentials
    Warmup,         ///< rpc:-28 RPC_IN_WARMUP: the node is starting (transient)
    VerifyError,    ///< rpc:-25 RPC_VERIFY_ERROR: inputs missing or already spent; also a fee above maxfeerate
    VerifyRejected, ///< rpc:-26 RPC_VERIFY_REJECTED: refused by the node's policy or by consensus
    AlreadyInChain, ///< rpc:-27 RPC_VERIFY_ALREADY_IN_CHAIN
    NotFound,       ///< rpc:-5 RPC_INVALID_ADDRESS_OR_KEY ("no such transaction"), Esplora HTTP 404
    BadRequest,     ///< rpc:-8, -22, -32600, -32601, -32602, -32700: the request was wrong; Esplora HTTP 400
    NoEstimate,     ///< "no_estimate"
    BadAnswer,      ///< "bad_answer"
    Other,          ///< any other code
};

/// The class of a ChainBackend's error.
ChainError classifyChainError(const Error& error);

/// Bitcoin Core's sendrawtransaction refuses a fee rate above its maxfeerate argument, by
/// default 0.10 BTC/kvB (10,000 sat/vB), with -25 like missing inputs: the code alone cannot
/// tell them apart, the transaction's own fee rate can.
inline constexpr double kNodeMaxFeeRateSatPerVb = 0.10 * 1e8 / 1000;

} // namespace uw
