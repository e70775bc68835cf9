#pragma once

#include <QString>
#include <QUrl>
#include <memory>

namespace uw {

class ChainBackend;

/// Where the anchoring core finds its node.
struct BackendConfig
{
    QUrl bitcoinRpcUrl; ///< Bitcoin Core JSON-RPC (user:password in the URL, or a cookie file)
    QString cookieFile;
    QUrl esploraUrl;   ///< or an Esplora / mempool REST API
    QUrl zmqHashblock; ///< Bitcoin Core's -zmqpubhashblock: new blocks are followed at once (else polling)
    bool isConfigured() const { return bitcoinRpcUrl.isValid() || esploraUrl.isValid(); }
};

/// Creates the backend a configuration names (Bitcoin Core RPC first, else Esplora).
std::unique_ptr<ChainBackend> makeBackend(const BackendConfig& config);

} // namespace uw
