// Proof verification: each rule has a case that breaks exactly it.
#include "crypto/Sha256.h"
#include "login/LoginValidation.h"
#include "login/ProofVerifier.h"
#include "support/TestIdentity.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {
constexpr std::int64_t kNow = 1'700'000'000;
}

class TestProofVerifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void validProofVerifies();
    void rules_data();
    void rules();
    void nonStrictIgnoresBadSignatures();
    void duplicatesDoNotCountTwice();
    void oneDeviceSigningTwiceCountsOnce();
    void parseIsStrict_data();
    void parseIsStrict();
    void serializationRoundTrip();
    void textsOtherParsersReadDifferentlyAreRefused_data();
    void textsOtherParsersReadDifferentlyAreRefused();

private:
    /// A valid 3-member proof (alice 2-of-3, bob 1, notary 1 depending on alice).
    /// `lifetime` other than 300 s rewrites expires_at and signs the rewritten message.
    Proof validProof(bool strict = true, const QStringList& notaryDependsOn = {QStringLiteral("alice")},
                     std::int64_t lifetime = 300) const;
    TestPair m_a1, m_a2, m_a3, m_b1, m_n1;
};

void TestProofVerifier::initTestCase()
{
    m_a1 = makePair();
    m_a2 = makePair();
    m_a3 = makePair();
    m_b1 = makePair();
    m_n1 = makePair();
}

Proof TestProofVerifier::validProof(bool strict, const QStringList& notaryDependsOn, std::int64_t lifetime) const
{
    Challenge c = makeChallenge({makeMember(QStringLiteral("alice"), 2, {m_a1, m_a2, m_a3}),
                                 makeMember(QStringLiteral("bob"), 1, {m_b1}),
                                 makeMember(QStringLiteral("notary"), 1, {m_n1}, notaryDependsOn)},
                                kNow, strict);
    if (lifetime != 300) {
        LoginMessage longer = c.message;
        longer.expiresAt = longer.createdAt + lifetime;
        c = Challenge::fromMessage(longer).value();
    }
    QList<LoginSignature> sigs;
    sigs += signChallenge(c, QStringLiteral("alice"), makeRing({m_a1, m_a2})).value();
    sigs += signChallenge(c, QStringLiteral("bob"), makeRing({m_b1})).value();
    sigs += signChallenge(c, QStringLiteral("notary"), makeRing({m_n1})).value();
    return Proof{c.message, c.hash, c.nonce(), sigs};
}

void TestProofVerifier::validProofVerifies()
{
    ManualClock clock(kNow + 10);
    const auto r = ProofVerifier::verify(validProof(), clock);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    // A window of exactly the maximum is still a login.
    QVERIFY(
        ProofVerifier::verify(validProof(true, {QStringLiteral("alice")}, ProofVerifier::kMaxValiditySeconds), clock)
            .ok());
}

void TestProofVerifier::rules_data()
{
    QTest::addColumn<QByteArray>("breakage");
    QTest::addColumn<QString>("code");
    QTest::newRow("hash is not the message's") << QByteArray("hash") << QStringLiteral("hash_mismatch");
    QTest::newRow("message edited after signing") << QByteArray("edit-message") << QStringLiteral("hash_mismatch");
    QTest::newRow("nonce differs") << QByteArray("nonce") << QStringLiteral("nonce_mismatch");
    QTest::newRow("open one second too long") << QByteArray("long-window") << QStringLiteral("validity_too_long");
    QTest::newRow("open for ten years") << QByteArray("ten-years") << QStringLiteral("validity_too_long");
    QTest::newRow("expired") << QByteArray("expired") << QStringLiteral("expired");
    QTest::newRow("created in the future") << QByteArray("future") << QStringLiteral("not_yet_valid");
    QTest::newRow("signature does not verify") << QByteArray("bad-sig") << QStringLiteral("signature_invalid");
    QTest::newRow("key not authorized for member") << QByteArray("foreign-key") << QStringLiteral("unauthorized_key");
    QTest::newRow("unknown member") << QByteArray("unknown-member") << QStringLiteral("unauthorized_key");
    QTest::newRow("pubkey is not the pair's") << QByteArray("swapped-key") << QStringLiteral("unauthorized_key");
    QTest::newRow("cardinality not reached") << QByteArray("missing-sig") << QStringLiteral("insufficient_signatures");
    QTest::newRow("dependency outside the path")
        << QByteArray("dependency") << QStringLiteral("dependency_unsatisfied");
}

