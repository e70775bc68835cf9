#pragma once

#include "relay/NostrFilter.h"

#include <QHash>
#include <QObject>

class QWebSocket;

namespace uw {

class RelayServer;

/// One client connection of the relay: its subscriptions and its rate budget.
class RelaySession : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelaySession)
public:
    RelaySession(QWebSocket* socket, RelayServer* server);
    ~RelaySession() override;

    /// Sends the event to each of this client's subscriptions that matches.
    void deliver(const NostrEvent& event, const QByteArray& json);
    QWebSocket* socket() const { return m_socket; }

Q_SIGNALS:
    void closed(uw::RelaySession* session);

private:
    void onText(const QString& message);
    void onBinary(const QByteArray& message);
    void handleEvent(const QJsonArray& frame);
    void handleReq(const QJsonArray& frame);
    void handleClose(const QJsonArray& frame);
    void send(const QByteArray& json);
    void notice(const QString& text);
    void ok(const QString& id, bool accepted, const QString& message);
    bool takeEventToken();

    QWebSocket* m_socket;
    RelayServer* m_server;
    QHash<QString, QList<NostrFilter>> m_subscriptions;
    double m_tokens;
    qint64 m_lastRefillMs;
};

} // namespace uw
