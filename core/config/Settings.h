#pragma once

#include "config/KnownService.h"
#include "util/Result.h"

#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

namespace uw {

/// A profile's settings (settings.ini in its data directory) with the node's
/// environment overrides applied on top. Loading validates every
/// value; a malformed one is an error that names the setting, so start-up stops
/// instead of running half-configured.
struct Settings
{
    QStringList relayUrls{QStringLiteral("ws://127.0.0.1:7447")};
    /// How long a login waits for the other devices (login/timeout_seconds). At most
    /// kMaxLoginTimeoutSeconds: the login message lives a minute longer, and a proof may be valid
    /// for at most 600 s (docs/PROTOCOL.md).
    int loginTimeoutSeconds = 300;
    static constexpr int kMinLoginTimeoutSeconds = 5;
    static constexpr int kMaxLoginTimeoutSeconds = 540;
    /// The longest validity window this device co-signs (signing/max_validity_seconds).
    int cosignMaxValiditySeconds = 600;
    static constexpr int kMinCosignValiditySeconds = 30;
    static constexpr int kMaxCosignValiditySeconds = 600;
    /// Anchoring rounds (anchoring/round_interval_seconds, anchoring/round_max_digests): a round
    /// closes at most this long after its first digest, or as soon as this many digests wait (the
    /// desktop application's anchoring core). A one-shot `anchor --round` closes its rounds at once,
    /// of at most roundMaxDigests each.
    int roundIntervalSeconds = 10;
    static constexpr int kMinRoundIntervalSeconds = 1;
    static constexpr int kMaxRoundIntervalSeconds = 3600;
    int roundMaxDigests = 100000;
    static constexpr int kMinRoundMaxDigests = 1;
    static constexpr int kMaxRoundMaxDigests = 1000000;
    QUrl bootstrapUrl;
    QUrl storageUrl;
    QUrl signerWsUrl;
    QUrl signerBaseUrl;
    QUrl bitcoinRpcUrl;
    QString bitcoinRpcCookie;
    QUrl bitcoinZmqHashblock;
    QUrl bitcoinZmqRawtx;
    QUrl mempoolApiUrl;
    QString bitcoinNetwork = QStringLiteral("signet"); ///< signet, testnet, regtest (mainnet only if allowed)
    bool allowMainnet = false;
    QString addressType = QStringLiteral("p2wpkh"); ///< p2wpkh or p2tr
    double feeFloorSatPerVb = 1.0;
    QString language; ///< empty: follow the system locale
    /// The services the login screen offers, in the file's order: the array known_services, each
    /// entry a name with either a login request's address (request) or a service id and a
    /// callback (service, callback), e.g. known_services/1/name=demo. save() writes the list.
    QList<KnownService> knownServices;

    /// Reads `iniPath` (missing file: defaults), then the environment.
    static Result<Settings> load(const QString& iniPath,
                                 const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
    Result<void> save(const QString& iniPath) const;
};

} // namespace uw
