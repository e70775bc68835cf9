#pragma once

#include "identity/KeyRing.h"
#include "login/Challenge.h"

namespace uw::test {

/// A device key made in memory for tests: a pair UUID, its secret and public key.
struct TestPair
{
    QString pair;
    QString pubkey;
    std::shared_ptr<SecretKey> secret;
};

TestPair makePair();

/// A member requirement over the given pairs.
MemberRequirement makeMember(const QString& id, int cardinality, const QList<TestPair>& pairs,
                             const QStringList& dependsOn = {});

/// A key ring holding the given pairs' secrets.
KeyRing makeRing(const QList<TestPair>& pairs);

/// A fixed, valid challenge for `members` created at `now` (lifetime 300 s).
Challenge makeChallenge(const QList<MemberRequirement>& members, std::int64_t now, bool strict = true,
                        const QString& callback = QStringLiteral("https://service.example/callback"));

} // namespace uw::test
