#include "relay/server/RelayServer.h"

#include "net/PeerKey.h"
#include "relay/server/RelaySession.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QWebSocket>
#include <QWebSocketServer>
#include <chrono>

Q_LOGGING_CATEGORY(lcRelayServer, "userwallet.relay.server", QtInfoMsg)

namespace uw {

namespace {

/// Connections over a limit are told why (close code 1008) after their handshake; this many
/// per address and in all may be in that state, further ones are dropped at once, unanswered.
constexpr int kRefusalsPerPeer = 4;
constexpr int kRefusalsInAll = 256;

} // namespace

RelayServer::RelayServer(RelayStore store, RelayLimits limits, const Clock& clock, QObject* parent)
    : QObject(parent),
      m_server(new QWebSocketServer(QStringLiteral("userwallet-relay"), QWebSocketServer::NonSecureMode, this)),
      m_store(std::move(store)), m_queries(std::make_unique<RelayQueryWorker>(m_store.path())), m_limits(limits),
      m_clock(clock)
{
    m_server->setMaxPendingConnections(256);
    // A peer that connects and never finishes the handshake must not hold a socket for ever.
    m_server->setHandshakeTimeout(std::chrono::milliseconds(m_limits.handshakeTimeoutMs));
    connect(m_server, &QWebSocketServer::newConnection, this, &RelayServer::onNewConnection);
    connect(&m_tcp, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = m_tcp.nextPendingConnection())
            onTcpConnection(socket);
    });
    m_purgeTimer.setInterval(60 * 1000);
    connect(&m_purgeTimer, &QTimer::timeout, this, [this] {
        purgeOld();
        dropIdlePeers();
    });
}

RelayServer::~RelayServer()
{
    close();
    // The sockets still known die with m_tcp and m_server, after this object's members:
    // their signals must not reach it any more.
    for (auto it = m_tcpSockets.cbegin(); it != m_tcpSockets.cend(); ++it)
        it.key()->disconnect(this);
}

