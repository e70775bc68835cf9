// NIP-01 events and filters, the device-2 link parser, and the pairing helpers.
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "devices/LoginEvents.h"
#include "devices/LoginSignLink.h"
#include "devices/Pairing.h"
#include "login/LoginValidation.h"
#include "relay/NostrFilter.h"
#include "support/TestIdentity.h"

#include <QJsonArray>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestNostrEvent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serializationEscapesLikeNip01();
    void signAndVerify();
    void strictParse_data();
    void strictParse();
    void filterMatching();
    void filterParsing();
    void loginSignLinks_data();
    void loginSignLinks();
    void loginEventsRoundTrip();
    void pushedMessagesAndRefusals();
    void loginNumbers_data();
    void loginNumbers();
    void pairingHelpers();
};

void TestNostrEvent::serializationEscapesLikeNip01()
{
    NostrEvent e;
    e.pubkey = QString(64, QLatin1Char('a'));
    e.createdAt = 1700000000;
    e.kind = 9241;
    e.tags = {{QStringLiteral("h"), QStringLiteral("x")}, {QStringLiteral("expiration"), QStringLiteral("1")}};
    e.content = QStringLiteral("l1\nq\"b\\t\tr\rb\bf\f/") + QChar(0x01) + QStringLiteral("é€");
    // NIP-01: only \n \" \\ \r \t \b \f are escaped; other characters (even U+0001) stay verbatim UTF-8.
    const QByteArray expected =
        "[0,\"" + QByteArray(64, 'a') +
        "\",1700000000,9241,[[\"h\",\"x\"],[\"expiration\",\"1\"]],\"l1\\nq\\\"b\\\\t\\tr\\rb\\bf\\f/\x01"
        "\xC3\xA9\xE2\x82\xAC\"]";
    QCOMPARE(e.serializeForId(), expected);
    QCOMPARE(e.computeId(), Sha256::hashHex(expected));
}

void TestNostrEvent::signAndVerify()
{
    const SecretKey key = schnorr::generateSecretKey();
    NostrEvent e;
    e.createdAt = 1;
    e.kind = 1;
    e.content = QStringLiteral("hello");
    QVERIFY(e.sign(key).ok());
    QVERIFY(e.verify());
    QCOMPARE(e.pubkey, toHex(schnorr::xOnlyPublicKey(key).value()));
    NostrEvent edited = e;
    edited.content = QStringLiteral("hellO");
    QVERIFY(!edited.verify());
    NostrEvent reId = edited;
    reId.id = reId.computeId(); // a relay that recomputes the id still cannot forge the signature
    QVERIFY(!reId.verify());
    NostrEvent otherKey = e;
    otherKey.pubkey = toHex(schnorr::xOnlyPublicKey(schnorr::generateSecretKey()).value());
    QVERIFY(!otherKey.verify());
    QCOMPARE(NostrEvent::fromJson(e.toJson()).value(), e);
}

void TestNostrEvent::strictParse_data()
{
    QTest::addColumn<QJsonObject>("json");
    NostrEvent e;
    e.kind = 1;
    e.createdAt = 5;
    QVERIFY(e.sign(schnorr::generateSecretKey()).ok());
    const QJsonObject ok = e.toJson();
    auto with = [&](const QString& k, const QJsonValue& v) {
        QJsonObject o = ok;
        o.insert(k, v);
        return o;
    };
    QTest::newRow("id upper") << with(QStringLiteral("id"), e.id.toUpper());
    QTest::newRow("pubkey short") << with(QStringLiteral("pubkey"), QStringLiteral("ab"));
    QTest::newRow("sig missing") << with(QStringLiteral("sig"), QJsonValue());
    QTest::newRow("created_at float") << with(QStringLiteral("created_at"), 1.5);
    QTest::newRow("kind string") << with(QStringLiteral("kind"), QStringLiteral("1"));
    QTest::newRow("kind too big") << with(QStringLiteral("kind"), 70000);
    QTest::newRow("tags not array") << with(QStringLiteral("tags"), QStringLiteral("h"));
    QTest::newRow("tag of numbers") << with(QStringLiteral("tags"), QJsonArray{QJsonArray{1, 2}});
    QTest::newRow("content number") << with(QStringLiteral("content"), 3);
}

void TestNostrEvent::strictParse()
{
    QFETCH(QJsonObject, json);
    QVERIFY(!NostrEvent::fromJson(json).ok());
}

