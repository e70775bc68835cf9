// The login message: challenge building, hashing and the strict parser of untrusted messages.
#include "crypto/Sha256.h"
#include "identity/MemberDocument.h"
#include "login/Challenge.h"
#include "support/TestIdentity.h"

#include "json/CanonicalJson.h"
#include <QJsonArray>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestLoginMessage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void challengeIsFreshAndHashed();
    void roundTrip();
    void refusesMalformed_data();
    void refusesMalformed();
    void refusesControlCharacters();
    void refusesNamesThatDeceiveTheEye_data();
    void refusesNamesThatDeceiveTheEye();
    void refusesOversize();
    void callbackRules_data();
    void callbackRules();

private:
    QJsonObject validJson() const;
    TestPair m_a, m_b;
};

void TestLoginMessage::initTestCase()
{
    m_a = makePair();
    m_b = makePair();
}

QJsonObject TestLoginMessage::validJson() const
{
    return makeChallenge({makeMember(QStringLiteral("alice"), 1, {m_a, m_b})}, 1'700'000'000).message.toJson();
}

void TestLoginMessage::challengeIsFreshAndHashed()
{
    ManualClock clock(1'700'000'000);
    ChallengeRequest req{QStringLiteral("svc"),
                         QStringLiteral("https://svc.example/cb"),
                         {makeMember(QStringLiteral("alice"), 1, {m_a})},
                         true,
                         300};
    const Challenge c1 = buildChallenge(req, clock).value();
    const Challenge c2 = buildChallenge(req, clock).value();
    QCOMPARE(c1.message.createdAt, 1'700'000'000);
    QCOMPARE(c1.message.expiresAt, 1'700'000'300);
    QVERIFY(isLowerHex(c1.nonce(), 32));
    QVERIFY2(c1.nonce() != c2.nonce(), "each challenge draws a new nonce");
    QCOMPARE(c1.hash, Sha256::hashHex(json::canonicalize(c1.message.toJson()).value()));
    QVERIFY(
        c1.canonical.startsWith("{\"callback\":\"https://svc.example/cb\",\"created_at\":1700000000,\"expires_at\":"));
    // The hash follows the nonce: same request, different hash.
    QVERIFY(c1.hash != c2.hash);
}

void TestLoginMessage::roundTrip()
{
    const QJsonObject json = validJson();
    auto parsed = LoginMessage::fromJson(json);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->toJson(), json);
}

void TestLoginMessage::refusesMalformed_data()
{
    QTest::addColumn<QJsonObject>("message");
    const QJsonObject ok = validJson();
    auto with = [&](const QString& key, const QJsonValue& v) {
        QJsonObject o = ok;
        o.insert(key, v);
        return o;
    };
    auto withMember = [&](const QString& key, const QJsonValue& v) {
        QJsonObject o = ok;
        QJsonArray members = o.value(QStringLiteral("members")).toArray();
        QJsonObject m = members[0].toObject();
        if (v.isUndefined())
            m.remove(key);
        else
            m.insert(key, v);
        members[0] = m;
        o.insert(QStringLiteral("members"), members);
        return o;
    };
    QJsonObject missing = ok;
    missing.remove(QStringLiteral("nonce"));
    const QJsonObject pair0 = ok.value(QStringLiteral("members"))
                                  .toArray()[0]
                                  .toObject()
                                  .value(QStringLiteral("pairs"))
                                  .toArray()[0]
                                  .toObject();

    QTest::newRow("extra field") << with(QStringLiteral("extra"), 1);
    QTest::newRow("missing nonce") << missing;
    QTest::newRow("version 2") << with(QStringLiteral("v"), 2);
    QTest::newRow("type") << with(QStringLiteral("type"), QStringLiteral("payment"));
    QTest::newRow("nonce upper-case") << with(QStringLiteral("nonce"),
                                              QStringLiteral("ABCDEF0123456789ABCDEF0123456789"));
    QTest::newRow("nonce short") << with(QStringLiteral("nonce"), QStringLiteral("abcd"));
    QTest::newRow("created_at float") << with(QStringLiteral("created_at"), 1.5);
    QTest::newRow("created_at string") << with(QStringLiteral("created_at"), QStringLiteral("1700000000"));
    QTest::newRow("expires before created") << with(QStringLiteral("expires_at"), 1'600'000'000);
    QTest::newRow("strict not bool") << with(QStringLiteral("strict"), 1);
    QTest::newRow("empty service") << with(QStringLiteral("service"), QString());
    QTest::newRow("no members") << with(QStringLiteral("members"), QJsonArray());
    QTest::newRow("cardinality 0") << withMember(QStringLiteral("cardinalite_minimale"), 0);
    QTest::newRow("cardinality above pairs") << withMember(QStringLiteral("cardinalite_minimale"), 3);
    QTest::newRow("depends_on not array") << withMember(QStringLiteral("depends_on"), QStringLiteral("bob"));
    QTest::newRow("depends on itself") << withMember(QStringLiteral("depends_on"), QJsonArray{QStringLiteral("alice")});
    QTest::newRow("member missing pairs") << withMember(QStringLiteral("pairs"), QJsonValue(QJsonValue::Undefined));
    QTest::newRow("duplicate pair") << withMember(QStringLiteral("pairs"), QJsonArray{pair0, pair0});
    QJsonObject badUuid = pair0;
    badUuid.insert(QStringLiteral("pair"), QStringLiteral("NOT-A-UUID"));
    QTest::newRow("bad uuid") << withMember(QStringLiteral("pairs"), QJsonArray{badUuid});
    QJsonObject offCurve = pair0;
    // x = 0xEEFD...: BIP340 vector 5's public key, not on the curve.
    offCurve.insert(QStringLiteral("pubkey"),
                    QStringLiteral("eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34"));
    QTest::newRow("key not on curve") << withMember(QStringLiteral("pairs"), QJsonArray{offCurve});
    QJsonArray twoMembers = ok.value(QStringLiteral("members")).toArray();
    twoMembers.append(twoMembers[0]);
    QTest::newRow("member twice") << with(QStringLiteral("members"), twoMembers);
}

void TestLoginMessage::refusesMalformed()
{
    QFETCH(QJsonObject, message);
    auto parsed = LoginMessage::fromJson(message);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, QStringLiteral("invalid_message"));
    QVERIFY(!parsed.error().message.isEmpty());
}

void TestLoginMessage::refusesControlCharacters()
{
    const QStringList bads{QStringLiteral("svc\n"), QStringLiteral("s\tvc"),
                           QString(QChar(0x85)) + QStringLiteral("svc"), QStringLiteral("svc") + QChar(0x7f)};
    for (const QString& bad : bads) {
        QJsonObject o = validJson();
        o.insert(QStringLiteral("service"), bad);
        auto parsed = LoginMessage::fromJson(o);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(QStringLiteral("control characters")),
                 qPrintable(parsed.error().message));
    }
    QJsonObject accented = validJson();
    accented.insert(QStringLiteral("service"), QStringLiteral("Étude notariale — Lyon"));
    QVERIFY(LoginMessage::fromJson(accented).ok());
}

void TestLoginMessage::refusesNamesThatDeceiveTheEye_data()
{
    // A person compares the service and the member on screen: what they see must be what is signed.
    QTest::addColumn<QString>("field"); // service, member or depends_on
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("why"); // a phrase of the reason; empty: accepted
    const QString rlo = QString(QChar(0x202E));
    QTest::newRow("right-to-left override in the service")
        << QStringLiteral("service") << QStringLiteral("lecoffre") + rlo + QStringLiteral("lanigiro")
        << QStringLiteral("invisible");
    QTest::newRow("right-to-left isolate in the member")
        << QStringLiteral("member") << QStringLiteral("al") + QChar(0x2067) + QStringLiteral("ice")
        << QStringLiteral("invisible");
    QTest::newRow("zero-width space in the member")
        << QStringLiteral("member") << QStringLiteral("ali") + QChar(0x200B) + QStringLiteral("ce")
        << QStringLiteral("invisible");
    QTest::newRow("zero-width joiner in the service")
        << QStringLiteral("service") << QStringLiteral("le") + QChar(0x200D) + QStringLiteral("coffre")
        << QStringLiteral("invisible");
    QTest::newRow("byte order mark before the service")
        << QStringLiteral("service") << QString(QChar(0xFEFF)) + QStringLiteral("lecoffre")
        << QStringLiteral("invisible");
    QTest::newRow("line separator") << QStringLiteral("service")
                                    << QStringLiteral("le") + QChar(0x2028) + QStringLiteral("coffre")
                                    << QStringLiteral("invisible");
    QTest::newRow("private use") << QStringLiteral("member") << QStringLiteral("alice") + QChar(0xE000)
                                 << QStringLiteral("invisible");
    QTest::newRow("Cyrillic a in alice") << QStringLiteral("member") << QString(QChar(0x0430)) + QStringLiteral("lice")
                                         << QStringLiteral("look alike");
    QTest::newRow("Greek omicron in lecoffre")
        << QStringLiteral("service") << QStringLiteral("lec") + QChar(0x03BF) + QStringLiteral("ffre")
        << QStringLiteral("look alike");
    QTest::newRow("Cyrillic in a dependency")
        << QStringLiteral("depends_on") << QStringLiteral("b") + QChar(0x043E) + QStringLiteral("b")
        << QStringLiteral("look alike");
    // What a person reads as it is: one script, accents, other scripts alone, digits and signs.
    QTest::newRow("accents") << QStringLiteral("service") << QStringLiteral("Étude notariale — Lyon") << QString();
    QTest::newRow("all Cyrillic") << QStringLiteral("member") << QStringLiteral("мария") << QString();
    QTest::newRow("Greek alone") << QStringLiteral("service") << QStringLiteral("συμβολαιογράφος 2") << QString();
    QTest::newRow("Latin and Japanese") << QStringLiteral("service") << QStringLiteral("Notaire 東京") << QString();
}

void TestLoginMessage::refusesNamesThatDeceiveTheEye()
{
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QString, why);
    QJsonObject o = validJson();
    QJsonArray members = o.value(QStringLiteral("members")).toArray();
    QJsonObject m = members[0].toObject();
    if (field == QLatin1String("service")) {
        o.insert(QStringLiteral("service"), text);
    } else if (field == QLatin1String("member")) {
        m.insert(QStringLiteral("id"), text);
    } else {
        QJsonObject other = m;
        other.insert(QStringLiteral("id"), text);
        m.insert(QStringLiteral("depends_on"), QJsonArray{text});
        members.append(other); // the same pairs under another member: allowed
    }
    members[0] = m;
    o.insert(QStringLiteral("members"), members);
    auto parsed = LoginMessage::fromJson(o);
    if (why.isEmpty()) {
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
        return;
    }
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, QStringLiteral("invalid_message"));
    QVERIFY2(parsed.error().message.contains(why), qPrintable(parsed.error().message));
    // The same rules hold for the member document, whose id a person reads on every screen.
    if (field == QLatin1String("member")) {
        const MemberDocument doc{text, QStringLiteral("Alice"), 1, {}};
        QVERIFY(!MemberDocument::fromJson(doc.toJson()).ok());
    }
}

