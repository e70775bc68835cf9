// Device 2 holds a login message to its member document before it signs: a stranger's message
// that asks for fewer devices, lists a device the member does not have, stays open for years or
// comes from a key no member owns is refused with the reason, and nothing is signed.
#include "devices/CoSignPolicy.h"
#include "support/TestIdentity.h"

#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {
constexpr qint64 kNow = 1'700'000'000;
}

class TestCoSignPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void check_data();
    void check();
    void maximumIsASetting();

private:
    TestPair m_bob1, m_bob2, m_carol, m_stranger;
    CoSignPolicy m_policy;
};

void TestCoSignPolicy::initTestCase()
{
    m_bob1 = makePair();
    m_bob2 = makePair();
    m_carol = makePair();
    m_stranger = makePair();
    m_policy.member.id = QStringLiteral("bob");
    m_policy.member.name = QStringLiteral("Bob");
    m_policy.member.cardinaliteMinimale = 2;
    m_policy.member.pairs = {{m_bob1.pair, m_bob1.pubkey}, {m_bob2.pair, m_bob2.pubkey}};
}

void TestCoSignPolicy::check_data()
{
    QTest::addColumn<int>("cardinality");
    QTest::addColumn<QString>("pairs"); // which of bob's pairs the message lists: "12", "2", "2s", "x2"
    // (the message parser already refuses a cardinality above the number of pairs listed)
    QTest::addColumn<qint64>("createdAt");
    QTest::addColumn<qint64>("expiresAt");
    QTest::addColumn<QString>("author"); // "bob1", "carol", "stranger"
    QTest::addColumn<QString>("code");   // empty: may be signed

    QTest::newRow("as the document says") << 2 << "12" << kNow << kNow + 300 << "bob1"
                                          << "";
    QTest::newRow("published by another member's device") << 2 << "12" << kNow << kNow + 300 << "carol"
                                                          << "";
    QTest::newRow("window exactly the maximum") << 2 << "12" << kNow << kNow + 600 << "bob1"
                                                << "";
    QTest::newRow("clock skew of device 1 tolerated") << 2 << "12" << kNow + 30 << kNow + 330 << "bob1"
                                                      << "";

    QTest::newRow("one device where the member needs two") << 1 << "2" << kNow << kNow + 300 << "bob1"
                                                           << "weaker_requirement";
    QTest::newRow("the attack: 1-of-2, device 2 only, ten years, stranger")
        << 1 << "2" << kNow << kNow + 10 * 365 * 86400LL << "stranger"
        << "weaker_requirement";
    QTest::newRow("a stranger's key listed as bob's device") << 2 << "2s" << kNow << kNow + 300 << "bob1"
                                                             << "unknown_pair";
    QTest::newRow("bob's pair id with another key") << 2 << "x2" << kNow << kNow + 300 << "bob1"
                                                    << "unknown_pair";
    QTest::newRow("one second over the maximum") << 2 << "12" << kNow << kNow + 601 << "bob1"
                                                 << "validity_too_long";
    QTest::newRow("ten years") << 2 << "12" << kNow << kNow + 10 * 365 * 86400LL << "bob1"
                               << "validity_too_long";
    QTest::newRow("short window, but a year from now")
        << 2 << "12" << kNow + 365 * 86400LL << kNow + 365 * 86400LL + 300 << "bob1"
        << "validity_too_long";
    QTest::newRow("created in the future, expiring soon") << 2 << "12" << kNow + 500 << kNow + 600 << "bob1"
                                                          << "validity_too_long";
    QTest::newRow("published by a key no member owns") << 2 << "12" << kNow << kNow + 300 << "stranger"
                                                       << "stranger_author";
}

void TestCoSignPolicy::check()
{
    QFETCH(int, cardinality);
    QFETCH(QString, pairs);
    QFETCH(qint64, createdAt);
    QFETCH(qint64, expiresAt);
    QFETCH(QString, author);
    QFETCH(QString, code);

    QList<TestPair> listed;
    if (pairs.contains(QLatin1Char('1')))
        listed.append(m_bob1);
    if (pairs.contains(QLatin1Char('2')))
        listed.append(m_bob2);
    if (pairs.contains(QLatin1Char('s')))
        listed.append(m_stranger);
    if (pairs.contains(QLatin1Char('x'))) { // bob's first pair id, someone else's key
        TestPair forged = m_stranger;
        forged.pair = m_bob1.pair;
        listed.append(forged);
    }
    LoginMessage message = makeChallenge({makeMember(QStringLiteral("bob"), cardinality, listed),
                                          makeMember(QStringLiteral("carol"), 1, {m_carol})},
                                         kNow)
                               .message;
    message.createdAt = createdAt;
    message.expiresAt = expiresAt;
    const QString authorKey = author == QLatin1String("bob1")    ? m_bob1.pubkey
                              : author == QLatin1String("carol") ? m_carol.pubkey
                                                                 : m_stranger.pubkey;

    const auto verdict = m_policy.check(message, authorKey, kNow);
    if (code.isEmpty()) {
        QVERIFY2(verdict.ok(), qPrintable(verdict.ok() ? QString() : verdict.error().message));
    } else {
        QVERIFY(!verdict.ok());
        QCOMPARE(verdict.error().code, code);
        QVERIFY(!verdict.error().message.isEmpty());
    }
}

void TestCoSignPolicy::maximumIsASetting()
{
    LoginMessage message = makeChallenge({makeMember(QStringLiteral("bob"), 2, {m_bob1, m_bob2})}, kNow).message;
    message.expiresAt = kNow + 1800;
    QCOMPARE(m_policy.check(message, m_bob1.pubkey, kNow).error().code, QStringLiteral("validity_too_long"));
    QVERIFY(m_policy.check(message, m_bob1.pubkey, kNow).error().message.contains(QStringLiteral("30 min")));
    CoSignPolicy relaxed = m_policy;
    relaxed.maxValiditySeconds = 3600;
    QVERIFY(relaxed.check(message, m_bob1.pubkey, kNow).ok());
    // The document is what counts, not the message: another member id in the policy is not asked.
    CoSignPolicy other = m_policy;
    other.member.id = QStringLiteral("dave");
    QCOMPARE(other.check(message, m_bob1.pubkey, kNow).error().code, QStringLiteral("member_not_in_login"));
}

QTEST_GUILESS_MAIN(TestCoSignPolicy)
#include "test_cosign_policy.moc"
