#pragma once

#include "relay/NostrFilter.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <QWebSocketProtocol>

class QWebSocket;

namespace uw {

class RelayServer;

/// One client connection of the relay: its subscriptions, its idle timer and the cap on the
/// output it has not read yet. Its rate budgets are its address's, kept by the server.
class RelaySession : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelaySession)
public:
    /// `peer` is the key of the client's address (RelayServer::peerKey), for its budgets.
    RelaySession(QWebSocket* socket, QString peer, RelayServer* server);
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
    void startNextQuery();
    void answerQuery(const QString& subId, quint64 generation, const QList<QByteArray>& events);
    void send(const QByteArray& json);
    void notice(const QString& text);
    void ok(const QString& id, bool accepted, const QString& message);
    /// Sends the close frame, stops every output, and aborts the connection if the client
    /// has not completed the closing handshake shortly after.
    void closeWith(QWebSocketProtocol::CloseCode code, const QString& reason);

    QWebSocket* m_socket;
    QString m_peer;
    RelayServer* m_server;
    QHash<QString, QList<NostrFilter>> m_subscriptions;
    /// REQs of this connection waiting for their query, in order; a subscription's generation
    /// tells a replaced REQ's late answer from the current one's.
    static constexpr int kMaxWaitingQueriesPerConnection = 8;
    static constexpr int kMaxPendingQueries = 256;
    QList<std::pair<QString, quint64>> m_waitingQueries;
    QHash<QString, quint64> m_generation;
    quint64 m_lastGeneration = 0;
    bool m_queryRunning = false;
    QTimer m_idle{this};
    bool m_closing = false;
};

} // namespace uw
