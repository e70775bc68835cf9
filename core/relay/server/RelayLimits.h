#pragma once

#include <QtGlobal>
#include <algorithm>
#include <cstdint>

namespace uw {

/// What one relay accepts. Everything beyond is refused with a NIP-01 reason,
/// and the relay keeps serving everyone else. docs/PROTOCOL.md ("The project relay")
/// lists each limit with its option and what a client sees.
struct RelayLimits
{
    qsizetype maxMessageBytes = 64 * 1024;    ///< larger text frames get a NOTICE
    qsizetype hardMessageBytes = 1024 * 1024; ///< the largest --max-message-bytes may be

    /// Frames beyond this close the connection (1009); frames between maxMessageBytes and this
    /// get a NOTICE. It is also the most a connection's socket buffers before the relay handles
    /// what it holds: one client's pipelined frames are handled in slices of at most this many
    /// bytes, between which every other connection is served (and the kernel's TCP window, not
    /// the relay's memory, holds the rest: backpressure).
    qsizetype frameCeiling() const { return std::min(hardMessageBytes, 2 * maxMessageBytes); }
    int maxSubscriptionsPerConnection = 20;
    int maxFiltersPerSubscription = 10;
    /// Sustained EVENT rate per IP address (IPv6: per /64), shared by all its connections,
    /// so that opening more connections does not multiply it.
    double eventsPerSecond = 50;
    double eventBurst = 100;   ///< token bucket size
    double reqsPerSecond = 10; ///< REQ rate per IP address, shared like the events'
    double reqBurst = 20;
    int maxConnections = 4096;          ///< TCP connections in all, those still in their handshake included
    int maxConnectionsPerIp = 64;       ///< the same, per IP address (IPv6: per /64)
    int handshakeTimeoutMs = 10 * 1000; ///< a TCP connection without a WebSocket handshake by then is closed
    int idleTimeoutSeconds = 300;       ///< a connection that sent no frame for this long is closed
    int closeGraceMs = 2000; ///< a connection the relay closed is aborted if its closing handshake takes longer
    /// Output queued for one client and not yet taken by its TCP connection: a client that
    /// does not read must not make the relay buffer without bound.
    qint64 maxPendingOutputBytes = 8 * 1024 * 1024;
    // Cost of a REQ: each value is one more condition in the store's query.
    int maxIdsPerFilter = 500;    ///< values of "ids", and of "authors"
    int maxTagNamesPerFilter = 5; ///< "#x" conditions in one filter
    int maxValuesPerTag = 100;    ///< values of one "#x"
    int maxValuesPerReq = 1000;   ///< ids, authors, kinds and tag values of all the filters of a REQ
    int defaultQueryLimit = 500;
    std::int64_t retentionSeconds = 7 * 24 * 3600;
    std::int64_t maxFutureSeconds = 15 * 60; ///< created_at may run this far ahead of our clock
};

} // namespace uw
