#pragma once

#include "relay/server/RelayLimits.h"
#include "relay/server/RelayStore.h"
#include "util/Clock.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>
#include <QTimer>
#include <memory>

class QWebSocketServer;
class QWebSocket;

namespace uw {

class RelaySession;

/// The project's relay daemon: the NIP-01 subset over WebSocket,
/// events verified and committed to SQLite before OK, limits enforced per
/// connection. Single-threaded: one event loop serves every connection.
class RelayServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayServer)
public:
    RelayServer(RelayStore store, RelayLimits limits, const Clock& clock, QObject* parent = nullptr);
    ~RelayServer() override;

    Result<void> listen(const QHostAddress& address, quint16 port);
    /// ws://host:port of the listening socket.
    QString url() const;
    int connectionCount() const { return int(m_sessions.size()); }
    void close();

    // Used by RelaySession.
    const RelayLimits& limits() const { return m_limits; }
    const Clock& clock() const { return m_clock; }
    RelayStore& store() { return m_store; }
    /// Delivers a freshly stored event to every matching live subscription.
    void broadcast(const NostrEvent& event, const QByteArray& json);

Q_SIGNALS:
    void eventStored(const QString& id, int kind);

private:
    void onNewConnection();
    QTcpServer m_tcp; ///< accepts, sets TCP_NODELAY, then hands the socket to m_server
    QWebSocketServer* m_server;
    RelayStore m_store;
    RelayLimits m_limits;
    const Clock& m_clock;
    QList<RelaySession*> m_sessions;
    QTimer m_purgeTimer{this}; // parented: follows its owner to another thread
};

} // namespace uw
