#pragma once

#include "relay/RelayConnection.h"

#include <QMap>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <deque>

namespace uw {

/// Several relays at once. Publishes to all and collects each relay's
/// OK with a timeout; subscribes on all and hands out each verified event once,
/// whichever relay delivered it first. Per-relay states are signalled for the GUI.
///
/// Lives on one thread (the relay thread in the GUI, the main thread in the CLI);
/// every method returns at once and answers through signals.
class RelayPool : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayPool)
public:
    struct Options
    {
        int publishTimeoutMs = 10000;
        RelayConnection::Backoff backoff;
    };

    RelayPool(const QStringList& urls, Options options, QObject* parent = nullptr);
    explicit RelayPool(const QStringList& urls, QObject* parent = nullptr) : RelayPool(urls, Options{}, parent) {}
    ~RelayPool() override;

    QStringList urls() const;
    RelayConnection::State state(const QString& url) const;
    QString lastError(const QString& url) const;
    int connectedCount() const;

    void start();
    void stop();

    /// Publishes to every relay; publishFinished() follows once every relay has
    /// answered or the timeout has passed.
    void publish(const NostrEvent& event);
    void subscribe(const QString& subId, const QList<NostrFilter>& filters);
    void unsubscribe(const QString& subId);

Q_SIGNALS:
    void relayStateChanged(const QString& url, uw::RelayConnection::State state);
    /// A verified event, delivered once per subscription whichever relay sent it.
    void eventReceived(const QString& subId, const uw::NostrEvent& event, const QString& relayUrl);
    /// An event already delivered for `subId` came again from `relayUrl` (verified again by that
    /// relay's connection): who delivered what, for the record; nothing to process twice.
    void eventDeliveredAgain(const QString& subId, const QString& eventId, const QString& relayUrl);
    void endOfStoredEvents(const QString& subId, const QString& relayUrl);
    /// `perRelay`: url -> accepted (false for a refusal, a timeout, or a relay that was down).
    void publishFinished(const QString& eventId, const QMap<QString, bool>& perRelay,
                         const QMap<QString, QString>& messages);

private:
    struct PendingPublish
    {
        QMap<QString, bool> perRelay;
        QMap<QString, QString> messages;
        QTimer* timer = nullptr;
    };
    void onOk(const QString& url, const QString& eventId, bool accepted, const QString& message);
    void finishPublish(const QString& eventId);
    bool markSeen(const QString& subId, const QString& eventId);

    Options m_options;
    QList<RelayConnection*> m_connections;
    QHash<QString, PendingPublish> m_pending;
    QSet<QString> m_seen; ///< subId + event id, bounded by m_seenOrder
    std::deque<QString> m_seenOrder;
};

} // namespace uw
