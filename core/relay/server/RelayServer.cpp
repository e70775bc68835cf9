#include "relay/server/RelayServer.h"

#include "relay/server/RelaySession.h"

#include <QLoggingCategory>
#include <QWebSocket>
#include <QWebSocketServer>
#include <chrono>

Q_LOGGING_CATEGORY(lcRelayServer, "userwallet.relay.server", QtInfoMsg)

namespace uw {

RelayServer::RelayServer(RelayStore store, RelayLimits limits, const Clock& clock, QObject* parent)
    : QObject(parent),
      m_server(new QWebSocketServer(QStringLiteral("userwallet-relay"), QWebSocketServer::NonSecureMode, this)),
      m_store(std::move(store)), m_limits(limits), m_clock(clock)
{
    m_server->setMaxPendingConnections(256);
    // A peer that connects and never finishes the handshake must not hold a socket for ever.
    m_server->setHandshakeTimeout(std::chrono::milliseconds(m_limits.handshakeTimeoutMs));
    connect(m_server, &QWebSocketServer::newConnection, this, &RelayServer::onNewConnection);
    // Small frames one after another: without TCP_NODELAY, Nagle's algorithm and the peer's
    // delayed ACK add ~40 ms to a frame that follows another.
    connect(&m_tcp, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_tcp.nextPendingConnection()) {
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            m_server->handleConnection(socket);
            // A peer that connects and never finishes the handshake must not hold a socket for
            // ever: once the time is up, a socket that no session took over is aborted.
            QTimer::singleShot(m_limits.handshakeTimeoutMs, socket, [this, socket] {
                const quint16 port = socket->peerPort();
                const QHostAddress address = socket->peerAddress();
                for (RelaySession* s : std::as_const(m_sessions))
                    if (s->socket()->peerPort() == port && s->socket()->peerAddress() == address)
                        return;
                qCInfo(lcRelayServer) << "handshake timeout from" << address.toString();
                socket->abort();
            });
        }
    });
    m_purgeTimer.setInterval(60 * 1000);
    connect(&m_purgeTimer, &QTimer::timeout, this, [this] {
        const int purged = m_store.purge(m_clock.nowSeconds(), m_limits.retentionSeconds);
        if (purged > 0)
            qCInfo(lcRelayServer) << "purged" << purged << "expired or old events";
    });
}

RelayServer::~RelayServer()
{
    close();
}

Result<void> RelayServer::listen(const QHostAddress& address, quint16 port)
{
    if (!m_tcp.listen(address, port))
        return makeError(
            QStringLiteral("listen"),
            QStringLiteral("Cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_tcp.errorString()));
    // The count is logged by the timer's purge; at start-up a count of zero is the usual case.
    if (const int purged = m_store.purge(m_clock.nowSeconds(), m_limits.retentionSeconds); purged > 0)
        qCInfo(lcRelayServer) << "purged" << purged << "expired or old events at start-up";
    m_purgeTimer.start();
    return {};
}

QString RelayServer::url() const
{
    const QHostAddress a = m_tcp.serverAddress();
    const QString host =
        a.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(a.toString()) : a.toString();
    return QStringLiteral("ws://%1:%2").arg(host).arg(m_tcp.serverPort());
}

void RelayServer::close()
{
    m_purgeTimer.stop();
    m_tcp.close();
    m_server->close();
    const QList<RelaySession*> sessions = m_sessions;
    m_sessions.clear();
    for (RelaySession* s : sessions) {
        s->socket()->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("relay shutting down"));
        delete s;
    }
}

void RelayServer::onNewConnection()
{
    while (QWebSocket* socket = m_server->nextPendingConnection()) {
        if (m_sessions.size() >= m_limits.maxConnections) {
            socket->close(QWebSocketProtocol::CloseCodeBadOperation, QStringLiteral("blocked: too many connections"));
            socket->deleteLater();
            continue;
        }
        socket->setMaxAllowedIncomingMessageSize(quint64(m_limits.hardMessageBytes));
        socket->setMaxAllowedIncomingFrameSize(quint64(m_limits.hardMessageBytes));
        auto* session = new RelaySession(socket, this);
        m_sessions.append(session);
        connect(session, &RelaySession::closed, this, [this](RelaySession* s) {
            m_sessions.removeOne(s);
            s->deleteLater();
        });
    }
}

void RelayServer::broadcast(const NostrEvent& event, const QByteArray& json)
{
    Q_EMIT eventStored(event.id, event.kind);
    for (RelaySession* s : std::as_const(m_sessions))
        s->deliver(event, json);
}

} // namespace uw
