#include "net/HttpRequestParser.h"

#include <algorithm>

namespace uw::net {

namespace {

// RFC 9110 §5.6.2: tchar.
bool isTokenChar(char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView trimBlanks(QByteArrayView v)
{
    while (!v.isEmpty() && isBlank(v.front()))
        v = v.sliced(1);
    while (!v.isEmpty() && isBlank(v.back()))
        v.chop(1);
    return v;
}

/// Shows a refused piece of the request in a message without its control bytes.
QString shown(QByteArrayView bytes)
{
    QString out;
    for (char c : bytes.first(std::min<qsizetype>(60, bytes.size()))) {
        const auto u = uchar(c);
        out += (u >= 0x20 && u < 0x7f) ? QChar(QLatin1Char(c)) : QChar(u'?');
    }
    return bytes.size() > 60 ? out + QStringLiteral("...") : out;
}

} // namespace

qsizetype HttpRequestParser::wanted() const
{
    switch (m_state) {
    case State::Head:
        return std::max<qsizetype>(0, m_limits.maxHeaderBytes - m_buffer.size());
    case State::HeadDone: // the body comes next: what of it is not buffered yet
    case State::Body:
        return std::max<qsizetype>(0, m_request.contentLength - m_request.body.size() - m_buffer.size());
    default:
        return 0;
    }
}

void HttpRequestParser::feed(QByteArrayView bytes)
{
    if (m_state != State::Failed)
        m_buffer.append(bytes);
}

HttpRequestParser::Step HttpRequestParser::fail(int status, const char* code, QString message)
{
    m_state = State::Failed;
    m_error = Failure{status, QString::fromLatin1(code), std::move(message)};
    m_buffer.clear();
    return Step::Error;
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest r = std::move(m_request);
    m_request = HttpRequest();
    if (m_state == State::Done)
        m_state = State::Head;
    return r;
}

HttpRequestParser::Step HttpRequestParser::next()
{
    switch (m_state) {
    case State::Failed:
        return Step::Error;
    case State::Done:
        return Step::Request;
    case State::Head: {
        // RFC 9112 §2.2: empty lines before a request line are ignored (some clients send one
        // after a body).
        qsizetype skip = 0;
        while (m_buffer.size() >= skip + 2 && m_buffer[skip] == '\r' && m_buffer[skip + 1] == '\n')
            skip += 2;
        if (skip > 0)
            m_buffer.remove(0, skip);
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0 || end + 4 > m_limits.maxHeaderBytes) {
            if (m_buffer.size() >= m_limits.maxHeaderBytes || end >= 0)
                return fail(
                    431, "header_too_large",
                    QStringLiteral("The request line and header fields exceed %1 bytes.").arg(m_limits.maxHeaderBytes));
            return Step::NeedMore;
        }
        return parseHead(end);
    }
    case State::HeadDone:
        m_state = State::Body;
        [[fallthrough]];
    case State::Body: {
        const qsizetype take = std::min(m_request.contentLength - m_request.body.size(), m_buffer.size());
        if (take > 0) {
            m_request.body.append(m_buffer.constData(), take);
            m_buffer.remove(0, take);
        }
        if (m_request.body.size() < m_request.contentLength)
            return Step::NeedMore;
        m_state = State::Done;
        return Step::Request;
    }
    }
    return Step::Error;
}

HttpRequestParser::Step HttpRequestParser::parseHead(qsizetype end)
{
    const QByteArray head = m_buffer.left(end); // without the final CRLF CRLF
    m_buffer.remove(0, end + 4);
    // Every line ends in CRLF: a CR or an LF alone is refused (request smuggling hides there).
    for (qsizetype i = 0; i < head.size(); ++i) {
        if (head[i] == '\r' && (i + 1 >= head.size() || head[i + 1] != '\n'))
            return fail(400, "bad_request", QStringLiteral("A CR without LF in the request head."));
        if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r'))
            return fail(400, "bad_request", QStringLiteral("A line of the request head ends in LF without CR."));
    }
    const QList<QByteArray> lines = head.split('\n');
    HttpRequest& r = m_request;
    r = HttpRequest();

    // Request line: method SP request-target SP HTTP-version.
    QByteArray line = lines.first();
    line.chop(lines.size() > 1 ? 1 : 0); // the CR (the last line has none: it was cut before CRLF CRLF)
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 3 || !isToken(parts[0]))
        return fail(
            400, "bad_request",
            QStringLiteral("The request line must be METHOD SP TARGET SP HTTP/1.1, got \"%1\".").arg(shown(line)));
    r.method = parts[0];
    r.target = parts[1];
    const QByteArray& version = parts[2];
    if (version == "HTTP/1.1")
        r.minorVersion = 1;
    else if (version == "HTTP/1.0")
        r.minorVersion = 0;
    else if (version.size() == 8 && version.startsWith("HTTP/") && version[6] == '.')
        return fail(505, "http_version",
                    QStringLiteral("Only HTTP/1.1 and HTTP/1.0 are served, not %1.").arg(shown(version)));
    else
        return fail(400, "bad_request", QStringLiteral("\"%1\" is not an HTTP version.").arg(shown(version)));
    if (!r.target.startsWith('/'))
        return fail(
            400, "bad_request",
            QStringLiteral("The request target must be a path starting with \"/\", got \"%1\".").arg(shown(r.target)));
    for (char c : std::as_const(r.target))
        if (uchar(c) <= 0x20 || uchar(c) >= 0x7f || c == '#')
            return fail(400, "bad_request", QStringLiteral("The request target holds a byte not allowed in a URL."));
    const qsizetype q = r.target.indexOf('?');
    r.path = q < 0 ? r.target : r.target.left(q);
    r.query = q < 0 ? QByteArray() : r.target.mid(q + 1);