Result<void> RelayServer::listen(const QHostAddress& address, quint16 port)
{
    if (!m_tcp.listen(address, port))
        return makeError(
            QStringLiteral("listen"),
            QStringLiteral("Cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_tcp.errorString()));
    purgeOld();
    m_purgeTimer.start();
    return {};
}

int RelayServer::purgeOld()
{
    const int purged = m_store.purge(m_clock.nowSeconds(), m_limits.retentionSeconds);
    if (purged > 0)
        qCInfo(lcRelayServer) << "purged" << purged << "expired or old events";
    return purged;
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

QString RelayServer::peerKey(const QHostAddress& address)
{
    return net::peerKey(address);
}

RelayServer::Peer& RelayServer::peer(const QString& key)
{
    auto it = m_peers.find(key);
    if (it == m_peers.end()) {
        Peer p;
        const qint64 now = m_clock.monotonicMs();
        p.events = {m_limits.eventBurst, now};
        p.reqs = {m_limits.reqBurst, now};
        it = m_peers.insert(key, p);
    }
    return *it;
}

void RelayServer::refill(Bucket& bucket, double rate, double burst) const
{
    const qint64 now = m_clock.monotonicMs();
    bucket.tokens = std::min(burst, bucket.tokens + double(now - bucket.lastMs) / 1000.0 * rate);
    bucket.lastMs = now;
}

bool RelayServer::take(const QString& key, Bucket Peer::*which)
{
    const bool events = which == &Peer::events;
    Bucket& bucket = peer(key).*which;
    refill(bucket, events ? m_limits.eventsPerSecond : m_limits.reqsPerSecond,
           events ? m_limits.eventBurst : m_limits.reqBurst);
    if (bucket.tokens < 1.0)
        return false;
    bucket.tokens -= 1.0;
    return true;
}

void RelayServer::dropIdlePeers()
{
    for (auto it = m_peers.begin(); it != m_peers.end();) {
        Peer& p = it.value();
        if (p.connections == 0 && p.refusing == 0) {
            // Kept while a budget refills, so that reconnecting does not refill it at once.
            refill(p.events, m_limits.eventsPerSecond, m_limits.eventBurst);
            refill(p.reqs, m_limits.reqsPerSecond, m_limits.reqBurst);
            if (p.events.tokens >= m_limits.eventBurst && p.reqs.tokens >= m_limits.reqBurst) {
                it = m_peers.erase(it);
                continue;
            }
        }
        ++it;
    }
}

void RelayServer::onTcpConnection(QTcpSocket* socket)
{
    if (socket->state() != QAbstractSocket::ConnectedState) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    // Small frames one after another: without TCP_NODELAY, Nagle's algorithm and the peer's
    // delayed ACK add ~40 ms to a frame that follows another.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Without a bound, Qt reads all a pipelining client has sent (megabytes) and hands every frame
    // to the session in one go; the other connections then wait seconds, long enough for Qt's
    // 5 s partial-frame timer to close them ("Timeout when reading data from socket"), and their
    // pipelined events went unanswered. Bounded, each turn of the event loop handles at most one
    // frame ceiling per connection. 14 bytes: the largest WebSocket frame header.
    socket->setReadBufferSize(m_limits.frameCeiling() + 14);
    const QString key = peerKey(socket->peerAddress());
    Peer& p = peer(key);
    // Counted from the TCP connection on, handshake included: a peer holding slots with
    // handshakes it never finishes is refused like one holding open connections.
    QString refusal;
    if (m_admitted >= m_limits.maxConnections)
        refusal = QStringLiteral("blocked: too many connections (at most %1)").arg(m_limits.maxConnections);
    else if (p.connections >= m_limits.maxConnectionsPerIp)
        refusal = QStringLiteral("blocked: too many connections from your address (at most %1)")
                      .arg(m_limits.maxConnectionsPerIp);
    if (!refusal.isEmpty() && (p.refusing >= kRefusalsPerPeer || m_refusing >= kRefusalsInAll)) {
        qCInfo(lcRelayServer) << "dropped a connection from" << key << "at once:" << refusal;
        socket->abort();
        socket->deleteLater();
        return;
    }
    if (refusal.isEmpty()) {
        ++p.connections;
        ++m_admitted;
    } else {
        qCInfo(lcRelayServer) << "refusing a connection from" << key << refusal;
        ++p.refusing;
        ++m_refusing;
    }
    m_tcpSockets.insert(socket, Tcp{key, refusal, false});
    connect(socket, &QAbstractSocket::disconnected, this, [this, socket] { forgetTcp(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] { forgetTcp(socket); });
    route(socket);
    // A peer that connects and never finishes the handshake must not hold a socket for
    // ever: once the time is up, a socket that no session took over is aborted.
    QTimer::singleShot(m_limits.handshakeTimeoutMs, socket, [this, socket] {
        const auto it = m_tcpSockets.constFind(socket);
        if (it == m_tcpSockets.cend() || it->upgraded)
            return;
        qCInfo(lcRelayServer) << "handshake timeout from" << socket->peerAddress().toString();
        socket->abort();
    });
}

void RelayServer::route(QTcpSocket* socket)
{
    // The request headers are only peeked at: the WebSocket server reads them itself.
    // At most what the socket buffers (see onTcpConnection), and never more than 16 KiB.
    const qsizetype kMaxHeaders = std::min<qsizetype>(16 * 1024, socket->readBufferSize());
    const QByteArray head = socket->peek(kMaxHeaders);
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (head.size() >= kMaxHeaders) {
            socket->abort(); // headers that never end: not a client of ours
            return;
        }
        // Not all in yet: look again when more comes (the handshake timeout still runs).
        connect(socket, &QIODevice::readyRead, this, [this, socket, kMaxHeaders] {
            const QByteArray more = socket->peek(kMaxHeaders);
            if (more.contains("\r\n\r\n") || more.size() >= kMaxHeaders) {
                disconnect(socket, &QIODevice::readyRead, this, nullptr);
                route(socket);
            }
        });
        return;
    }
    const QByteArray headers = head.left(end).toLower();
    const bool upgrade = headers.contains("\r\nupgrade:") && headers.contains("websocket");
    const bool wantsInfo = headers.startsWith("get ") && !upgrade && headers.contains("application/nostr+json");
    if (!wantsInfo) {
        m_server->handleConnection(socket);
        return;
    }
    // NIP-11: the information document, with the CORS headers it asks for.
    const QByteArray body = QJsonDocument(information()).toJson(QJsonDocument::Compact);
    socket->setReadBufferSize(0);
    socket->readAll();
    socket->write("HTTP/1.1 200 OK\r\n"
                  "Content-Type: application/nostr+json\r\n"
                  "Access-Control-Allow-Origin: *\r\n"
                  "Access-Control-Allow-Headers: *\r\n"
                  "Access-Control-Allow-Methods: GET\r\n"
                  "Connection: close\r\n"
                  "Content-Length: " +
                  QByteArray::number(body.size()) + "\r\n\r\n" + body);
    socket->disconnectFromHost();
    if (auto it = m_tcpSockets.find(socket); it != m_tcpSockets.end())
        it->upgraded = true; // answered: not a handshake left unfinished
}

QJsonObject RelayServer::information() const
{
    const RelayLimits& l = m_limits;
    return QJsonObject{
        {QStringLiteral("name"), QStringLiteral("userwallet-relay")},
        {QStringLiteral("description"),
         QStringLiteral("UserWallet's NIP-01 relay: every event verified and committed to SQLite before OK.")},
        {QStringLiteral("software"), QStringLiteral("userwallet-relay")},
        {QStringLiteral("version"), m_version},
        {QStringLiteral("supported_nips"), QJsonArray{1, 11, 40}},
        {QStringLiteral("limitation"),
         QJsonObject{{QStringLiteral("max_message_length"), qint64(l.maxMessageBytes)},
                     {QStringLiteral("max_subscriptions"), l.maxSubscriptionsPerConnection},
                     {QStringLiteral("max_filters"), l.maxFiltersPerSubscription},
                     {QStringLiteral("max_limit"), l.defaultQueryLimit},
                     {QStringLiteral("default_limit"), l.defaultQueryLimit},
                     {QStringLiteral("max_subid_length"), 64},
                     {QStringLiteral("created_at_upper_limit"), qint64(l.maxFutureSeconds)},
                     {QStringLiteral("auth_required"), false},
                     {QStringLiteral("payment_required"), false},
                     {QStringLiteral("restricted_writes"), false}}},
        {QStringLiteral("retention"), QJsonArray{QJsonObject{{QStringLiteral("time"), qint64(l.retentionSeconds)}}}},
    };
}

void RelayServer::forgetTcp(QTcpSocket* socket)
{
    const auto it = m_tcpSockets.constFind(socket);
    if (it == m_tcpSockets.cend())
        return;
    const Tcp tcp = *it;
    m_tcpSockets.erase(it);
    Peer& p = peer(tcp.peer);
    if (tcp.refusal.isEmpty()) {
        --p.connections;
        --m_admitted;
    } else {
        --p.refusing;
        --m_refusing;
    }
    if (p.connections == 0 && p.refusing == 0) {
        // The address's last connection left: its entry goes once its budgets are full again
        // (here, or at the next sweep), so that reconnecting does not refill them at once.
        refill(p.events, m_limits.eventsPerSecond, m_limits.eventBurst);
        refill(p.reqs, m_limits.reqsPerSecond, m_limits.reqBurst);
        if (p.events.tokens >= m_limits.eventBurst && p.reqs.tokens >= m_limits.reqBurst)
            m_peers.remove(tcp.peer);
    }
}

void RelayServer::onNewConnection()
{
    while (QWebSocket* socket = m_server->nextPendingConnection()) {
        // The TCP connection this WebSocket came from, as counted when it was accepted.
        QTcpSocket* tcp = nullptr;
        for (auto it = m_tcpSockets.begin(); it != m_tcpSockets.end(); ++it) {
            if (!it->upgraded && it.key()->peerPort() == socket->peerPort() &&
                it.key()->peerAddress() == socket->peerAddress()) {
                tcp = it.key();
                it->upgraded = true;
                break;
            }
        }
        if (!tcp) { // gone between its handshake and now
            socket->abort();
            socket->deleteLater();
            continue;
        }
        const Tcp info = m_tcpSockets.value(tcp); // a copy: closing may forget the entry
        if (!info.refusal.isEmpty()) {
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, info.refusal);
            QTimer::singleShot(m_limits.closeGraceMs, socket, [socket] { socket->abort(); });
            continue;
        }
        socket->setMaxAllowedIncomingMessageSize(quint64(m_limits.frameCeiling()));
        socket->setMaxAllowedIncomingFrameSize(quint64(m_limits.frameCeiling()));
        auto* session = new RelaySession(socket, info.peer, this);
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
