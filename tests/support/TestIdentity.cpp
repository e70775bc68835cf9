#include "support/TestIdentity.h"

#include "crypto/Schnorr.h"

#include <QUuid>

namespace uw::test {

TestPair makePair()
{
    TestPair p;
    p.secret = std::make_shared<SecretKey>(schnorr::generateSecretKey());
    p.pubkey = toHex(schnorr::xOnlyPublicKey(*p.secret).value());
    p.pair = QUuid::createUuid().toString(QUuid::WithoutBraces);
    return p;
}

MemberRequirement makeMember(const QString& id, int cardinality, const QList<TestPair>& pairs,
                             const QStringList& dependsOn)
{
    MemberRequirement m{id, cardinality, dependsOn, {}};
    for (const TestPair& p : pairs)
        m.pairs.append(PairRef{p.pair, p.pubkey});
    return m;
}

KeyRing makeRing(const QList<TestPair>& pairs)
{
    KeyRing ring;
    for (const TestPair& p : pairs)
        ring.add(p.pair, p.pubkey, SecretKey(p.secret->data()));
    return ring;
}

Challenge makeChallenge(const QList<MemberRequirement>& members, std::int64_t now, bool strict, const QString& callback)
{
    ManualClock clock(now);
    ChallengeRequest req{QStringLiteral("demo-service"), callback, members, strict, 300};
    auto c = buildChallenge(req, clock);
    if (!c)
        qFatal("makeChallenge: %s", qPrintable(c.error().message));
    return std::move(*c);
}

} // namespace uw::test