void TestNostrEvent::filterMatching()
{
    NostrEvent e;
    e.id = QString(64, QLatin1Char('1'));
    e.pubkey = QString(64, QLatin1Char('2'));
    e.createdAt = 100;
    e.kind = 9241;
    e.tags = {{QStringLiteral("h"), QStringLiteral("abc")}};
    NostrFilter f;
    QVERIFY(f.matches(e));
    f.kinds = {9240};
    QVERIFY(!f.matches(e));
    f.kinds = {9240, 9241};
    QVERIFY(f.matches(e));
    f.tags.insert(QStringLiteral("h"), {QStringLiteral("zzz")});
    QVERIFY(!f.matches(e));
    f.tags[QStringLiteral("h")].insert(QStringLiteral("abc"));
    QVERIFY(f.matches(e));
    f.since = 101;
    QVERIFY(!f.matches(e));
    f.since = 100;
    f.until = 100;
    QVERIFY(f.matches(e));
    f.authors = {QString(64, QLatin1Char('3'))};
    QVERIFY(!f.matches(e));
}

void TestNostrEvent::filterParsing()
{
    const QJsonObject good{{QStringLiteral("kinds"), QJsonArray{9241}},
                           {QStringLiteral("#h"), QJsonArray{QStringLiteral("x")}},
                           {QStringLiteral("limit"), 100000}};
    auto f = NostrFilter::fromJson(good);
    QVERIFY(f.ok());
    QCOMPARE(*f->limit, NostrFilter::kMaxLimit);
    QVERIFY(!NostrFilter::fromJson({{QStringLiteral("kinds"), QStringLiteral("9241")}}).ok());
    QVERIFY(!NostrFilter::fromJson({{QStringLiteral("ids"), QJsonArray{QStringLiteral("short")}}}).ok());
    QVERIFY(!NostrFilter::fromJson({{QStringLiteral("#hh"), QJsonArray{}}}).ok());
    QVERIFY(!NostrFilter::fromJson({{QStringLiteral("search"), QStringLiteral("x")}}).ok());
    QVERIFY(!NostrFilter::fromJson({{QStringLiteral("limit"), -1}}).ok());
    QCOMPARE(NostrFilter::fromJson(f->toJson()).value().tags, f->tags);
}

void TestNostrEvent::loginSignLinks_data()
{
    QTest::addColumn<QString>("link");
    QTest::addColumn<bool>("valid");
    const QString h = QString(64, QLatin1Char('a'));
    const QString n = QString(32, QLatin1Char('b'));
    QTest::newRow("canonical") << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2").arg(h, n) << true;
    QTest::newRow("reordered") << QStringLiteral("userwallet://login-sign?nonce=%2&hash=%1").arg(h, n) << true;
    QTest::newRow("https") << QStringLiteral("https://lecoffre.example/app/login-sign?hash=%1&nonce=%2").arg(h, n)
                           << true;
    QTest::newRow("surrounding spaces") << QStringLiteral("  userwallet://login-sign?hash=%1&nonce=%2\n").arg(h, n)
                                        << true;
    QTest::newRow("short hash") << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2").arg(h.left(63), n)
                                << false;
    QTest::newRow("long hash") << QStringLiteral("userwallet://login-sign?hash=%1a&nonce=%2").arg(h, n) << false;
    QTest::newRow("upper-case") << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2").arg(h.toUpper(), n)
                                << false;
    QTest::newRow("missing nonce") << QStringLiteral("userwallet://login-sign?hash=%1").arg(h) << false;
    QTest::newRow("extra parameter") << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2&x=1").arg(h, n)
                                     << false;
    QTest::newRow("repeated parameter") << QStringLiteral("userwallet://login-sign?hash=%1&hash=%1&nonce=%2").arg(h, n)
                                        << false;
    QTest::newRow("trailing junk") << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2 junk").arg(h, n)
                                   << false;
    QTest::newRow("fragment") << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2#x").arg(h, n) << false;
    QTest::newRow("other scheme") << QStringLiteral("http://lecoffre.example/login-sign?hash=%1&nonce=%2").arg(h, n)
                                  << false;
    QTest::newRow("other action") << QStringLiteral("userwallet://login?hash=%1&nonce=%2").arg(h, n) << false;
    QTest::newRow("non-hex")
        << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2").arg(QString(64, QLatin1Char('g')), n) << false;
    QTest::newRow("percent-encoded") << QStringLiteral("userwallet://login-sign?hash=%25%1&nonce=%2").arg(h.left(62), n)
                                     << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("garbage") << QStringLiteral("not a link at all") << false;
}

void TestNostrEvent::loginSignLinks()
{
    QFETCH(QString, link);
    QFETCH(bool, valid);
    const auto parsed = LoginSignLink::parse(link);
    QCOMPARE(parsed.ok(), valid);
    if (valid) {
        QCOMPARE(parsed->hash, QString(64, QLatin1Char('a')));
        QCOMPARE(LoginSignLink::parse(parsed->toString()).value().nonce, parsed->nonce);
    } else {
        QVERIFY(parsed.error().message.startsWith(QStringLiteral("This is not a valid signing link")));
    }
}

