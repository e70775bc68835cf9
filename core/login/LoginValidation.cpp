#include "login/LoginValidation.h"

#include "crypto/Schnorr.h"

#include <algorithm>

namespace uw {

Result<QList<LoginSignature>> signChallenge(const Challenge& challenge, const QString& memberId, const KeyRing& keys)
{
    const MemberRequirement* member = challenge.message.member(memberId);
    if (!member)
        return makeError(QStringLiteral("member_not_in_message"),
                         QStringLiteral("Member \"%1\" is not part of this login.").arg(memberId));
    const Bytes32 digest = loginSigningDigest(challenge.hash, challenge.nonce());
    const QByteArrayView msg(reinterpret_cast<const char*>(digest.data()), 32);
    QList<LoginSignature> out;
    for (const PairRef& pair : member->pairs) {
        const SecretKey* secret = keys.secret(pair.pair);
        if (!secret)
            continue;
        if (keys.pubkey(pair.pair) != pair.pubkey)
            return makeError(
                QStringLiteral("key_mismatch"),
                QStringLiteral("The login names pair %1 with a key that is not this device's key.").arg(pair.pair));
        auto sig = schnorr::sign(*secret, msg);
        if (!sig)
            return sig.error();
        out.append(LoginSignature{member->id, pair.pair, pair.pubkey, toHex(*sig)});
    }
    if (out.isEmpty())
        return makeError(
            QStringLiteral("no_local_pair"),
            QStringLiteral("None of member \"%1\"'s pairs in this login is on this device.").arg(memberId));
    return out;
}

QHash<QString, int> requiredSigsPerMember(const LoginMessage& message)
{
    QHash<QString, int> out;
    for (const MemberRequirement& m : message.members)
        out.insert(m.id, m.cardinaliteMinimale);
    return out;
}

QHash<QString, QString> buildPubkeyToPair(const LoginMessage& message)
{
    QHash<QString, QString> out;
    for (const MemberRequirement& m : message.members)
        for (const PairRef& p : m.pairs)
            out.insert(p.pubkey, p.pair);
    return out;
}

QHash<QString, QStringList> buildPairToMembers(const LoginMessage& message)
{
    QHash<QString, QStringList> out;
    for (const MemberRequirement& m : message.members)
        for (const PairRef& p : m.pairs)
            out[p.pair].append(m.id);
    return out;
}

bool verifyLoginSignature(const QString& hash, const QString& nonce, const LoginSignature& signature)
{
    const auto pub = fromHex<32>(signature.pubkey);
    const auto sig = fromHex<64>(signature.sig);
    if (!pub || !sig)
        return false;
    const Bytes32 digest = loginSigningDigest(hash, nonce);
    return schnorr::verify(*pub, QByteArrayView(reinterpret_cast<const char*>(digest.data()), 32), *sig);
}

QList<LoginSignature> mapMsgSignaturesToProofFormat(const Challenge& challenge, const QList<LoginSignature>& candidates)
{
    const QHash<QString, QString> pubkeyToPair = buildPubkeyToPair(challenge.message);
    const QHash<QString, QStringList> pairToMembers = buildPairToMembers(challenge.message);
    QSet<QString> seen; // member + '\n' + pair
    QList<LoginSignature> out;
    for (const LoginSignature& c : candidates) {
        // The key must be the one the message gives this pair, and the pair must belong to the claimed member.
        if (pubkeyToPair.value(c.pubkey) != c.pair || !pairToMembers.value(c.pair).contains(c.member))
            continue;
        const QString key = c.member + QLatin1Char('\n') + c.pair;
        if (seen.contains(key))
            continue;
        if (!verifyLoginSignature(challenge.hash, challenge.nonce(), c))
            continue;
        seen.insert(key);
        out.append(c);
    }
    std::sort(out.begin(), out.end(), [](const LoginSignature& a, const LoginSignature& b) {
        return std::tie(a.member, a.pair) < std::tie(b.member, b.pair);
    });
    return out;
}

bool hasEnoughSignatures(const LoginMessage& message, const QList<LoginSignature>& signatures)
{
    QHash<QString, QSet<QString>> pairsByMember;
    for (const LoginSignature& s : signatures)
        pairsByMember[s.member].insert(s.pair);
    const QHash<QString, int> required = requiredSigsPerMember(message);
    for (auto it = required.cbegin(); it != required.cend(); ++it)
        if (pairsByMember.value(it.key()).size() < it.value())
            return false;
    return true;
}

bool hasRemoteSignatures(const QList<LoginSignature>& signatures, const QSet<QString>& localPairs)
{
    return std::any_of(signatures.cbegin(), signatures.cend(),
                       [&](const LoginSignature& s) { return !localPairs.contains(s.pair); });
}

} // namespace uw
