#pragma once

#include <QtGlobal>
#include <cstdint>

namespace uw {

/// What one relay accepts. Everything beyond is refused with a NIP-01 reason,
/// and the relay keeps serving everyone else.
struct RelayLimits
{
    qsizetype maxMessageBytes = 64 * 1024;    ///< larger text frames get a NOTICE
    qsizetype hardMessageBytes = 1024 * 1024; ///< beyond this the connection is closed (1009)
    int maxSubscriptionsPerConnection = 20;
    int maxFiltersPerSubscription = 10;
    double eventsPerSecond = 50; ///< sustained EVENT rate per connection
    double eventBurst = 100;     ///< token bucket size
    int maxConnections = 4096;
    int handshakeTimeoutMs = 10 * 1000; ///< a TCP connection without a WebSocket handshake by then is closed
    int defaultQueryLimit = 500;
    std::int64_t retentionSeconds = 7 * 24 * 3600;
    std::int64_t maxFutureSeconds = 15 * 60; ///< created_at may run this far ahead of our clock
};

} // namespace uw
