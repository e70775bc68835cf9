#pragma once

#include "relay/NostrFilter.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace uw {

/// One relay, seen from the wallet: a WebSocket that reconnects with
/// exponential back-off and jitter, restores its subscriptions, and verifies
/// every event it receives (id and signature, and that it matches the
/// subscription it claims) before anyone else sees it. A relay is never trusted.
class RelayConnection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayConnection)
public:
    enum class State
    {
        Disconnected,
        Connecting,
        Connected,
        WaitingToReconnect,
    };
    Q_ENUM(State)

    struct Backoff
    {
        int initialMs = 500;
        int maxMs = 30000;
    };

    RelayConnection(const QUrl& url, Backoff backoff, QObject* parent = nullptr);

    /// The wait before reconnection attempt `attempt` (0-based): exponential, capped, with
    /// "equal jitter" (half fixed, half drawn from `random`) so that many wallets that lost
    /// the same relay do not come back in lock-step.
    static qint64 reconnectDelayMs(int attempt, Backoff backoff, quint32 random);
    ~RelayConnection() override;

    const QUrl& url() const { return m_url; }
    State state() const { return m_state; }
    /// The reason of the last disconnection, for the GUI ("connection refused", ...).
    QString lastError() const { return m_lastError; }

    void open();
    void close();
    void subscribe(const QString& subId, const QList<NostrFilter>& filters);
    void unsubscribe(const QString& subId);
    /// Sends the event now if connected, else as soon as the relay is reached.
    void publish(const NostrEvent& event);
    /// Forgets a pending publish (after its timeout).
    void forget(const QString& eventId) { m_pendingPublishes.remove(eventId); }

Q_SIGNALS:
    void stateChanged(uw::RelayConnection::State state);
    void eventReceived(const QString& subId, const uw::NostrEvent& event);
    void endOfStoredEvents(const QString& subId);
    void okReceived(const QString& eventId, bool accepted, const QString& message);
    void subscriptionClosed(const QString& subId, const QString& message);
    void noticeReceived(const QString& message);

private:
    void setState(State s);
    void onConnected();
    void onDisconnected();
    void onText(const QString& message);
    void scheduleReconnect();
    void sendReq(const QString& subId);
    void misbehaved(const QString& what);

    QUrl m_url;
    Backoff m_backoff;
    QWebSocket* m_socket;
    QTimer m_reconnectTimer{this}; // parented: follows its owner to another thread
    State m_state = State::Disconnected;
    bool m_wanted = false;
    int m_attempt = 0;
    int m_invalidFrames = 0;
    QString m_lastError;
    QHash<QString, QList<NostrFilter>> m_subscriptions;
    QHash<QString, QByteArray> m_pendingPublishes; ///< event id -> EVENT frame not yet acknowledged
};

} // namespace uw
