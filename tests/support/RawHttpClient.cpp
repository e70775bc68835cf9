#include "support/RawHttpClient.h"

#include <QTest>

namespace uw::test {

QByteArray RawHttpClient::Response::header(QByteArrayView lowerName) const
{
    for (const auto& [name, value] : headers)
        if (name == lowerName)
            return value;
    return {};
}

RawHttpClient::RawHttpClient(QObject* parent) : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, [this] { m_buffer += m_socket.readAll(); });
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_closed = true; });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket.state() != QAbstractSocket::ConnectedState)
            m_closed = true;
    });
}

bool RawHttpClient::connectTo(quint16 port, int timeoutMs)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState || m_closed; },
                           timeoutMs) &&
           m_socket.state() == QAbstractSocket::ConnectedState;
}

void RawHttpClient::send(const QByteArray& bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

std::optional<RawHttpClient::Response> RawHttpClient::parse()
{
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    Response r;
    const QList<QByteArray> status = lines.first().trimmed().split(' ');
    if (status.size() < 2)
        return std::nullopt;
    r.status = status[1].toInt();
    qsizetype length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray l = lines[i].trimmed();
        const qsizetype colon = l.indexOf(':');
        r.headers.append({l.left(colon).toLower(), l.mid(colon + 1).trimmed()});
        if (r.headers.last().first == "content-length")
            length = r.headers.last().second.toLongLong();
    }
    if (m_buffer.size() < end + 4 + length)
        return std::nullopt;
    r.body = m_buffer.mid(end + 4, length);
    m_buffer.remove(0, end + 4 + length);
    return r;
}

std::optional<RawHttpClient::Response> RawHttpClient::next(int timeoutMs)
{
    std::optional<Response> r;
    // A timeout is told by the empty answer.
    (void)QTest::qWaitFor(
        [&] {
            r = parse();
            return r.has_value() || m_closed;
        },
        timeoutMs);
    if (!r)
        r = parse();
    return r;
}

bool RawHttpClient::waitForClosed(int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_closed; }, timeoutMs);
}

QByteArray RawHttpClient::get(const QByteArray& path, const QByteArray& token)
{
    QByteArray r = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.isEmpty())
        r += "Authorization: Bearer " + token + "\r\n";
    return r + "\r\n";
}

QByteArray RawHttpClient::post(const QByteArray& path, const QByteArray& body, const QByteArray& token,
                               const QByteArray& contentType)
{
    QByteArray r = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.isEmpty())
        r += "Authorization: Bearer " + token + "\r\n";
    if (!contentType.isEmpty())
        r += "Content-Type: " + contentType + "\r\n";
    return r + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace uw::test