void TestProofVerifier::rules()
{
    QFETCH(QByteArray, breakage);
    QFETCH(QString, code);
    Proof p = validProof(true, breakage == "dependency" ? QStringList{QStringLiteral("registry")} : QStringList{});
    std::int64_t now = kNow + 10;
    if (breakage == "hash") {
        p.hash = Sha256::hashHex("something else");
    } else if (breakage == "edit-message") {
        p.message.service = QStringLiteral("another-service");
    } else if (breakage == "nonce") {
        p.nonce = QStringLiteral("00000000000000000000000000000000");
    } else if (breakage == "long-window") {
        p = validProof(true, {QStringLiteral("alice")}, ProofVerifier::kMaxValiditySeconds + 1);
    } else if (breakage == "ten-years") {
        p = validProof(true, {QStringLiteral("alice")}, 10 * 365 * 86400LL);
    } else if (breakage == "expired") {
        now = p.message.expiresAt + 1;
    } else if (breakage == "future") {
        now = p.message.createdAt - ProofVerifier::kMaxClockSkewSeconds - 1;
    } else if (breakage == "bad-sig") {
        QString& sig = p.signatures[0].sig;
        sig[10] = sig[10] == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
    } else if (breakage == "foreign-key") {
        p.signatures[0].member = QStringLiteral("bob"); // alice's pair claimed for bob
    } else if (breakage == "unknown-member") {
        p.signatures.append(p.signatures[0]);
        p.signatures.last().member = QStringLiteral("mallory");
    } else if (breakage == "swapped-key") {
        p.signatures[0].pubkey = m_a3.pubkey;
    } else if (breakage == "missing-sig") {
        p.signatures.removeAt(1); // alice now has one of two
    }
    ManualClock clock(now);
    const auto r = ProofVerifier::verify(p, clock);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, code);
    QVERIFY(!r.error().message.isEmpty());
}

void TestProofVerifier::nonStrictIgnoresBadSignatures()
{
    ManualClock clock(kNow);
    Proof p = validProof(/*strict=*/false);
    LoginSignature junk = p.signatures[0];
    junk.sig = QString(128, QLatin1Char('0'));
    LoginSignature foreign = p.signatures[2]; // bob's
    foreign.member = QStringLiteral("alice");
    p.signatures += {junk, foreign};
    QVERIFY(ProofVerifier::verify(p, clock).ok());
    // ... but they never count: without a valid second alice signature the proof fails.
    p.signatures.removeAt(1);
    QCOMPARE(ProofVerifier::verify(p, clock).error().code, QStringLiteral("insufficient_signatures"));
    // The same extra junk in a strict proof fails the whole proof.
    Proof strict = validProof(true);
    strict.signatures.append(junk);
    QVERIFY(!ProofVerifier::verify(strict, clock).ok());
}

void TestProofVerifier::duplicatesDoNotCountTwice()
{
    ManualClock clock(kNow);
    Proof p = validProof();
    p.signatures.removeAt(1);
    p.signatures.insert(1, p.signatures[0]); // a1 twice
    QCOMPARE(ProofVerifier::verify(p, clock).error().code, QStringLiteral("insufficient_signatures"));
}

void TestProofVerifier::oneDeviceSigningTwiceCountsOnce()
{
    // What counts is distinct PAIRS, not distinct signatures: a device that signs twice (BIP340 with
    // fresh auxiliary randomness, so two different byte strings, both valid) is still one device.
    ManualClock clock(kNow);
    const Challenge c = makeChallenge({makeMember(QStringLiteral("alice"), 2, {m_a1, m_a2, m_a3})}, kNow);
    const LoginSignature first = signChallenge(c, QStringLiteral("alice"), makeRing({m_a1})).value().value(0);
    const LoginSignature again = signChallenge(c, QStringLiteral("alice"), makeRing({m_a1})).value().value(0);
    QVERIFY(first.sig != again.sig);
    QCOMPARE(first.pair, again.pair);
    QVERIFY(verifyLoginSignature(c.hash, c.nonce(), first));
    QVERIFY(verifyLoginSignature(c.hash, c.nonce(), again));

    const Proof twice{c.message, c.hash, c.nonce(), {first, again}};
    const auto r = ProofVerifier::verify(twice, clock);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("insufficient_signatures"));
    QVERIFY2(r.error().message.contains(QStringLiteral("has 1 valid signature(s)")), qPrintable(r.error().message));

    // The control: the same first signature with a second device is a login.
    const LoginSignature second = signChallenge(c, QStringLiteral("alice"), makeRing({m_a2})).value().value(0);
    QVERIFY(ProofVerifier::verify(Proof{c.message, c.hash, c.nonce(), {first, second}}, clock).ok());
}