void TestNostrEvent::loginEventsRoundTrip()
{
    const TestPair a = makePair();
    const Challenge c =
        makeChallenge({makeMember(QStringLiteral("alice"), 1, {a})}, QDateTime::currentSecsSinceEpoch());
    const KeyRing ring = makeRing({a});
    const NostrEvent msg = loginEvents::messageEvent(c, *ring.secret(a.pair), 10).value();
    QVERIFY(msg.verify());
    QCOMPARE(msg.kind, 9240);
    QCOMPARE(msg.tagValue(QStringLiteral("h")), std::optional<QString>(c.hash));
    QCOMPARE(msg.expiration(), std::optional<std::int64_t>(c.message.expiresAt));
    QCOMPARE(loginEvents::parseMessageEvent(msg, c.hash).value().message, c.message);
    QVERIFY(!loginEvents::parseMessageEvent(msg, QString(64, QLatin1Char('0'))).ok());

    const LoginSignature sig = signChallenge(c, QStringLiteral("alice"), ring).value().first();
    const NostrEvent sigEvent = loginEvents::signatureEvent(c, sig, *ring.secret(a.pair), 10).value();
    QCOMPARE(sigEvent.pubkey, a.pubkey);
    QCOMPARE(loginEvents::parseSignatureEvent(sigEvent).value(), sig);
    QVERIFY(loginEvents::signaturesFilter(c.hash).matches(sigEvent));
    QVERIFY(!loginEvents::signaturesFilter(c.hash).matches(msg));
}

// A login message that arrives unasked (subscribed by member) and a refusal: what the tags must
// say, and what a malformed refusal gets.
void TestNostrEvent::pushedMessagesAndRefusals()
{
    const TestPair a = makePair();
    const TestPair b = makePair();
    const Challenge c =
        makeChallenge({makeMember(QStringLiteral("alice"), 1, {a}), makeMember(QStringLiteral("bob"), 1, {b})},
                      QDateTime::currentSecsSinceEpoch());
    const KeyRing ring = makeRing({a, b});
    const NostrEvent msg = loginEvents::messageEvent(c, *ring.secret(a.pair), 10).value();
    // One m tag per member the message asks: each member's devices find it by member.
    QStringList tagged;
    for (const QStringList& t : msg.tags)
        if (t.value(0) == QLatin1String("m"))
            tagged.append(t.value(1));
    QCOMPARE(tagged, (QStringList{QStringLiteral("alice"), QStringLiteral("bob")}));
    QVERIFY(loginEvents::requestsFilter(QStringLiteral("bob"), 0).matches(msg));
    QVERIFY(!loginEvents::requestsFilter(QStringLiteral("carol"), 0).matches(msg));
    QVERIFY(!loginEvents::requestsFilter(QStringLiteral("bob"), 11).matches(msg)); // since
    QCOMPARE(loginEvents::parsePushedMessageEvent(msg).value().hash, c.hash);

    // A copy whose tags lie (re-signed by a stranger): refused.
    const TestPair stranger = makePair();
    auto resigned = [&](auto edit) -> NostrEvent {
        NostrEvent e = msg;
        edit(e);
        if (!e.sign(*stranger.secret))
            qFatal("cannot sign");
        return e;
    };
    QVERIFY(!loginEvents::parsePushedMessageEvent(resigned([](NostrEvent& e) {
                 e.tags.removeIf([](const QStringList& t) {
                     return t.value(0) == QLatin1String("m") && t.value(1) == QLatin1String("bob");
                 });
             })).ok());
    QVERIFY(!loginEvents::parsePushedMessageEvent(resigned([](NostrEvent& e) {
                 e.tags.append({QStringLiteral("m"), QStringLiteral("carol")});
             })).ok());
    QVERIFY(!loginEvents::parsePushedMessageEvent(resigned([&](NostrEvent& e) {
                 e.tags.append({QStringLiteral("h"), QString(64, QLatin1Char('0'))});
             })).ok());
    QVERIFY(!loginEvents::parsePushedMessageEvent(resigned([](NostrEvent& e) {
                 for (QStringList& t : e.tags)
                     if (t.value(0) == QLatin1String("h"))
                         t[1] = QString(64, QLatin1Char('0'));
             })).ok());

    // A refusal: signed by the refusing pair, bound to the login's hash.
    const NostrEvent refusal = loginEvents::declineEvent(c, QStringLiteral("bob"), b.pair, DeclineReason::WrongNumber,
                                                         *ring.secret(b.pair), 10)
                                   .value();
    QVERIFY(refusal.verify());
    QCOMPARE(refusal.kind, 9244);
    QCOMPARE(refusal.pubkey, b.pubkey);
    QVERIFY(loginEvents::signaturesFilter(c.hash).matches(refusal));
    const LoginDecline d = loginEvents::parseDeclineEvent(refusal).value();
    QCOMPARE(d.hash, c.hash);
    QCOMPARE(d.member, QStringLiteral("bob"));
    QCOMPARE(d.pair, b.pair);
    QCOMPARE(d.pubkey, b.pubkey);
    QCOMPARE(d.reason, DeclineReason::WrongNumber);
    auto badContent = [&](const QString& content) -> Result<LoginDecline> {
        NostrEvent e = refusal;
        e.content = content;
        if (!e.sign(*ring.secret(b.pair)))
            qFatal("cannot sign");
        return loginEvents::parseDeclineEvent(e);
    };
    const QString pair = b.pair;
    QVERIFY(!badContent(QStringLiteral("{\"member\":\"bob\",\"pair\":\"%1\",\"reason\":\"bored\"}").arg(pair)).ok());
    QVERIFY(!badContent(QStringLiteral("{\"member\":\"bob\",\"pair\":\"%1\"}").arg(pair)).ok());
    QVERIFY(!badContent(QStringLiteral("{\"member\":\"bob\",\"pair\":\"x\",\"reason\":\"declined\"}")).ok());
    QVERIFY(!badContent(QStringLiteral("{\"member\":\"bob\",\"member\":\"bob\",\"pair\":\"%1\",\"reason\":"
                                       "\"declined\"}")
                            .arg(pair))
                 .ok());
    QVERIFY(!badContent(QStringLiteral("[]")).ok());
    NostrEvent twoLogins = refusal;
    twoLogins.tags.append({QStringLiteral("h"), QString(64, QLatin1Char('1'))});
    QVERIFY(twoLogins.sign(*ring.secret(b.pair)).ok());
    QVERIFY(!loginEvents::parseDeclineEvent(twoLogins).ok());
}

