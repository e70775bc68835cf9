#include "login/LoginDecline.h"

namespace uw {

QString declineReasonToString(DeclineReason reason)
{
    switch (reason) {
    case DeclineReason::Declined:
        return QStringLiteral("declined");
    case DeclineReason::WrongNumber:
        return QStringLiteral("wrong_number");
    case DeclineReason::Expired:
        return QStringLiteral("expired");
    }
    return QStringLiteral("declined");
}

std::optional<DeclineReason> declineReasonFromString(const QString& word)
{
    for (DeclineReason r : {DeclineReason::Declined, DeclineReason::WrongNumber, DeclineReason::Expired})
        if (declineReasonToString(r) == word)
            return r;
    return std::nullopt;
}

} // namespace uw
