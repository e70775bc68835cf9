#include "chain/BackendConfig.h"

#include "chain/BitcoinCoreRpc.h"
#include "chain/EsploraBackend.h"

namespace uw {

std::unique_ptr<ChainBackend> makeBackend(const BackendConfig& config)
{
    if (config.bitcoinRpcUrl.isValid())
        return std::make_unique<BitcoinCoreRpc>(config.bitcoinRpcUrl, config.cookieFile);
    if (config.esploraUrl.isValid())
        return std::make_unique<EsploraBackend>(config.esploraUrl);
    return nullptr;
}

} // namespace uw