void TestLoginMessage::refusesOversize()
{
    QList<TestPair> pairs;
    for (int i = 0; i < 700; ++i)
        pairs.append(makePair());
    QList<MemberRequirement> members{makeMember(QStringLiteral("big"), 1, pairs)};
    ManualClock clock;
    auto c = buildChallenge(
        ChallengeRequest{QStringLiteral("svc"), QStringLiteral("https://s.example/"), members, true, 300}, clock);
    QVERIFY(!c.ok());
    QVERIFY2(c.error().message.contains(QStringLiteral("64 KiB")), qPrintable(c.error().message));
    pairs.resize(400); // ~ 44 KiB
    members = {makeMember(QStringLiteral("big"), 1, pairs)};
    QVERIFY(
        buildChallenge(
            ChallengeRequest{QStringLiteral("svc"), QStringLiteral("https://s.example/"), members, true, 300}, clock)
            .ok());
}

void TestLoginMessage::callbackRules_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("https") << QStringLiteral("https://lecoffre.example/login/callback") << true;
    QTest::newRow("http loopback v4") << QStringLiteral("http://127.0.0.1:8080/cb") << true;
    QTest::newRow("http loopback 127.0.0.2") << QStringLiteral("http://127.0.0.2:3004/cb") << true;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:3000/cb") << true;
    QTest::newRow("http loopback v6") << QStringLiteral("http://[::1]:8080/cb") << true;
    QTest::newRow("http remote") << QStringLiteral("http://lecoffre.example/cb") << false;
    QTest::newRow("http private lan") << QStringLiteral("http://192.168.1.10/cb") << false;
    QTest::newRow("localhost lookalike") << QStringLiteral("http://localhost.evil.example/cb") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://lecoffre.example/cb") << false;
    QTest::newRow("javascript") << QStringLiteral("javascript:alert(1)") << false;
    QTest::newRow("userinfo") << QStringLiteral("https://user:pw@lecoffre.example/cb") << false;
    QTest::newRow("garbage") << QStringLiteral("not a url") << false;
}

void TestLoginMessage::callbackRules()
{
    QFETCH(QString, url);
    QFETCH(bool, accepted);
    QCOMPARE(validate::callbackUrl(url).ok(), accepted);
    QJsonObject o = validJson();
    o.insert(QStringLiteral("callback"), url);
    QCOMPARE(LoginMessage::fromJson(o).ok(), accepted);
}

QTEST_GUILESS_MAIN(TestLoginMessage)
#include "test_login_message.moc"
