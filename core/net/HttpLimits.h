#pragma once

#include <QtGlobal>

namespace uw::net {

/// What one HTTP server accepts from its clients. Every limit ends in a refusal the client can
/// read (a status and a JSON reason) or, for a client that does not read, a closed connection;
/// none lets one client hold memory or a slot that others need.
struct HttpLimits
{
    /// Request line and header fields together, up to the empty line; beyond: 431 and close.
    qsizetype maxHeaderBytes = 16 * 1024;
    /// Header fields in one request; beyond: 431 and close.
    int maxHeaderFields = 100;
    /// A body's Content-Length above this is refused with 413 before a byte of it is read.
    qsizetype maxBodyBytes = 1024 * 1024;
    /// From a connection's first byte of a request (or from its accept) to the end of the header
    /// fields; a client that trickles its header (slowloris) gets 408 and is closed.
    int headerTimeoutMs = 10'000;
    /// From the end of the header fields to the last byte of the body.
    int bodyTimeoutMs = 30'000;
    /// A kept-alive connection with nothing in flight is closed after this long without a byte.
    int idleTimeoutMs = 60'000;
    /// Connections in all; the next is answered 503 and closed.
    int maxConnections = 1024;
    /// Connections per IP address (IPv6: per /64); the next is answered 503 and closed.
    int maxConnectionsPerIp = 64;
    /// Answers waiting for one client beyond what the kernel took; when the next answer finds more
    /// than this waiting, the client is not reading and is closed. A client that takes nothing
    /// for idleTimeoutMs while an answer waits is closed too.
    qsizetype maxOutputBytes = 8 * 1024 * 1024;
    /// Requests of one connection being handled at once (pipelining); the rest wait in TCP.
    int maxPipelined = 16;
};

} // namespace uw::net
