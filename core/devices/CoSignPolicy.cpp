#include "devices/CoSignPolicy.h"

namespace uw {

namespace {

/// "10 min", "3 h 5 min", "3650 days": how long a login would stay open, for a person.
QString duration(std::int64_t seconds)
{
    if (seconds >= 2 * 86400)
        return CoSignPolicy::tr("%1 days").arg(seconds / 86400);
    if (seconds >= 3600)
        return CoSignPolicy::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    if (seconds >= 60 && seconds % 60 == 0)
        return CoSignPolicy::tr("%1 min").arg(seconds / 60);
    if (seconds >= 60)
        return CoSignPolicy::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return CoSignPolicy::tr("%1 s").arg(seconds);
}

} // namespace

Result<void> CoSignPolicy::check(const LoginMessage& message, const QString& authorPubkey,
                                 std::int64_t nowSeconds) const
{
    const MemberRequirement* asked = message.member(member.id);
    if (!asked)
        return makeError(QStringLiteral("member_not_in_login"),
                         tr("This login does not ask member \"%1\" to sign.").arg(member.id));

    if (asked->cardinaliteMinimale < member.cardinaliteMinimale)
        return makeError(QStringLiteral("weaker_requirement"),
                         tr("This login would accept %1 of member \"%2\"'s devices, but the member requires %3. "
                            "Someone may be trying to log in with fewer of your devices; nothing was signed.")
                             .arg(asked->cardinaliteMinimale)
                             .arg(member.id)
                             .arg(member.cardinaliteMinimale));

    for (const PairRef& pair : asked->pairs) {
        if (!member.pairs.contains(pair))
            return makeError(QStringLiteral("unknown_pair"),
                             tr("This login lists a device of member \"%1\" (%2) that is not one of the member's "
                                "devices; nothing was signed.")
                                 .arg(member.id, pair.pair));
    }

    const std::int64_t validity = message.expiresAt - message.createdAt;
    if (validity > maxValiditySeconds || message.expiresAt - nowSeconds > maxValiditySeconds + kClockSkewSeconds)
        return makeError(
            QStringLiteral("validity_too_long"),
            tr("This login would stay valid for %1; this device signs logins valid for at most %2. "
               "Nothing was signed.")
                .arg(duration(std::max(validity, message.expiresAt - nowSeconds)), duration(maxValiditySeconds)));
    if (message.createdAt > nowSeconds + kClockSkewSeconds)
        return makeError(QStringLiteral("validity_too_long"),
                         tr("This login says it was created in the future; check this device's clock. "
                            "Nothing was signed."));

    bool authorized = false;
    for (const MemberRequirement& m : message.members) {
        for (const PairRef& pair : m.pairs)
            authorized = authorized || pair.pubkey == authorPubkey;
    }
    if (!authorized)
        return makeError(QStringLiteral("stranger_author"),
                         tr("This login was published by a key that is not a device of any member it names; "
                            "nothing was signed."));
    return {};
}

} // namespace uw
