#pragma once

#include "relay/server/RelayLimits.h"
#include "relay/server/RelayQueryWorker.h"
#include "relay/server/RelayStore.h"
#include "util/Clock.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QTcpServer>
#include <QTimer>
#include <memory>

class QWebSocketServer;
class QWebSocket;
class QTcpSocket;

namespace uw {

class RelaySession;

/// The project's relay daemon: the NIP-01 subset over WebSocket,
/// events verified and committed to SQLite before OK, limits enforced per
/// connection and per IP address. Single-threaded: one event loop serves every connection.
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
    /// Where REQs' stored events are queried, off the event loop.
    RelayQueryWorker& queries() { return *m_queries; }
    /// Delivers a freshly stored event to every matching live subscription.
    void broadcast(const NostrEvent& event, const QByteArray& json);
    /// Takes one token of the EVENT (or REQ) budget of an address; false when it is spent.
    /// The budgets are per address, not per connection: more connections do not buy more.
    bool takeEventToken(const QString& peer) { return take(peer, &Peer::events); }
    bool takeReqToken(const QString& peer) { return take(peer, &Peer::reqs); }

    /// The key under which a client's limits are counted (net::peerKey: its IPv4 address, or
    /// the /64 prefix of its IPv6 address), the same as the HTTP server's.
    static QString peerKey(const QHostAddress& address);

    /// Deletes the events past their NIP-40 expiration or received longer than the retention ago
    /// (RelayLimits::retentionSeconds), by the server's clock; returns how many. Run at start-up and
    /// every minute.
    int purgeOld();

    /// The NIP-11 relay information document: what the relay is and its limits.
    QJsonObject information() const;
    /// The software version the information document names (the daemon sets its own).
    void setSoftwareVersion(const QString& version) { m_version = version; }

Q_SIGNALS:
    void eventStored(const QString& id, int kind);

private:
    /// Hands a new TCP connection to the WebSocket server, or answers a NIP-11 request on it,
    /// once its request headers are in.
    void route(QTcpSocket* socket);
    /// A token bucket, refilled from the clock's monotonic time.
    struct Bucket
    {
        double tokens = 0;
        qint64 lastMs = 0;
    };
    /// What is counted per address.
    struct Peer
    {
        int connections = 0; ///< admitted TCP connections, in handshake or open
        int refusing = 0;    ///< connections over a limit, being told so (1008) before they are closed
        Bucket events;
        Bucket reqs;
    };
    /// One accepted TCP connection, from accept to disconnection.
    struct Tcp
    {
        QString peer;
        QString refusal; ///< empty when admitted; else the close reason it gets after its handshake
        bool upgraded = false;
    };
    void onTcpConnection(QTcpSocket* socket);
    void onNewConnection();
    void forgetTcp(QTcpSocket* socket);
    Peer& peer(const QString& key);
    void refill(Bucket& bucket, double rate, double burst) const;
    bool take(const QString& key, Bucket Peer::*which);
    /// Drops the entries of addresses without connections whose budgets are full again.
    void dropIdlePeers();

    QTcpServer m_tcp; ///< accepts, sets TCP_NODELAY, then hands the socket to m_server
    QWebSocketServer* m_server;
    RelayStore m_store;
    std::unique_ptr<RelayQueryWorker> m_queries;
    RelayLimits m_limits;
    const Clock& m_clock;
    QList<RelaySession*> m_sessions;
    QHash<QTcpSocket*, Tcp> m_tcpSockets;
    QString m_version = QStringLiteral("dev");
    QHash<QString, Peer> m_peers;
    int m_admitted = 0;        ///< admitted TCP connections in all
    int m_refusing = 0;        ///< refused connections still being told so
    QTimer m_purgeTimer{this}; // parented: follows its owner to another thread
};

} // namespace uw
