#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpSocket>
#include <optional>
#include <utility>

namespace uw::test {

/// An HTTP/1.1 client on a bare QTcpSocket, for the tests that must send what a well-behaved
/// client never would: half a header, a Content-Length without its body, requests pipelined in
/// one write, or nothing at all. Waiting runs the event loop (QTest::qWaitFor), so a server in the
/// same thread keeps working.
class RawHttpClient : public QObject
{
    Q_OBJECT
public:
    struct Response
    {
        int status = 0;
        QList<std::pair<QByteArray, QByteArray>> headers; ///< names in lower case
        QByteArray body;
        QByteArray header(QByteArrayView lowerName) const;
    };

    explicit RawHttpClient(QObject* parent = nullptr);

    bool connectTo(quint16 port, int timeoutMs = 5000);
    void send(const QByteArray& bytes);
    /// The next whole response (status line, fields, Content-Length body); nullopt on timeout or
    /// when the connection closed first.
    std::optional<Response> next(int timeoutMs = 10000);
    /// Waits until the server closes the connection; false on timeout.
    bool waitForClosed(int timeoutMs = 10000);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QTcpSocket& socket() { return m_socket; }
    /// Bytes received and not yet taken by next().
    const QByteArray& pending() const { return m_buffer; }

    /// "GET PATH HTTP/1.1" with a Host and, when given, a bearer token.
    static QByteArray get(const QByteArray& path, const QByteArray& token = {});
    /// A POST with a body (application/json unless said otherwise).
    static QByteArray post(const QByteArray& path, const QByteArray& body, const QByteArray& token = {},
                           const QByteArray& contentType = "application/json");

private:
    std::optional<Response> parse();
    QTcpSocket m_socket;
    QByteArray m_buffer;
    bool m_closed = false;
};

} // namespace uw::test
