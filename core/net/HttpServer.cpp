#include "net/HttpServer.h"

#include "net/HttpConnection.h"
#include "net/PeerKey.h"

#include <QTcpSocket>
#include <QTimer>

namespace uw::net {

HttpServer::HttpServer(HttpLimits limits, QObject* parent) : QObject(parent), m_limits(limits), m_tcp(this)
{
    connect(&m_tcp, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer()
{
    // The connections are children: they go with this object, without calling back.
    for (HttpConnection* c : std::as_const(m_connections))
        c->disconnect(this);
}

Result<void> HttpServer::listen(const QHostAddress& address, quint16 port)
{
    if (!m_tcp.listen(address, port))
        return makeError(
            QStringLiteral("listen"),
            QStringLiteral("Cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(m_tcp.errorString()));
    return {};
}

QString HttpServer::url() const
{
    const QHostAddress a = m_tcp.serverAddress();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + a.toString() + QLatin1Char(']')
                             : a.toString();
    return QStringLiteral("http://%1:%2").arg(host).arg(m_tcp.serverPort());
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket* socket = m_tcp.nextPendingConnection()) {
        const QString key = peerKey(socket->peerAddress());
        if (m_draining) {
            refuse(socket, QStringLiteral("The server is shutting down."));
            continue;
        }
        if (int(m_connections.size()) >= m_limits.maxConnections) {
            refuse(socket, QStringLiteral("The server has %1 connections, its maximum.").arg(m_limits.maxConnections));
            continue;
        }
        int& fromPeer = m_perPeer[key];
        if (fromPeer >= m_limits.maxConnectionsPerIp) {
            refuse(socket,
                   QStringLiteral("%1 already has %2 connections, the maximum per address.").arg(key).arg(fromPeer));
            continue;
        }
        ++fromPeer;
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_connections.insert(new HttpConnection(this, socket, key));
    }
}

void HttpServer::refuse(QTcpSocket* socket, const QString& message)
{
    // Told why, then closed: the refused connection holds no slot.
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    auto response = HttpResponse::error(503, QStringLiteral("too_many_connections"), message);
    response.addHeader("Retry-After", "1");
    socket->write(response.serialize(false));
    socket->disconnectFromHost();
    if (socket->state() != QAbstractSocket::UnconnectedState)
        QTimer::singleShot(2000, socket, [socket] { socket->abort(); });
}

void HttpServer::forget(HttpConnection* connection)
{
    if (!m_connections.remove(connection))
        return;
    auto it = m_perPeer.find(connection->peer());
    if (it != m_perPeer.end() && --*it <= 0)
        m_perPeer.erase(it);
    if (m_draining && m_connections.isEmpty())
        Q_EMIT drained();
}

void HttpServer::drain()
{
    if (m_draining)
        return;
    m_draining = true;
    m_tcp.close();
    if (m_connections.isEmpty()) {
        QTimer::singleShot(0, this, [this] { Q_EMIT drained(); });
        return;
    }
    const auto connections = m_connections; // drain() may close (and forget) at once: forget() emits drained()
    for (HttpConnection* c : connections)
        c->drain();
}

void HttpServer::handle(const HttpRequest& request, Respond respond)
{
    if (m_handler)
        m_handler(request, std::move(respond));
    else
        respond(HttpResponse::error(404, QStringLiteral("not_found"), QStringLiteral("No such resource.")));
}

std::optional<HttpResponse> HttpServer::checkHead(const HttpRequest& head)
{
    if (m_draining)
        return HttpResponse::error(503, QStringLiteral("shutting_down"),
                                   QStringLiteral("The server is shutting down."));
    return m_headCheck ? m_headCheck(head) : std::nullopt;
}

} // namespace uw::net
