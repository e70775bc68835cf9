#include "net/HttpConnection.h"

#include "net/HttpServer.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <sys/socket.h>

namespace uw::net {

Q_LOGGING_CATEGORY(lcHttp, "userwallet.http")

namespace {
/// Bytes read from the socket at a time.
constexpr qsizetype kReadChunk = 64 * 1024;
/// A connection being closed gets this long to take its last answer before it is aborted.
constexpr int kCloseGraceMs = 2000;
/// What a closing connection may still send us (the rest of a refused body) before it is aborted.
constexpr qint64 kLingerBytes = 4 * 1024 * 1024;
} // namespace

HttpConnection::HttpConnection(HttpServer* server, QTcpSocket* socket, QString peer)
    : QObject(server), m_server(server), m_socket(socket), m_peer(std::move(peer)), m_parser(server->limits())
{
    m_socket->setParent(this);
    // Qt reads from the kernel only this far ahead of us: a client that sends faster than it is
    // served is held back by TCP, not by our memory.
    m_socket->setReadBufferSize(kReadChunk);
    m_timer.setSingleShot(true);
    // The header deadline runs from the accept: a client that connects and says nothing is cut too.
    m_headerDeadline = QDeadlineTimer(m_server->limits().headerTimeoutMs);
    m_seenRequestByte = true;
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        if (m_closing)
            return linger();
        pump();
    });
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_closing)
            return linger();
        arm();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_closing = true;
        m_timer.stop();
        m_server->forget(this);
        deleteLater();
    });
    arm();
    if (m_socket->bytesAvailable() > 0)
        pump();
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::drain()
{
    m_draining = true;
    m_stopReading = true;
    if (m_pending.empty())
        closeGracefully();
}

void HttpConnection::pump()
{
    // An answer given synchronously by the handler comes back here through respond(): the loop
    // below goes on with the next request instead of recursing once per pipelined request.
    if (m_inPump)
        return;
    m_inPump = true;
    struct Reset
    {
        bool& flag;
        ~Reset() { flag = false; }
    } reset{m_inPump};
    const HttpLimits& limits = m_server->limits();
    while (!m_closing && !m_stopReading && int(m_pending.size()) < limits.maxPipelined) {
        const qsizetype want = m_parser.wanted();
        qsizetype got = 0;
        if (want > 0 && m_socket->bytesAvailable() > 0) {
            const QByteArray bytes = m_socket->read(std::min(want, kReadChunk));
            got = bytes.size();
            m_parser.feed(bytes);
        }
        if (!m_seenRequestByte && m_parser.inRequest())
            startRequestClock(); // the first byte of a new request
        switch (m_parser.next()) {
        case HttpRequestParser::Step::NeedMore:
            if (got > 0)
                continue;
            arm();
            return;
        case HttpRequestParser::Step::Error: {
            const auto& e = m_parser.error();
            qCDebug(lcHttp) << "refused from" << m_peer << e.status << e.message;
            refuseAndClose(HttpResponse::error(e.status, e.code, e.message));
            return;
        }
        case HttpRequestParser::Step::Head: {
            const HttpRequest& head = m_parser.head();
            m_bodyDeadline = QDeadlineTimer(limits.bodyTimeoutMs);
            std::optional<HttpResponse> refusal = m_server->checkHead(head);
            if (!refusal) {
                const QByteArray expect = head.header("expect");
                if (!expect.isNull() && expect.toLower() != "100-continue")
                    refusal = HttpResponse::error(417, QStringLiteral("expectation_failed"),
                                                  QStringLiteral("Only \"Expect: 100-continue\" is understood."));
                else if (!expect.isNull() && head.contentLength > 0 && m_pending.empty())
                    m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            }
            if (refusal) {
                if (head.contentLength > 0 || refusal->close) {
                    // Its body is never read: the connection cannot be used again.
                    refuseAndClose(std::move(*refusal));
                    return;
                }
                // No body to skip: the refusal is this request's answer, the connection stays.
                if (m_parser.next() != HttpRequestParser::Step::Request)
                    return refuseAndClose(std::move(*refusal));
                const HttpRequest r = m_parser.takeRequest();
                m_seenRequestByte = false;
                if (m_parser.inRequest())
                    startRequestClock(); // the next one is already coming (pipelining)
                m_pending.push_back({m_nextSeq++, r.keepAlive, std::move(refusal)});
                m_stopReading = m_stopReading || !r.keepAlive;
                flush();
                continue;
            }
            continue;
        }
        case HttpRequestParser::Step::Request: {
            HttpRequest r = m_parser.takeRequest();
            m_seenRequestByte = false;
            if (m_parser.inRequest())
                startRequestClock();
            r.peer = m_socket->peerAddress();
            const quint64 seq = m_nextSeq++;
            m_pending.push_back({seq, r.keepAlive, std::nullopt});
            m_stopReading = m_stopReading || !r.keepAlive;
            QPointer<HttpConnection> self(this);
            m_server->handle(r, [self, seq](HttpResponse response) {
                if (self)
                    self->respond(seq, std::move(response));
            });
            if (!self)
                return;
            continue;
        }
        }
    }
    arm();
}

