#pragma once

#include "net/HttpLimits.h"
#include "net/HttpMessage.h"
#include "util/Result.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTcpServer>
#include <functional>
#include <optional>

namespace uw::net {

class HttpConnection;

/// A small, strict HTTP/1.1 server on QTcpServer, for the project's daemons. Written here rather
/// than taken from Qt HttpServer because Qt 6.4's (a technical preview) buffers a whole request
/// before the application sees it, with no cap on its size, no time limit on a slow header, no
/// cap on connections and no way to refuse a body on its Content-Length (docs/ARCHITECTURE.md,
/// "The HTTP server").
///
/// What it guarantees its handler and the other clients: requests are parsed strictly
/// (HttpRequestParser) within HttpLimits; a body is refused on its Content-Length before it is
/// read; a slow header or body is cut (408); connections are capped in all and per address
/// (503); keep-alive connections are closed when idle; pipelined requests are answered in the
/// order they came, at most HttpLimits::maxPipelined of them in the handler at once (the rest
/// wait in TCP); a client that does not read its responses is closed once
/// HttpLimits::maxOutputBytes wait for it. Single-threaded: everything runs on the thread of the
/// event loop that owns the server.
class HttpServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)
public:
    /// Answers a request. May be called later (the work is asynchronous), at most once; calling
    /// it after the client went away does nothing.
    using Respond = std::function<void(HttpResponse)>;
    using Handler = std::function<void(const HttpRequest& request, Respond respond)>;
    /// Looks at a request's head before its body is read: a response refuses it at once (a body
    /// is then never read and the connection closes after the refusal), nullopt lets it go on.
    using HeadCheck = std::function<std::optional<HttpResponse>(const HttpRequest& head)>;

    explicit HttpServer(HttpLimits limits, QObject* parent = nullptr);
    ~HttpServer() override;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    void setHeadCheck(HeadCheck check) { m_headCheck = std::move(check); }

    Result<void> listen(const QHostAddress& address, quint16 port);
    /// http://host:port of the listening socket.
    QString url() const;
    quint16 port() const { return m_tcp.serverPort(); }
    int connectionCount() const { return int(m_connections.size()); }
    const HttpLimits& limits() const { return m_limits; }

    /// Stops accepting, closes the connections with nothing in flight, lets the requests in
    /// flight be answered (with Connection: close), then emits drained().
    void drain();
    bool isDraining() const { return m_draining; }

Q_SIGNALS:
    /// After drain(), once the last connection is gone.
    void drained();

private:
    friend class HttpConnection;
    void onNewConnection();
    void refuse(QTcpSocket* socket, const QString& message);
    void forget(HttpConnection* connection);
    void handle(const HttpRequest& request, Respond respond);
    std::optional<HttpResponse> checkHead(const HttpRequest& head);

    HttpLimits m_limits;
    QTcpServer m_tcp;
    Handler m_handler;
    HeadCheck m_headCheck;
    QSet<HttpConnection*> m_connections;
    QHash<QString, int> m_perPeer;
    bool m_draining = false;
};

} // namespace uw::net
