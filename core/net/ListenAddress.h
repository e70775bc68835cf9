#pragma once

#include "util/Result.h"

#include <QHostAddress>

namespace uw::net {

/// Where a daemon listens, from its --listen option.
struct ListenAddress
{
    QHostAddress address;
    quint16 port = 0; ///< 0: the system picks a free port
};

/// "127.0.0.1:7447", "[::1]:0", "localhost:8080" (127.0.0.1): a numeric address (or localhost) and
/// a port from 0 to 65535; anything else is an error that quotes the text.
Result<ListenAddress> parseListenAddress(const QString& text);

} // namespace uw::net
