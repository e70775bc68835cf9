#pragma once

#include "devices/CoSignPolicy.h"
#include "devices/LoginSignLink.h"
#include "identity/KeyRing.h"
#include "login/Challenge.h"
#include "login/LoginDecline.h"
#include "relay/PublishTracker.h"
#include "relay/RelayPool.h"
#include "util/Clock.h"

#include <QTimer>
#include <memory>

namespace uw {

/// Device 2: fetches the login message named by a link from the relays, checks it (hash, nonce,
/// expiry, this device's pair, then `policy`: nothing weaker than the member document, a short
/// window, an authorized author), lets the user look at it, then signs and publishes. Succeeds on
/// the first relay's OK true.
class CoSigner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CoSigner)
public:
    CoSigner(RelayPool* pool, std::shared_ptr<const KeyRing> keys, CoSignPolicy policy, const Clock& clock,
             QObject* parent = nullptr, int fetchTimeoutMs = 15000);

    /// Step 1–2: parse the link and fetch the message. Answers with messageReady() or failed().
    void open(const QString& link);
    /// Steps 1–2 for a message that came by push (LoginListener), already checked there: shown
    /// as is (messageReady(), queued); signing asks for the number all the same.
    void review(const Challenge& challenge);
    /// Step 4, after the user typed the number device 1 shows: signs and publishes when it is the
    /// login's number. A wrong number signs nothing: a refusal (wrong_number) is published so that
    /// device 1 stops at once, and failed() says so. Answers with published() or failed().
    void sign(int typedNumber);
    /// The user said no: publishes a signed refusal (declined) so that device 1 stops at once.
    /// Answers with declined() (a relay took it) or failed().
    void decline();

    const Challenge* challenge() const { return m_challenge ? m_challenge.get() : nullptr; }

    /// What device 2 checks of a login message before showing it, however it came (link or push):
    /// unexpired, asks this device's member with one of this device's pairs, and `policy` (nothing
    /// weaker than the member document, a short window, an authorized author). `fatal` tells
    /// whether the message itself is refused (no other copy can be better) or only this copy
    /// (published by a stranger).
    static Result<void> checkMessage(const Challenge& challenge, const QString& authorPubkey, const KeyRing& keys,
                                     const CoSignPolicy& policy, std::int64_t now, bool* fatal);

Q_SIGNALS:
    void messageReady(const uw::Challenge& challenge);
    /// « Signature publiée »: at least one relay acknowledged; perRelay for the details.
    void published(const QMap<QString, bool>& perRelay);
    /// The refusal reached at least one relay.
    void declined(uw::DeclineReason reason, const QMap<QString, bool>& perRelay);
    void failed(const QString& reason);

private:
    void onEvent(const QString& subId, const NostrEvent& event);
    /// The link's message in `event`, checked; the error says why it was set aside, and `fatal`
    /// whether no other copy can be better (the message itself is refused).
    Result<Challenge> check(const NostrEvent& event, bool* fatal) const;
    void publishDecline(DeclineReason reason, const QString& failure);
    void fail(const QString& reason);

    RelayPool* m_pool;
    std::shared_ptr<const KeyRing> m_keys;
    CoSignPolicy m_policy;
    const Clock& m_clock;
    QTimer m_fetchTimeout{this}; // parented: follows its owner to another thread
    LoginSignLink m_link;
    QString m_subId;
    QString m_lastRejection;
    std::unique_ptr<Challenge> m_challenge;
    PublishTracker m_publishing;
    /// Set while the publication in progress is a refusal: what to report once relays answer
    /// (an empty failure: the user declined, declined() is emitted).
    std::optional<DeclineReason> m_declining;
    QString m_declineFailure;
    bool m_done = false;
};

} // namespace uw
