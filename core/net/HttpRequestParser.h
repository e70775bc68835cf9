#pragma once

#include "net/HttpLimits.h"
#include "net/HttpMessage.h"

#include <QString>

namespace uw::net {

/// Reads HTTP/1.1 requests from a byte stream, strictly (RFC 9112) and within HttpLimits, without
/// a socket: the connection feeds it what it reads, and asks wanted() how much more it may take,
/// so that memory stays bounded (the head by maxHeaderBytes, the body by its announced length,
/// which was checked against maxBodyBytes before any of it was read).
///
/// Refused (as a status and a reason the server sends before closing): a request line other than
/// METHOD SP origin-form SP HTTP/1.x, lines not ending in CRLF, a bare CR or LF, a header name
/// with blanks or bytes outside a token, a value with control bytes, folded lines (obs-fold),
/// no Host in HTTP/1.1 or two of them, Content-Length not digits or given twice,
/// Transfer-Encoding (bodies must say their length), a head above maxHeaderBytes or with more
/// than maxHeaderFields fields (431), a body above maxBodyBytes (413), HTTP/2 or 0.9 (505).
class HttpRequestParser
{
public:
    explicit HttpRequestParser(const HttpLimits& limits) : m_limits(limits) {}

    enum class Step
    {
        NeedMore, ///< feed more bytes (wanted() says how many it takes)
        Head,     ///< the head is parsed (head()); next() again goes on to the body
        Request,  ///< a whole request; takeRequest(), then next() parses the one after it
        Error,    ///< error(): answer it and close; the parser takes nothing more
    };
    struct Failure
    {
        int status = 400;
        QString code;
        QString message;
    };

    /// Bytes the parser takes now without passing a limit (0: parse first, or an error). After
    /// Head it is what the body still lacks, so that the caller reads it before calling next().
    qsizetype wanted() const;
    /// Appends bytes read from the connection (at most wanted() of them).
    void feed(QByteArrayView bytes);
    /// Parses what it holds and says what it found.
    Step next();

    const HttpRequest& head() const { return m_request; }
    HttpRequest takeRequest();
    const Failure& error() const { return m_error; }
    /// Whether bytes of a next request (or of this one) are buffered.
    bool hasBufferedBytes() const { return !m_buffer.isEmpty(); }
    /// Whether the parser is inside a request (some of its bytes arrived, it is not complete).
    bool inRequest() const { return m_state != State::Head || !m_buffer.isEmpty(); }
    /// Whether the head is in and the body is still coming.
    bool inBody() const { return m_state == State::HeadDone || m_state == State::Body; }

private:
    enum class State
    {
        Head,
        HeadDone, ///< Head returned; the body starts on the next call
        Body,
        Done, ///< Request returned; waits for takeRequest()
        Failed,
    };
    Step fail(int status, const char* code, QString message);
    Step parseHead(qsizetype end);

    const HttpLimits& m_limits;
    State m_state = State::Head;
    QByteArray m_buffer;
    HttpRequest m_request;
    Failure m_error;
};

} // namespace uw::net
