#pragma once

#include "relay/NostrEvent.h"

#include <QJsonArray>
#include <QObject>
#include <QWebSocketServer>

namespace uw::test {

/// A relay that lies (OK true to everything, stores nothing), and answers every
/// subscription with forged signatures, events signed by strangers, replays of
/// genuine events that belong elsewhere, malformed and binary frames, and a flood.
/// It lives in the test process, on 127.0.0.1.
class HostileRelay : public QObject
{
    Q_OBJECT
public:
    explicit HostileRelay(QObject* parent = nullptr);
    bool listen();
    QString url() const;

    /// Genuine events (valid ids and signatures) to replay to every subscriber.
    QList<NostrEvent> replays;
    /// Pair UUID and member the forgeries claim.
    QString claimedPair;
    QString claimedMember;
    int floodFrames = 500;

    int reqCount() const { return m_reqs; }

private:
    void attack(QWebSocket* socket, const QString& subId, const QJsonObject& filter);
    QWebSocketServer m_server;
    int m_reqs = 0;
};

} // namespace uw::test