void HttpConnection::respond(quint64 seq, HttpResponse response)
{
    if (m_closing)
        return;
    for (Pending& p : m_pending) {
        if (p.seq == seq && !p.response) {
            p.response = std::move(response);
            break;
        }
    }
    flush();
    if (!m_closing)
        pump(); // room for the requests waiting in TCP (does nothing when called from pump itself)
}

void HttpConnection::startRequestClock()
{
    // A request's header must be complete within the header timeout of its first byte.
    m_seenRequestByte = true;
    m_headerDeadline = QDeadlineTimer(m_server->limits().headerTimeoutMs);
}

void HttpConnection::refuseAndClose(HttpResponse response)
{
    m_stopReading = true;
    response.close = true;
    m_pending.push_back({m_nextSeq++, false, std::move(response)});
    flush();
}

void HttpConnection::flush()
{
    while (!m_closing && !m_pending.empty() && m_pending.front().response) {
        // What the kernel would not take of the earlier answers still waits here: past the cap,
        // the client is not reading them, and the next answer would only add to our memory.
        if (m_socket->bytesToWrite() > m_server->limits().maxOutputBytes) {
            qCDebug(lcHttp) << "closing" << m_peer << "which does not read its answers";
            m_closing = true;
            m_timer.stop();
            m_socket->abort();
            return;
        }
        Pending p = std::move(m_pending.front());
        m_pending.pop_front();
        // The last answer of a connection that stops says so (RFC 9112 §9.6).
        const bool last = !p.keepAlive || p.response->close || (m_stopReading && m_pending.empty());
        m_socket->write(p.response->serialize(!last));
        m_socket->flush(); // to the kernel now, as far as it takes it: bytesToWrite() is then what it refused
        if (last) {
            closeGracefully();
            return;
        }
    }
    if (!m_closing && m_draining && m_pending.empty())
        closeGracefully();
    else if (!m_closing)
        arm();
}

void HttpConnection::closeGracefully()
{
    if (m_closing)
        return;
    m_closing = true;
    m_timer.start(kCloseGraceMs); // then abort, whatever the client does
    linger();
}

void HttpConnection::linger()
{
    // A lingering close (RFC 9112 §9.6): closing at once while the client still sends (the body
    // of a refused request) would make the kernel answer with a reset, which destroys our answer
    // in the client's buffers before it reads it. So: finish writing, close our side only, and
    // read and drop what still comes until the client closes too (or the grace is over).
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_lingerBytes += m_socket->skip(m_socket->bytesAvailable());
    if (m_lingerBytes > kLingerBytes) {
        m_socket->abort();
        return;
    }
    if (m_socket->bytesToWrite() > 0 || m_shutDown)
        return;
    m_shutDown = true;
    if (::shutdown(int(m_socket->socketDescriptor()), SHUT_WR) != 0)
        m_socket->disconnectFromHost();
}

void HttpConnection::arm()
{
    if (m_closing)
        return;
    const HttpLimits& limits = m_server->limits();
    if (!m_pending.empty()) {
        // The handler has the next move; only a client that stops reading is timed.
        if (m_socket->bytesToWrite() > 0)
            m_timer.start(limits.idleTimeoutMs);
        else
            m_timer.stop();
        return;
    }
    if (m_parser.inBody())
        m_timer.start(std::max<qint64>(0, m_bodyDeadline.remainingTime()));
    else if (m_seenRequestByte)
        m_timer.start(std::max<qint64>(0, m_headerDeadline.remainingTime()));
    else
        m_timer.start(limits.idleTimeoutMs);
}

void HttpConnection::onTimeout()
{
    if (m_closing) {
        m_socket->abort(); // the grace after disconnectFromHost() is over
        return;
    }
    if (!m_pending.empty()) {
        qCDebug(lcHttp) << "closing" << m_peer << "which stopped reading";
        m_closing = true;
        m_socket->abort();
        return;
    }
    if (m_parser.inBody()) {
        refuseAndClose(HttpResponse::error(
            408, QStringLiteral("body_timeout"),
            QStringLiteral("The body did not arrive within %1 ms.").arg(m_server->limits().bodyTimeoutMs)));
    } else if (m_parser.inRequest()) {
        refuseAndClose(HttpResponse::error(
            408, QStringLiteral("header_timeout"),
            QStringLiteral("The request header did not arrive within %1 ms.").arg(m_server->limits().headerTimeoutMs)));
    } else {
        closeGracefully(); // idle, or connected without a word: nothing to answer
    }
}

} // namespace uw::net