void TestNostrEvent::loginNumbers_data()
{
    QTest::addColumn<QString>("hash");
    QTest::addColumn<int>("number");
    // Worked out by hand (docs/PROTOCOL.md, "Number matching"): 0xbfa482e0 = 3215229664.
    QTest::newRow("the worked example") << QStringLiteral(
                                               "bfa482e04d5ed83725abfa3816815c8559c93f6eb0be135412be2eeffa04689c")
                                        << 64;
    QTest::newRow("zero") << QString(64, QLatin1Char('0')) << 0;
    QTest::newRow("the largest prefix") << QStringLiteral("ffffffff") + QString(56, QLatin1Char('0')) << 95;
    QTest::newRow("only the first four bytes count") << QStringLiteral("00000001") + QString(56, QLatin1Char('f')) << 1;
    QTest::newRow("not a hash") << QStringLiteral("bfa482e0") << -1;
    QTest::newRow("upper case") << QStringLiteral("BFA482E0") + QString(56, QLatin1Char('0')) << -1;
}

void TestNostrEvent::loginNumbers()
{
    QFETCH(QString, hash);
    QFETCH(int, number);
    QCOMPARE(loginNumber(hash), number);
}

void TestNostrEvent::pairingHelpers()
{
    const QString code = QString(32, QLatin1Char('c'));
    QCOMPARE(pairing::parseLink(pairing::makeLink(code)).value(), code);
    QVERIFY(!pairing::parseLink(QStringLiteral("userwallet://pair?code=abc")).ok());
    QVERIFY(!pairing::parseLink(pairing::makeLink(code) + QStringLiteral("&x=1")).ok());
    const TestPair p = makePair();
    const QString fp = pairing::fingerprint(p.pubkey);
    QCOMPARE(fp.size(), 19);
    QCOMPARE(fp, pairing::fingerprint(p.pubkey));
    QVERIFY(fp != pairing::fingerprint(makePair().pubkey));

    MemberDocument doc{QStringLiteral("alice"), QStringLiteral("Alice"), 2, {PairRef{p.pair, p.pubkey}}};
    const NostrEvent signedDoc = pairing::memberDocumentEvent(doc, *p.secret, 5).value();
    QCOMPARE(pairing::readMemberDocumentEvent(signedDoc).value(), doc);
    // Signed by a key that is not one of the member's pairs: refused.
    const TestPair stranger = makePair();
    QVERIFY(!pairing::readMemberDocumentEvent(pairing::memberDocumentEvent(doc, *stranger.secret, 5).value()).ok());
}

QTEST_GUILESS_MAIN(TestNostrEvent)
#include "test_nostr_event.moc"
