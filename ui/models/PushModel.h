#pragma once

#include "devices/CoSignPolicy.h"
#include "devices/LoginListener.h"
#include "identity/KeyRing.h"
#include "util/Clock.h"

#include <QElapsedTimer>
#include <QObject>
#include <memory>

namespace uw::ui {

class RelayRuntime;

/// The GUI's side of the push: the profile's LoginListener runs on the relay thread (adopted),
/// its arrivals come back queued. The model keeps the waiting logins in arrival order; the first
/// is the one under review, the others are only listed, so that a flood never floods the screen.
class PushModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PushModel)
public:
    PushModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, CoSignPolicy policy, const Clock& clock,
              QObject* parent = nullptr);
    ~PushModel() override;

    /// Starts listening (once the profile is unlocked).
    void start();
    void setPolicy(CoSignPolicy policy);
    void setPairLabels(const QHash<QString, QString>& labels);

    /// The login under review, if any.
    const PushedLogin* current() const { return m_waiting.isEmpty() ? nullptr : &m_waiting.first(); }
    /// Every waiting login, the current one first; expired ones are left out.
    QList<PushedLogin> waiting() const;
    /// The person answered the current login (signed, refused, dismissed): the next becomes current.
    void answerCurrent();
    /// The login `hash` was answered elsewhere (the link page): out of the list, never shown.
    void dismiss(const QString& hash);

Q_SIGNALS:
    /// A login arrived; `first`: nothing else waits, it is the one to review now (notify).
    void arrived(const uw::PushedLogin& login, bool first);
    /// The current login changed (after an answer); null when none waits.
    void currentChanged();
    /// The list of waiting logins changed.
    void waitingChanged();

private:
    /// `hash` leaves the list (answered here or elsewhere); the next becomes current if it was.
    void drop(const QString& hash);

    RelayRuntime* m_runtime;
    const Clock& m_clock;
    LoginListener* m_listener; ///< owned by the relay thread; reached through queued calls
    QList<PushedLogin> m_waiting;
};

} // namespace uw::ui
