// signChallenge and the helpers that decide whether a login has enough signatures.
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "login/LoginValidation.h"
#include "support/TestIdentity.h"

#include <QTest>

using namespace uw;
using namespace uw::test;

class TestLoginValidation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void signedDataIsHashDashNonce();
    void signsOnlyThisMembersLocalPairs();
    void signRefusesWithoutLocalPair();
    void lookupTables();
    void mapDropsWhatMustNotCount();
    void enoughSignaturesNeedsDistinctPairs();
    void remoteSignatures();

private:
    TestPair m_a1, m_a2, m_a3, m_b1;
    Challenge m_challenge;
};

void TestLoginValidation::init()
{
    m_a1 = makePair();
    m_a2 = makePair();
    m_a3 = makePair();
    m_b1 = makePair();
    m_challenge = makeChallenge(
        {makeMember(QStringLiteral("alice"), 2, {m_a1, m_a2, m_a3}), makeMember(QStringLiteral("bob"), 1, {m_b1})},
        1'700'000'000);
}

void TestLoginValidation::signedDataIsHashDashNonce()
{
    const Bytes32 digest = loginSigningDigest(QStringLiteral("ab"), QStringLiteral("cd"));
    QCOMPARE(toHex(digest), toHex(Sha256::hash("ab-cd")));
    const KeyRing ring = makeRing({m_a1});
    const auto sigs = signChallenge(m_challenge, QStringLiteral("alice"), ring).value();
    QCOMPARE(sigs.size(), 1);
    // Verify independently of verifyLoginSignature: BIP340 over SHA-256(utf8(hash-nonce)).
    const Bytes32 expected =
        Sha256::hash(QString(m_challenge.hash + QStringLiteral("-") + m_challenge.nonce()).toUtf8());
    QVERIFY(schnorr::verify(fromHex<32>(m_a1.pubkey).value(),
                            QByteArrayView(reinterpret_cast<const char*>(expected.data()), 32),
                            fromHex<64>(sigs[0].sig).value()));
    QCOMPARE(sigs[0].member, QStringLiteral("alice"));
    QCOMPARE(sigs[0].pair, m_a1.pair);
    QCOMPARE(sigs[0].pubkey, m_a1.pubkey);
}

void TestLoginValidation::signsOnlyThisMembersLocalPairs()
{
    // The device holds alice's a1, a2 and bob's b1: logging in for alice signs a1 and a2 only.
    const KeyRing ring = makeRing({m_a1, m_a2, m_b1});
    const auto sigs = signChallenge(m_challenge, QStringLiteral("alice"), ring).value();
    QCOMPARE(sigs.size(), 2);
    for (const LoginSignature& s : sigs) {
        QCOMPARE(s.member, QStringLiteral("alice"));
        QVERIFY(s.pair == m_a1.pair || s.pair == m_a2.pair);
        QVERIFY(verifyLoginSignature(m_challenge.hash, m_challenge.nonce(), s));
    }
}

void TestLoginValidation::signRefusesWithoutLocalPair()
{
    const KeyRing ring = makeRing({m_b1});
    auto r = signChallenge(m_challenge, QStringLiteral("alice"), ring);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("no_local_pair"));
    auto unknown = signChallenge(m_challenge, QStringLiteral("carol"), ring);
    QVERIFY(!unknown.ok());
    QCOMPARE(unknown.error().code, QStringLiteral("member_not_in_message"));
}

