#pragma once

#include <QString>
#include <optional>

namespace uw {

/// Why a device refused a login (the `reason` of a decline event).
enum class DeclineReason
{
    Declined,    ///< the person said no
    WrongNumber, ///< the number typed was not the login's: nothing was signed
    Expired,     ///< the login expired before the person answered
};

/// A device's signed refusal of one login (kind 9244), as read from a relay: structure only;
/// the login checks that its author is an authorized pair of its path and that `hash` is its own.
struct LoginDecline
{
    QString hash; ///< the login it refuses (its `h` tag, covered by the event's signature)
    QString member;
    QString pair;
    QString pubkey; ///< the event's author
    DeclineReason reason = DeclineReason::Declined;
};

QString declineReasonToString(DeclineReason reason);
std::optional<DeclineReason> declineReasonFromString(const QString& word);

} // namespace uw
