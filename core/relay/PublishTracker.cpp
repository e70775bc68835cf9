#include "relay/PublishTracker.h"

namespace uw {

void PublishTracker::start(const QStringList& eventIds)
{
    m_waiting = QSet<QString>(eventIds.cbegin(), eventIds.cend());
    m_perRelay.clear();
    m_refusals.clear();
    m_answers.clear();
    m_refused = false;
}

bool PublishTracker::record(const QString& eventId, const QMap<QString, bool>& perRelay,
                            const QMap<QString, QString>& messages)
{
    if (!m_waiting.remove(eventId))
        return false;
    bool accepted = false;
    for (auto it = perRelay.cbegin(); it != perRelay.cend(); ++it) {
        accepted = accepted || it.value();
        m_perRelay[it.key()] = m_perRelay.value(it.key(), true) && it.value();
        if (!it.value()) {
            const QString line = QStringLiteral("%1: %2").arg(it.key(), messages.value(it.key()));
            if (!m_refusals.contains(line))
                m_refusals.append(line);
        }
    }
    QStringList& answers = m_answers[eventId];
    for (auto it = messages.cbegin(); it != messages.cend(); ++it)
        answers.append(QStringLiteral("%1: %2").arg(it.key(), it.value()));
    m_refused = m_refused || !accepted;
    return true;
}

PublishTracker::State PublishTracker::state() const
{
    if (m_refused)
        return State::Refused;
    return m_waiting.isEmpty() ? State::Accepted : State::Waiting;
}

} // namespace uw
