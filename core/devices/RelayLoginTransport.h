#pragma once

#include "identity/KeyRing.h"
#include "login/LoginTransport.h"
#include "relay/PublishTracker.h"
#include "relay/RelayPool.h"
#include "util/Clock.h"

#include <QTimer>
#include <memory>

namespace uw {

/// The login flow's transport over a RelayPool: publishes the message and the
/// local signatures as signed events, then runs the collection loop
/// (push subscription on every relay, plus a re-query every 2 s as a fallback).
class RelayLoginTransport : public LoginTransport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayLoginTransport)
public:
    RelayLoginTransport(RelayPool* pool, std::shared_ptr<const KeyRing> keys, const Clock& clock,
                        QObject* parent = nullptr, int requeryIntervalMs = 2000);

    void publish(const Challenge& challenge, const QList<LoginSignature>& localSignatures) override;
    void startCollecting(const Challenge& challenge) override { runCollectLoop(challenge); }
    void stopCollecting() override;

    /// Subscribe to the signature events of this hash on every relay
    /// and re-query every interval until stopCollecting().
    void runCollectLoop(const Challenge& challenge);

private:
    void onPublishFinished(const QString& eventId, const QMap<QString, bool>& perRelay,
                           const QMap<QString, QString>& messages);

    RelayPool* m_pool;
    std::shared_ptr<const KeyRing> m_keys;
    const Clock& m_clock;
    QTimer m_requery{this}; // parented: follows its owner to another thread
    QString m_subId;
    /// The signature events of this login (event id -> candidate, created_at), to name every
    /// relay that delivers each one.
    QHash<QString, std::pair<LoginSignature, std::int64_t>> m_delivered;
    QList<NostrFilter> m_filters;
    PublishTracker m_publishing; ///< the publication in progress
};

} // namespace uw