    // Header fields: name ":" OWS value OWS.
    int hosts = 0;
    int lengths = 0;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArrayView l(lines[i]);
        if (i + 1 < lines.size())
            l.chop(1); // CR
        if (!l.isEmpty() && isBlank(l.front()))
            return fail(400, "bad_request", QStringLiteral("Folded header lines (obs-fold) are not accepted."));
        const qsizetype colon = l.indexOf(':');
        const QByteArrayView name = colon < 0 ? QByteArrayView() : l.first(colon);
        if (!isToken(name))
            return fail(
                400, "bad_request",
                QStringLiteral("\"%1\" is not a header field (name: value, no blank before the colon).").arg(shown(l)));
        const QByteArrayView value = trimBlanks(l.sliced(colon + 1));
        for (char c : value)
            if ((uchar(c) < 0x20 && c != '\t') || uchar(c) == 0x7f)
                return fail(400, "bad_request",
                            QStringLiteral("The value of %1 holds a control byte.").arg(shown(name)));
        if (int(r.headers.size()) >= m_limits.maxHeaderFields)
            return fail(431, "header_too_large",
                        QStringLiteral("More than %1 header fields.").arg(m_limits.maxHeaderFields));
        r.headers.emplaceBack(name.toByteArray().toLower(), value.toByteArray());
        const QByteArray& lower = r.headers.last().first;
        if (lower == "host")
            ++hosts;
        else if (lower == "content-length") {
            ++lengths;
            if (value.isEmpty() || value.size() > 18 ||
                !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return fail(400, "bad_request",
                            QStringLiteral("Content-Length must be a number of bytes, got \"%1\".").arg(shown(value)));
            r.contentLength = value.toByteArray().toLongLong();
        } else if (lower == "transfer-encoding")
            chunked = true;
    }
    if (r.minorVersion == 1 ? hosts != 1 : hosts > 1)
        return fail(400, "bad_request", QStringLiteral("An HTTP/1.1 request carries exactly one Host header field."));
    if (lengths > 1)
        return fail(400, "bad_request", QStringLiteral("Content-Length is given more than once."));
    if (chunked && lengths > 0)
        return fail(400, "bad_request", QStringLiteral("Transfer-Encoding and Content-Length together are refused."));
    if (chunked)
        return fail(411, "length_required",
                    QStringLiteral("Send the body with a Content-Length; Transfer-Encoding is not accepted."));
    if (r.contentLength > m_limits.maxBodyBytes)
        return fail(413, "body_too_large",
                    QStringLiteral("The body announces %1 bytes; at most %2 are accepted.")
                        .arg(r.contentLength)
                        .arg(m_limits.maxBodyBytes));

    // Persistence (RFC 9112 §9.3): HTTP/1.1 keeps the connection unless "close"; 1.0 only with "keep-alive".
    bool close = false, keep = false;
    for (const auto& [name, value] : std::as_const(r.headers)) {
        if (name != "connection")
            continue;
        for (const QByteArray& option : value.split(',')) {
            const QByteArray o = trimBlanks(option).toByteArray().toLower();
            close = close || o == "close";
            keep = keep || o == "keep-alive";
        }
    }
    r.keepAlive = !close && (r.minorVersion == 1 || keep);
    m_state = State::HeadDone;
    return Step::Head;
}

} // namespace uw::net
