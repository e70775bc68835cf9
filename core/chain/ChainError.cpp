#include "chain/ChainError.h"

namespace uw {

ChainError classifyChainError(const Error& error)
{
    const QString& code = error.code;
    if (code == QLatin1String("unreachable"))
        return ChainError::Unreachable;
    if (code == QLatin1String("auth"))
        return ChainError::Auth;
    if (code == QLatin1String("no_estimate"))
        return ChainError::NoEstimate;
    if (code == QLatin1String("bad_answer"))
        return ChainError::BadAnswer;
    if (code.startsWith(QLatin1String("rpc:"))) {
        bool ok = false;
        const int rpc = QStringView(code).mid(4).toInt(&ok);
        if (!ok)
            return ChainError::Other;
        switch (rpc) {
        case -28:
            return ChainError::Warmup;
        case -25:
            return ChainError::VerifyError;
        case -26:
            return ChainError::VerifyRejected;
        case -27:
            return ChainError::AlreadyInChain;
        case -5:
            return ChainError::NotFound;
        case -8:     // RPC_INVALID_PARAMETER
        case -22:    // RPC_DESERIALIZATION_ERROR
        case -32600: // RPC_INVALID_REQUEST
        case -32601: // RPC_METHOD_NOT_FOUND
        case -32602: // RPC_INVALID_PARAMS
        case -32700: // RPC_PARSE_ERROR
            return ChainError::BadRequest;
        default:
            return ChainError::Other;
        }
    }
    if (code == QLatin1String("http:404"))
        return ChainError::NotFound;
    if (code == QLatin1String("http:400"))
        return ChainError::BadRequest;
    return ChainError::Other;
}

} // namespace uw
