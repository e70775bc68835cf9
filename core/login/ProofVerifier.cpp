#include "login/ProofVerifier.h"

#include "crypto/Sha256.h"
#include "login/LoginValidation.h"

namespace uw {

namespace {

Error fail(const char* code, const QString& message)
{
    return makeError(QString::fromLatin1(code), message);
}

} // namespace

Result<void> ProofVerifier::verify(const Proof& proof, const Clock& clock, std::int64_t maxValiditySeconds)
{
    const LoginMessage& msg = proof.message;
    auto canonical = msg.canonical();
    if (!canonical)
        return canonical.error();
    if (Sha256::hashHex(*canonical) != proof.hash)
        return fail("hash_mismatch", QStringLiteral("The hash is not the SHA-256 of the message's canonical JSON."));
    if (proof.nonce != msg.nonce)
        return fail("nonce_mismatch", QStringLiteral("The proof's nonce is not the message's nonce."));

    if (msg.expiresAt - msg.createdAt > maxValiditySeconds)
        return fail("validity_too_long",
                    QStringLiteral("The login would stay valid for %1 s; at most %2 s is accepted.")
                        .arg(msg.expiresAt - msg.createdAt)
                        .arg(maxValiditySeconds));

    const std::int64_t now = clock.nowSeconds();
    if (now > msg.expiresAt)
        return fail("expired", QStringLiteral("The login expired %1 seconds ago.").arg(now - msg.expiresAt));
    if (msg.createdAt > now + kMaxClockSkewSeconds)
        return fail(
            "not_yet_valid",
            QStringLiteral("The login was created in the future (clock skew of %1 s).").arg(msg.createdAt - now));

    const QHash<QString, QString> pubkeyToPair = buildPubkeyToPair(msg);
    const QHash<QString, QStringList> pairToMembers = buildPairToMembers(msg);
    QHash<QString, QSet<QString>> pairsByMember;
    for (const LoginSignature& s : proof.signatures) {
        const bool authorized =
            pubkeyToPair.value(s.pubkey) == s.pair && pairToMembers.value(s.pair).contains(s.member);
        if (!authorized) {
            if (msg.strict)
                return fail("unauthorized_key",
                            QStringLiteral("The signature of pair %1 for member \"%2\" is not from an "
                                           "authorized pair of that member.")
                                .arg(s.pair, s.member));
            continue;
        }
        if (!verifyLoginSignature(proof.hash, proof.nonce, s)) {
            if (msg.strict)
                return fail(
                    "signature_invalid",
                    QStringLiteral("The signature of pair %1 (member \"%2\") does not verify.").arg(s.pair, s.member));
            continue;
        }
        pairsByMember[s.member].insert(s.pair);
    }

    for (const MemberRequirement& m : msg.members) {
        const auto have = pairsByMember.value(m.id).size();
        if (have < m.cardinaliteMinimale)
            return fail("insufficient_signatures",
                        QStringLiteral("Member \"%1\" has %2 valid signature(s) from distinct "
                                       "devices; %3 are required.")
                            .arg(m.id)
                            .arg(have)
                            .arg(m.cardinaliteMinimale));
    }
    for (const MemberRequirement& m : msg.members) {
        for (const QString& dep : m.dependsOn) {
            const MemberRequirement* d = msg.member(dep);
            if (!d || pairsByMember.value(dep).size() < d->cardinaliteMinimale)
                return fail("dependency_unsatisfied", QStringLiteral("Member \"%1\" depends on \"%2\", which %3.")
                                                          .arg(m.id, dep,
                                                               d ? QStringLiteral("has not signed enough")
                                                                 : QStringLiteral("is not part of the login path")));
        }
    }
    return {};
}

} // namespace uw
