#pragma once

#include <QHostAddress>
#include <QString>

namespace uw::net {

/// The key under which a client's limits are counted: its IPv4 address (also when it comes as an
/// IPv4-mapped IPv6 address), or the /64 prefix of its IPv6 address, which one host usually holds
/// in full. Shared by the relay and the HTTP server, so that both count a client alike.
QString peerKey(const QHostAddress& address);

} // namespace uw::net