void TestLoginValidation::lookupTables()
{
    const auto required = requiredSigsPerMember(m_challenge.message);
    QCOMPARE(required.size(), 2);
    QCOMPARE(required.value(QStringLiteral("alice")), 2);
    QCOMPARE(required.value(QStringLiteral("bob")), 1);
    const auto byKey = buildPubkeyToPair(m_challenge.message);
    QCOMPARE(byKey.size(), 4);
    QCOMPARE(byKey.value(m_a2.pubkey), m_a2.pair);
    QCOMPARE(byKey.value(m_b1.pubkey), m_b1.pair);

    // A pair shared by two members maps to both.
    const Challenge shared = makeChallenge(
        {makeMember(QStringLiteral("alice"), 1, {m_a1}), makeMember(QStringLiteral("office"), 1, {m_a1, m_b1})},
        1'700'000'000);
    const auto members = buildPairToMembers(shared.message);
    QCOMPARE(members.value(m_a1.pair), (QStringList{QStringLiteral("alice"), QStringLiteral("office")}));
    QCOMPARE(members.value(m_b1.pair), QStringList{QStringLiteral("office")});
}

void TestLoginValidation::mapDropsWhatMustNotCount()
{
    const auto good = signChallenge(m_challenge, QStringLiteral("alice"), makeRing({m_a1})).value().first();
    const auto bob = signChallenge(m_challenge, QStringLiteral("bob"), makeRing({m_b1})).value().first();

    LoginSignature forged = good;
    forged.pair = m_a2.pair; // claims a2 with a1's key and signature
    LoginSignature wrongKey = good;
    wrongKey.pubkey = m_a2.pubkey; // a2's key with a1's signature: does not verify
    wrongKey.pair = m_a2.pair;
    LoginSignature wrongMember = bob;
    wrongMember.member = QStringLiteral("alice"); // bob's pair is not alice's
    LoginSignature unknownMember = good;
    unknownMember.member = QStringLiteral("mallory");
    const TestPair stranger = makePair();
    LoginSignature strangerSig = good;
    strangerSig.pair = stranger.pair;
    strangerSig.pubkey = stranger.pubkey;
    // A valid signature of another challenge (replayed from another login).
    const Challenge other = makeChallenge({makeMember(QStringLiteral("alice"), 2, {m_a1, m_a2, m_a3})}, 1'700'000'000);
    const auto replayed = signChallenge(other, QStringLiteral("alice"), makeRing({m_a3})).value().first();
    LoginSignature badHex = good;
    badHex.sig = QStringLiteral("zz");

    const auto mapped = mapMsgSignaturesToProofFormat(
        m_challenge, {good, forged, wrongKey, wrongMember, unknownMember, strangerSig, replayed, badHex, good, bob});
    QCOMPARE(mapped.size(), 2);
    QVERIFY(mapped.contains(good));
    QVERIFY(mapped.contains(bob));
}

void TestLoginValidation::enoughSignaturesNeedsDistinctPairs()
{
    const auto a1 = signChallenge(m_challenge, QStringLiteral("alice"), makeRing({m_a1})).value().first();
    const auto a2 = signChallenge(m_challenge, QStringLiteral("alice"), makeRing({m_a2})).value().first();
    const auto b1 = signChallenge(m_challenge, QStringLiteral("bob"), makeRing({m_b1})).value().first();
    // A second, different signature by the same pair (fresh aux randomness) is still one pair.
    const auto a1again = signChallenge(m_challenge, QStringLiteral("alice"), makeRing({m_a1})).value().first();
    QVERIFY(a1.sig != a1again.sig);
    QVERIFY(!hasEnoughSignatures(m_challenge.message, {a1, a1again, b1}));
    QVERIFY(!hasEnoughSignatures(m_challenge.message, {a1, a2}));
    QVERIFY(hasEnoughSignatures(m_challenge.message, {a1, a2, b1}));
    QCOMPARE(mapMsgSignaturesToProofFormat(m_challenge, {a1, a1again}).size(), 1);
}

void TestLoginValidation::remoteSignatures()
{
    const auto a1 = signChallenge(m_challenge, QStringLiteral("alice"), makeRing({m_a1})).value().first();
    const auto a2 = signChallenge(m_challenge, QStringLiteral("alice"), makeRing({m_a2})).value().first();
    const QSet<QString> local{m_a1.pair};
    QVERIFY(!hasRemoteSignatures({a1}, local));
    QVERIFY(hasRemoteSignatures({a1, a2}, local));
    QVERIFY(!hasRemoteSignatures({}, local));
}

QTEST_GUILESS_MAIN(TestLoginValidation)
#include "test_login_validation.moc"
