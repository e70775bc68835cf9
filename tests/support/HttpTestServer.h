#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTcpServer>

namespace uw::test {

/// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for tests: it
/// records every request and answers with a configurable status and body.
/// Used as the parent service that receives proofs.
class HttpTestServer : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QHash<QByteArray, QByteArray> headers; ///< lowercase names
        QByteArray body;
    };

    explicit HttpTestServer(QObject* parent = nullptr);
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString& path = QStringLiteral("/callback")) const;

    void setResponse(int status, const QByteArray& body)
    {
        m_status = status;
        m_body = body;
    }
    const QList<Request>& requests() const { return m_requests; }

Q_SIGNALS:
    void requestReceived();

private:
    void onConnection();
    QTcpServer m_server;
    QList<Request> m_requests;
    int m_status = 200;
    QByteArray m_body = QByteArrayLiteral("{\"ok\":true}");
};

} // namespace uw::test
