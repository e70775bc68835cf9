// A service's own record of a login (the login request) against the message inside a proof: the
// message is written by device 1, so a proof that verifies proves only what the record confirms.
#include "login/LoginRequest.h"
#include "support/TestIdentity.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {
constexpr qint64 kNow = 1'700'000'000;

QJsonObject memberJson(const MemberRequirement& m)
{
    QJsonArray pairs;
    for (const PairRef& p : m.pairs)
        pairs.append(QJsonObject{{QStringLiteral("pair"), p.pair}, {QStringLiteral("pubkey"), p.pubkey}});
    return QJsonObject{{QStringLiteral("id"), m.id},
                       {QStringLiteral("cardinalite_minimale"), m.cardinaliteMinimale},
                       {QStringLiteral("depends_on"), QJsonArray::fromStringList(m.dependsOn)},
                       {QStringLiteral("pairs"), pairs}};
}
} // namespace

class TestLoginRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void parseIsStrict_data();
    void parseIsStrict();
    void check_data();
    void check();

private:
    QJsonObject record() const;
    TestPair m_a1, m_a2, m_b1, m_stranger;
};

void TestLoginRequest::initTestCase()
{
    m_a1 = makePair();
    m_a2 = makePair();
    m_b1 = makePair();
    m_stranger = makePair();
}

QJsonObject TestLoginRequest::record() const
{
    return QJsonObject{
        {QStringLiteral("v"), 1},
        {QStringLiteral("type"), QStringLiteral("login-request")},
        {QStringLiteral("service"), QStringLiteral("demo-service")},
        {QStringLiteral("callback"), QStringLiteral("https://service.example/callback")},
        {QStringLiteral("members"),
         QJsonArray{memberJson(makeMember(QStringLiteral("alice"), 2, {m_a1, m_a2})),
                    memberJson(makeMember(QStringLiteral("bob"), 1, {m_b1}, {QStringLiteral("alice")}))}},
        {QStringLiteral("strict"), true},
        {QStringLiteral("ttl"), 360}};
}

void TestLoginRequest::parseIsStrict_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value"); // Undefined: remove the field
    QTest::addColumn<bool>("valid");

    QTest::newRow("the record") << QString() << QJsonValue() << true;
    QTest::newRow("ttl may be left out") << "ttl" << QJsonValue(QJsonValue::Undefined) << true;
    QTest::newRow("no members") << "members" << QJsonValue(QJsonArray{}) << false;
    QTest::newRow("members missing") << "members" << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("wrong type") << "type" << QJsonValue(QStringLiteral("login")) << false;
    QTest::newRow("v 2") << "v" << QJsonValue(2) << false;
    QTest::newRow("v 1.5") << "v" << QJsonValue(1.5) << false;
    QTest::newRow("unknown field") << "extra" << QJsonValue(true) << false;
    QTest::newRow("outside http callback")
        << "callback" << QJsonValue(QStringLiteral("http://shop.example/cb")) << false;
    QTest::newRow("service with a newline") << "service" << QJsonValue(QStringLiteral("a\nb")) << false;
    QTest::newRow("ttl above the verifier's maximum") << "ttl" << QJsonValue(601) << false;
    QTest::newRow("ttl zero") << "ttl" << QJsonValue(0) << false;
    QTest::newRow("strict as text") << "strict" << QJsonValue(QStringLiteral("true")) << false;
}

void TestLoginRequest::parseIsStrict()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(bool, valid);
    QJsonObject o = record();
    if (value.isUndefined())
        o.remove(field);
    else if (!field.isEmpty())
        o.insert(field, value);
    const auto parsed = LoginRequest::fromBytes(QJsonDocument(o).toJson());
    QCOMPARE(parsed.ok(), valid);
    if (!valid) {
        QCOMPARE(parsed.error().code, QStringLiteral("invalid_request"));
        QVERIFY(parsed.error().message.startsWith(QStringLiteral("Invalid login request: ")));
    }
}

void TestLoginRequest::check_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("the message the record asks for") << "" << true;
    QTest::newRow("alice's devices in another order") << "reordered" << true;
    QTest::newRow("another service") << "service" << false;
    QTest::newRow("another callback") << "callback" << false;
    QTest::newRow("alice 1-of-2") << "weaker" << false;
    QTest::newRow("a stranger's key as alice's device") << "stranger" << false;
    QTest::newRow("bob left out") << "no-bob" << false;
    QTest::newRow("mallory added") << "mallory" << false;
    QTest::newRow("bob's dependency dropped") << "no-dependency" << false;
    QTest::newRow("not strict") << "not-strict" << false;
    QTest::newRow("open longer than the record's ttl") << "long" << false;
}

void TestLoginRequest::check()
{
    QFETCH(QString, change);
    QFETCH(bool, accepted);
    const LoginRequest request = LoginRequest::fromJson(record()).value();

    MemberRequirement alice = makeMember(QStringLiteral("alice"), 2, {m_a1, m_a2});
    MemberRequirement bob = makeMember(QStringLiteral("bob"), 1, {m_b1}, {QStringLiteral("alice")});
    QString callback = QStringLiteral("https://service.example/callback");
    bool strict = true;
    if (change == QLatin1String("reordered"))
        alice = makeMember(QStringLiteral("alice"), 2, {m_a2, m_a1});
    if (change == QLatin1String("weaker"))
        alice.cardinaliteMinimale = 1;
    if (change == QLatin1String("stranger"))
        alice = makeMember(QStringLiteral("alice"), 2, {m_a1, m_stranger});
    if (change == QLatin1String("no-dependency"))
        bob.dependsOn.clear();
    if (change == QLatin1String("callback"))
        callback = QStringLiteral("https://elsewhere.example/callback");
    if (change == QLatin1String("not-strict"))
        strict = false;
    QList<MemberRequirement> members{alice, bob};
    if (change == QLatin1String("no-bob"))
        members = {alice};
    if (change == QLatin1String("mallory"))
        members.append(makeMember(QStringLiteral("mallory"), 1, {m_stranger}));
    LoginMessage message = makeChallenge(members, kNow, strict, callback).message;
    if (change == QLatin1String("service"))
        message.service = QStringLiteral("another-service");
    if (change == QLatin1String("long"))
        message.expiresAt = message.createdAt + 361;

    const auto verdict = request.check(message);
    QCOMPARE(verdict.ok(), accepted);
    if (!accepted) {
        QCOMPARE(verdict.error().code, QStringLiteral("expectation_mismatch"));
        QVERIFY(!verdict.error().message.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestLoginRequest)
#include "test_login_request.moc"
