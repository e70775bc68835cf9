#include "SingleInstance.h"

#include <QCryptographicHash>
#include <QLocalSocket>

SingleInstance::SingleInstance(const QString& key, QObject* parent)
    : QObject(parent),
      m_name(QStringLiteral("userwallet-") +
             QString::fromLatin1(QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(16)))
{
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket* s = m_server.nextPendingConnection()) {
            connect(s, &QLocalSocket::disconnected, s, &QObject::deleteLater);
            connect(s, &QLocalSocket::readyRead, this, [this, s] {
                while (s->canReadLine()) {
                    const QString link = QString::fromUtf8(s->readLine()).trimmed();
                    if (!link.isEmpty() && link.size() < 4096)
                        Q_EMIT linkReceived(link);
                }
            });
        }
    });
}

bool SingleInstance::handOver(const QStringList& links)
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(500)) // at start-up, before any window exists
        return false;
    for (const QString& l : links)
        socket.write(l.toUtf8() + '\n');
    socket.waitForBytesWritten(2000);
    socket.disconnectFromServer();
    return true;
}

void SingleInstance::listen()
{
    if (!m_server.listen(m_name)) {
        QLocalServer::removeServer(m_name); // a stale socket left by a crash
        m_server.listen(m_name);
    }
}
