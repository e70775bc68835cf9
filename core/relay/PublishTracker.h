#pragma once

#include <QHash>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>

namespace uw {

/// The answers to a batch of events published through a RelayPool (its publishFinished()):
/// per event, each relay's OK (true or false) and message. The batch is accepted once every
/// event has at least one OK true; it is refused as soon as one event has been answered by
/// every relay (or timed out) without any.
class PublishTracker
{
public:
    enum class State
    {
        Waiting,  ///< events unanswered, none refused yet
        Accepted, ///< every event has at least one OK true
        Refused,  ///< an event was answered without any OK true
    };

    /// Forgets the previous batch and waits for the answers to these events.
    void start(const QStringList& eventIds);
    /// One event's answers (RelayPool::publishFinished). False, and nothing recorded, when the
    /// event is not one of the batch or was already answered.
    bool record(const QString& eventId, const QMap<QString, bool>& perRelay, const QMap<QString, QString>& messages);

    State state() const;
    /// Every event of the batch has been answered.
    bool allAnswered() const { return m_waiting.isEmpty(); }
    /// Relay -> it accepted every event answered so far.
    const QMap<QString, bool>& perRelay() const { return m_perRelay; }
    /// "relay: message" for every refusal so far, each once, in the order they came.
    const QStringList& refusals() const { return m_refusals; }
    /// "relay: message" for every relay's answer to one event (for a refused event: why each refused).
    QStringList answers(const QString& eventId) const { return m_answers.value(eventId); }

private:
    QSet<QString> m_waiting;
    QMap<QString, bool> m_perRelay;
    QStringList m_refusals;
    QHash<QString, QStringList> m_answers;
    bool m_refused = false;
};

} // namespace uw
