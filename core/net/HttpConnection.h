#pragma once

#include "net/HttpMessage.h"
#include "net/HttpRequestParser.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>
#include <deque>
#include <optional>

class QTcpSocket;

namespace uw::net {

class HttpServer;

/// One client connection of HttpServer (internal to it): reads requests with an
/// HttpRequestParser, no more than it may hold, hands each to the server's handler, and writes
/// the answers back in the order of the requests. Deletes itself (deleteLater) once its socket
/// is closed.
class HttpConnection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)
public:
    HttpConnection(HttpServer* server, QTcpSocket* socket, QString peer);
    ~HttpConnection() override;

    const QString& peer() const { return m_peer; }
    /// Stop reading; answer what is in flight, then close.
    void drain();

private:
    struct Pending
    {
        quint64 seq = 0;
        bool keepAlive = true;
        std::optional<HttpResponse> response;
    };
    /// Reads and parses as long as the limits allow.
    void pump();
    /// Answers a request that went to the handler (any time later).
    void respond(quint64 seq, HttpResponse response);
    /// Queues the last answer of this connection (a refusal): nothing is read after it.
    void refuseAndClose(HttpResponse response);
    /// Writes the answers that are ready, in order.
    void flush();
    /// Closes once what was written is sent (aborts if the client does not take it in time).
    void closeGracefully();
    /// While closing: drops what the client still sends, and closes our side once all is written.
    void linger();
    /// Sets the one timer to the deadline that applies now.
    void arm();
    void onTimeout();
    void startRequestClock();

    HttpServer* m_server;
    QTcpSocket* m_socket;
    QString m_peer;
    HttpRequestParser m_parser;
    std::deque<Pending> m_pending;
    quint64 m_nextSeq = 1;
    bool m_stopReading = false; ///< a refusal, Connection: close or drain: no further request
    bool m_closing = false;
    bool m_draining = false;
    bool m_inPump = false;
    bool m_shutDown = false; ///< our side of the connection is closed (SHUT_WR)
    qint64 m_lingerBytes = 0;
    bool m_seenRequestByte = false; ///< the current request has begun (its header deadline runs)
    QDeadlineTimer m_headerDeadline;
    QDeadlineTimer m_bodyDeadline;
    QTimer m_timer;
};

} // namespace uw::net