void TestProofVerifier::parseIsStrict_data()
{
    QTest::addColumn<QByteArray>("json");
    const QJsonObject ok = validProof().toJson();
    auto mutate = [&](auto f) {
        QJsonObject o = ok;
        f(o);
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    };
    QTest::newRow("garbage") << QByteArray("not json");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("extra field") << mutate([](QJsonObject& o) { o.insert(QStringLiteral("x"), 1); });
    QTest::newRow("v 2") << mutate([](QJsonObject& o) { o.insert(QStringLiteral("v"), 2); });
    QTest::newRow("hash upper") << mutate(
        [](QJsonObject& o) { o.insert(QStringLiteral("hash"), o.value(QStringLiteral("hash")).toString().toUpper()); });
    QTest::newRow("signatures not array") << mutate([](QJsonObject& o) { o.insert(QStringLiteral("signatures"), 1); });
    QTest::newRow("signature extra field") << mutate([](QJsonObject& o) {
        QJsonArray a = o.value(QStringLiteral("signatures")).toArray();
        QJsonObject s = a[0].toObject();
        s.insert(QStringLiteral("extra"), true);
        a[0] = s;
        o.insert(QStringLiteral("signatures"), a);
    });
    QTest::newRow("sig short") << mutate([](QJsonObject& o) {
        QJsonArray a = o.value(QStringLiteral("signatures")).toArray();
        QJsonObject s = a[0].toObject();
        s.insert(QStringLiteral("sig"), QStringLiteral("abcd"));
        a[0] = s;
        o.insert(QStringLiteral("signatures"), a);
    });
    QTest::newRow("message invalid") << mutate([](QJsonObject& o) {
        QJsonObject m = o.value(QStringLiteral("message")).toObject();
        m.insert(QStringLiteral("service"), QStringLiteral("a\u0000b"));
        o.insert(QStringLiteral("message"), m);
    });
    QTest::newRow("huge") << QByteArray("{\"v\":1,\"x\":\"" + QByteArray(300 * 1024, 'a') + "\"}");
}

void TestProofVerifier::parseIsStrict()
{
    QFETCH(QByteArray, json);
    QVERIFY(!Proof::fromBytes(json).ok());
}

void TestProofVerifier::serializationRoundTrip()
{
    const Proof p = validProof();
    auto parsed = Proof::fromBytes(p.toBytes());
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->message, p.message);
    QCOMPARE(parsed->signatures, p.signatures);
    QCOMPARE(parsed->hash, p.hash);
    ManualClock clock(kNow);
    QVERIFY(ProofVerifier::verify(*parsed, clock).ok());
}

void TestProofVerifier::textsOtherParsersReadDifferentlyAreRefused_data()
{
    // A service reads the proof with its own JSON parser. Any text that two conforming parsers
    // can read as two different proofs must not verify here: we would vouch for one login while
    // the service acts on another.
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("code");
    const QByteArray good = validProof().toBytes();
    auto edited = [&](const QByteArray& from, const QByteArray& to) {
        QByteArray b = good;
        const qsizetype at = b.indexOf(from);
        if (at < 0)
            qFatal("test fixture: %s not in the proof", from.constData());
        return b.replace(at, from.size(), to);
    };
    // Qt's reader used to drop this U+FEFF: the proof verified, while the service read a nonce
    // that starts with U+FEFF and is not the nonce that was signed.
    QTest::newRow("U+FEFF opening the nonce")
        << edited("\"nonce\":\"", "\"nonce\":\"\xEF\xBB\xBF") << QStringLiteral("invalid_message");
    // Last-wins and first-wins parsers read two different hashes.
    QTest::newRow("hash twice") << edited("\"hash\":", "\"hash\":\"" + QByteArray(64, '0') + "\",\"hash\":")
                                << QStringLiteral("duplicate_key");
    QTest::newRow("created_at written 1.0") << edited(QByteArray("\"created_at\":") + QByteArray::number(kNow),
                                                      QByteArray("\"created_at\":") + QByteArray::number(kNow) + ".0")
                                            << QStringLiteral("not_integer");
}

void TestProofVerifier::textsOtherParsersReadDifferentlyAreRefused()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, code);
    auto parsed = Proof::fromBytes(json);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, code);
}

QTEST_GUILESS_MAIN(TestProofVerifier)
#include "test_proof_verifier.moc"
