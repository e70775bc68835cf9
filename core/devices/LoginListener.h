#pragma once

#include "devices/CoSignPolicy.h"
#include "identity/KeyRing.h"
#include "login/Challenge.h"
#include "relay/RelayPool.h"
#include "util/Clock.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>

namespace uw {

/// A login that asked this device by push, checked and waiting for the person.
struct PushedLogin
{
    Challenge challenge;
    QString askedByMember; ///< the member of the device that published the message (device 1)
    QString askedByPair;   ///< its pair id
    QString askedByLabel;  ///< its label, or "device 1234abcd" when this device has none for it
    QString relay;         ///< the relay that delivered it first
};

/// Device 2, asked instead of handed a link: while the wallet runs, each unlocked profile listens
/// for the login messages that ask its member (kind 9240 tagged ["m", member]). A message that
/// passes the same checks as one opened from a link (CoSigner::checkMessage), that is not expired,
/// not this profile's own (device 1 on this very profile) and not answered yet, is queued for
/// review. What this member's devices already answered is read from the relays too: the
/// signatures and refusals published by this device's own keys (by this window before a restart,
/// or by the command line on the same profile) mark their logins answered. Until the relays have
/// sent those (their first EOSE, or kAnsweredWaitMs), new logins are held back, so that a restart
/// does not ask again for what was signed before it.
///
/// The person answers one at a time (answer()); the others wait in order, at most
/// kMaxPending of them: more are dropped and counted, so a relay that floods cannot flood the
/// screen. Whatever is set aside is counted and logged, never shown.
///
/// Lives on the relay thread with its pool; every method returns at once.
class LoginListener : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginListener)
public:
    static constexpr int kMaxPending = 16;
    /// Hashes remembered as answered or refused; older ones expire long before being forgotten.
    static constexpr int kMaxRemembered = 4096;
    /// How long new logins wait for the relays to say what this device already answered.
    static constexpr int kAnsweredWaitMs = 3000;

    LoginListener(RelayPool* pool, std::shared_ptr<const KeyRing> keys, CoSignPolicy policy, const Clock& clock,
                  QObject* parent = nullptr);

    /// Subscribes to the member's login messages created since the longest window the policy
    /// accepts (a login published just before the wallet started is still shown).
    void start();
    void stop();
    /// The member document changed: later messages are checked against it.
    void setPolicy(CoSignPolicy policy);
    /// Names the devices that ask (pair id -> label).
    void setPairLabels(QHash<QString, QString> labels) { m_labels = std::move(labels); }

    /// The logins waiting for an answer, oldest first; expired ones are left out.
    QList<PushedLogin> pending() const;
    /// The person answered `hash` (signed, refused or dismissed): out of the queue, never shown
    /// again. Returns the next waiting login through nextReady() if there is one.
    void answer(const QString& hash);

    struct Counts
    {
        int shown = 0;     ///< queued for review
        int setAside = 0;  ///< not for this device, invalid, expired, from a stranger
        int duplicate = 0; ///< already seen
        int dropped = 0;   ///< valid, but the queue was full
    };
    Counts counts() const { return m_counts; }

Q_SIGNALS:
    /// A new login is queued; `first` when it is the one to review now (nothing else waits).
    void loginArrived(const uw::PushedLogin& login, bool first);
    /// After answer(): the next login to review.
    void nextReady(const uw::PushedLogin& login);
    /// The number of logins waiting changed (the window lists them).
    void pendingChanged(int count);
    /// A waiting login was answered elsewhere (this profile's keys signed or refused it): it
    /// leaves the list; nextReady() follows if it was the one under review.
    void withdrawn(const QString& hash);
    /// A message was set aside or dropped (for the log; never a window).
    void setAside(const QString& hash, const QString& reason);

private:
    void onEvent(const QString& subId, const NostrEvent& event, const QString& relayUrl);
    void onAnswered(const NostrEvent& event);
    void process(const NostrEvent& event, const QString& relayUrl);
    /// The relays said what this device already answered (or kAnsweredWaitMs passed).
    void releaseHeld();
    void remember(const QString& hash);
    void dropExpired();
    void log(const QString& hash, const QString& reason);

    RelayPool* m_pool;
    std::shared_ptr<const KeyRing> m_keys;
    CoSignPolicy m_policy;
    const Clock& m_clock;
    QHash<QString, QString> m_labels;
    QString m_subId;
    bool m_answeredKnown = false;
    QList<std::pair<NostrEvent, QString>> m_held; ///< pushes that came before the answers (bounded)
    QTimer m_answeredWait{this};
    QList<PushedLogin> m_queue;     ///< front: the one under review
    QSet<QString> m_remembered;     ///< answered, refused, queued or dropped
    QList<QString> m_rememberOrder; ///< to forget the oldest beyond kMaxRemembered
    Counts m_counts;
};

} // namespace uw

Q_DECLARE_METATYPE(uw::PushedLogin)
