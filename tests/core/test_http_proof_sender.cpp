// HttpProofSender against real sockets on loopback: a service that answers, one that accepts the
// connection and never says a word, and one that starts an answer and never finishes it. The
// last two must fail after the configured time with words a person understands, not Qt's
// "Operation canceled".
#include "login/HttpProofSender.h"
#include "support/HttpTestServer.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {

/// Accepts every connection, reads what comes and answers `reply` (possibly nothing), then stays
/// silent with the socket open.
class MuteServer : public QObject
{
public:
    explicit MuteServer(QByteArray reply = {}) : m_reply(std::move(reply))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                ++m_connections;
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    m_received += socket->readAll();
                    if (!m_reply.isEmpty() && m_received.contains("\r\n\r\n"))
                        socket->write(std::exchange(m_reply, QByteArray()));
                });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/callback").arg(m_server.serverPort()); }
    int connections() const { return m_connections; }
    const QByteArray& received() const { return m_received; }

private:
    QTcpServer m_server; // owns the accepted sockets: they live, silent, until the test ends
    QByteArray m_reply;
    QByteArray m_received;
    int m_connections = 0;
};

} // namespace

class TestHttpProofSender : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void silentServiceFailsWithTheTimeout_data();
    void silentServiceFailsWithTheTimeout();
    void unfinishedAnswerFailsWithTheTimeout();
    void answeringServiceSucceeds();
};

void TestHttpProofSender::silentServiceFailsWithTheTimeout_data()
{
    QTest::addColumn<bool>("viaSetter");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QString>("expected");
    QTest::newRow("constructor") << false << 300 << QStringLiteral("did not answer within 0.3 s");
    QTest::newRow("setter") << true << 250 << QStringLiteral("did not answer within 0.25 s");
}

void TestHttpProofSender::silentServiceFailsWithTheTimeout()
{
    QFETCH(bool, viaSetter);
    QFETCH(int, timeoutMs);
    QFETCH(QString, expected);
    MuteServer service;
    QVERIFY(service.listen());
    HttpProofSender sender(nullptr, viaSetter ? HttpProofSender::kDefaultTimeoutMs : timeoutMs);
    if (viaSetter)
        sender.setTimeoutMs(timeoutMs);
    QCOMPARE(sender.timeoutMs(), timeoutMs);
    QSignalSpy finished(&sender, &ProofSender::finished);
    sender.send(service.url(), QByteArrayLiteral("{\"v\":1}"));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), false);
    const QString detail = finished.first().at(1).toString();
    QVERIFY2(detail.contains(expected), qPrintable(detail));
    QVERIFY2(!detail.contains(QStringLiteral("canceled"), Qt::CaseInsensitive), qPrintable(detail));
    // The proof did reach the service: the silence is the service's, not a refused connection.
    QCOMPARE(service.connections(), 1);
    QVERIFY(service.received().startsWith("POST /callback "));
}

void TestHttpProofSender::unfinishedAnswerFailsWithTheTimeout()
{
    // A status line and headers, then a body that never comes: not a success, and still named.
    MuteServer service("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"ok\"");
    QVERIFY(service.listen());
    HttpProofSender sender(nullptr, 300);
    QSignalSpy finished(&sender, &ProofSender::finished);
    sender.send(service.url(), QByteArrayLiteral("{\"v\":1}"));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    const QString detail = finished.first().at(1).toString();
    QVERIFY2(detail.contains(QStringLiteral("did not answer within 0.3 s")), qPrintable(detail));
}

void TestHttpProofSender::answeringServiceSucceeds()
{
    HttpTestServer service;
    QVERIFY(service.listen());
    HttpProofSender sender(nullptr, 5000);
    QSignalSpy finished(&sender, &ProofSender::finished);
    sender.send(service.url(), QByteArrayLiteral("{\"v\":1}"));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("HTTP 200"));
    QCOMPARE(service.requests().size(), 1);
    QCOMPARE(service.requests().first().body, QByteArrayLiteral("{\"v\":1}"));
}

QTEST_GUILESS_MAIN(TestHttpProofSender)
#include "test_http_proof_sender.moc"
