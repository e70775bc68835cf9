#pragma once

#include "relay/NostrEvent.h"
#include "relay/RelayPool.h"

#include <QObject>
#include <QSet>
#include <QTimer>

namespace uw {

/// Collects every kind-9243 event the relays hold for one member (filter {"kinds":[9243],
/// "#m":[ID]}), until each relay of the pool has said it sent all it stores (EOSE) or the time is
/// up. It only collects: memberchain::resolve() decides what the events are worth.
///
/// Lives on the pool's thread; start() returns at once and finished() follows exactly once.
class MemberFetch : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberFetch)
public:
    /// More events than this for one member are dropped (and counted): a relay cannot make us hold
    /// an unbounded list.
    static constexpr int kMaxEvents = 10'000;

    MemberFetch(RelayPool* pool, QString memberId, QObject* parent = nullptr);
    ~MemberFetch() override;

    void start(int timeoutMs);
    const QString& memberId() const { return m_memberId; }

Q_SIGNALS:
    /// `answered`: the relays that sent their end of stored events; `silent`: those that did not in
    /// time (down, slow, or withholding); `dropped`: events beyond kMaxEvents.
    void finished(const QList<uw::NostrEvent>& events, const QStringList& answered, const QStringList& silent,
                  int dropped);

private:
    void finish();

    RelayPool* m_pool;
    QString m_memberId;
    QString m_subId;
    QTimer m_timeout{this};
    QList<NostrEvent> m_events;
    QSet<QString> m_answered;
    int m_dropped = 0;
    bool m_running = false;
    bool m_done = false;
};

} // namespace uw
