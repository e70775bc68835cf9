// Logins a service defines: its login request, served over loopback HTTP or read from a file,
// drives a real two-member login between userwallet-cli processes over a real relay daemon, and
// every request this device may not answer is refused with its reason before anything reaches
// the relay.
#include "identity/MemberDocument.h"
#include "login/LoginRequest.h"
#include "login/Proof.h"
#include "login/ProofVerifier.h"
#include "relay/RelayPool.h"
#include "support/HttpTestServer.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestRequestLoginE2e : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void twoMembersFromAFetchedRequest();
    void requestFromAFile();
    void refusedBeforeAnythingIsPublished_data();
    void refusedBeforeAnythingIsPublished();
    void oldSingleMemberFormStillWorks();

private:
    QStringList dir(const QString& profile) const
    {
        return {QStringLiteral("--data-dir"), m_dir.path() + QLatin1Char('/') + profile};
    }
    MemberRequirement member(const QString& profile) const;
    LoginRequest request(const QList<MemberRequirement>& members) const;
    QString writeFile(const QByteArray& bytes);
    /// Login messages and signatures the relay holds, from anyone.
    int storedLoginEvents();

    QTemporaryDir m_dir;
    RelayProcess* m_relay = nullptr;
    HttpTestServer m_parent;      ///< the service's callback
    HttpTestServer m_requestHost; ///< serves the service's login request
    int m_files = 0;
};

void TestRequestLoginE2e::initTestCase()
{
    m_relay = new RelayProcess(m_dir.filePath(QStringLiteral("relay.sqlite")));
    QVERIFY(m_relay->start());
    QVERIFY(m_parent.listen());
    QVERIFY(m_requestHost.listen());
    // Two people, one device each: alice (device 1) and bob (device 2).
    for (const QString& who : {QStringLiteral("alice"), QStringLiteral("bob")}) {
        int code = -1;
        runCli(dir(who) + QStringList{QStringLiteral("init"), QStringLiteral("--member"), who}, {}, &code);
        QCOMPARE(code, 0);
    }
}

void TestRequestLoginE2e::cleanupTestCase()
{
    delete m_relay;
}

MemberRequirement TestRequestLoginE2e::member(const QString& profile) const
{
    return MemberDocument::load(m_dir.path() + QLatin1Char('/') + profile + QStringLiteral("/member.json"))
        .value()
        .requirement();
}

LoginRequest TestRequestLoginE2e::request(const QList<MemberRequirement>& members) const
{
    LoginRequest r;
    r.service = QStringLiteral("forum");
    r.callback = m_parent.url();
    r.members = members;
    r.ttlSeconds = 300;
    return r;
}

QString TestRequestLoginE2e::writeFile(const QByteArray& bytes)
{
    const QString path = m_dir.filePath(QStringLiteral("request-%1.json").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

int TestRequestLoginE2e::storedLoginEvents()
{
    RelayPool pool({m_relay->url()});
    QSignalSpy eose(&pool, &RelayPool::endOfStoredEvents);
    QSignalSpy events(&pool, &RelayPool::eventReceived);
    pool.start();
    NostrFilter f;
    f.kinds = {9240, 9241};
    pool.subscribe(QStringLiteral("all"), {f});
    if (!eose.wait(10000))
        return -1;
    pool.stop();
    return int(events.size());
}

void TestRequestLoginE2e::twoMembersFromAFetchedRequest()
{
    // The service asks for alice, then bob after her; it serves the request on loopback http.
    MemberRequirement bob = member(QStringLiteral("bob"));
    bob.dependsOn = {QStringLiteral("alice")};
    const LoginRequest asked = request({member(QStringLiteral("alice")), bob});
    m_requestHost.setResponse(200, QJsonDocument(asked.toJson()).toJson());
    const auto before = m_parent.requests().size();

    CliProcess login(dir(QStringLiteral("alice")) + QStringList{QStringLiteral("login"), QStringLiteral("--request"),
                                                                m_requestHost.url(QStringLiteral("/login-request")),
                                                                QStringLiteral("--accept-remote"),
                                                                QStringLiteral("--timeout"), QStringLiteral("60")},
                     {m_relay->url()});
    login.start();
    const QJsonObject announced = login.waitForEvent(QStringLiteral("login-request"));
    QVERIFY2(!announced.isEmpty(), login.stderrText().constData());
    QCOMPARE(announced.value(QStringLiteral("service")).toString(), QStringLiteral("forum"));
    QCOMPARE(announced.value(QStringLiteral("members")).toArray(),
             (QJsonArray{QStringLiteral("alice"), QStringLiteral("bob")}));
    const QString number =
        QString::number(login.waitForEvent(QStringLiteral("number")).value(QStringLiteral("number")).toInt(-1));
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY2(link.startsWith(QStringLiteral("userwallet://login-sign?hash=")), login.stderrText().constData());
    QCOMPARE(m_requestHost.requests().last().method, QByteArray("GET"));

    // Bob, on his own device, sees a login that asks him, checks it against his own member, signs.
    CliProcess sign(dir(QStringLiteral("bob")) +
                        QStringList{QStringLiteral("sign"), link, QStringLiteral("--number"), number},
                    {m_relay->url()});
    sign.start();
    const QJsonObject message = sign.waitForEvent(QStringLiteral("message"));
    QCOMPARE(message.value(QStringLiteral("members")).toArray(),
             (QJsonArray{QStringLiteral("alice"), QStringLiteral("bob")}));
    QCOMPARE(sign.waitForExit(), 0);
    QCOMPARE(login.waitForExit(60000), 0);
    QCOMPARE(login.lines().last().value(QStringLiteral("event")).toString(), QStringLiteral("success"));

    // The service received one proof, valid, signed by both, and exactly what its request asked.
    QCOMPARE(m_parent.requests().size(), before + 1);
    auto proof = Proof::fromBytes(m_parent.requests().last().body);
    QVERIFY(proof.ok());
    QVERIFY(ProofVerifier::verify(*proof, SystemClock::instance()).ok());
    QVERIFY(asked.check(proof->message).ok());
    QCOMPARE(proof->message.members, asked.members);
    QVERIFY(proof->message.expiresAt - proof->message.createdAt <= asked.ttlSeconds);
    QSet<QString> signers;
    for (const LoginSignature& s : proof->signatures)
        signers.insert(s.member);
    QCOMPARE(signers, (QSet<QString>{QStringLiteral("alice"), QStringLiteral("bob")}));
}

void TestRequestLoginE2e::requestFromAFile()
{
    // `login --request FILE`: alice alone, one device: no other device, no link.
    const LoginRequest asked = request({member(QStringLiteral("alice"))});
    const QString file = writeFile(QJsonDocument(asked.toJson()).toJson());
    const auto before = m_parent.requests().size();
    CliProcess login(dir(QStringLiteral("alice")) +
                         QStringList{QStringLiteral("login"), QStringLiteral("--request"), file},
                     {m_relay->url()});
    login.start();
    QCOMPARE(login.waitForExit(), 0);
    QCOMPARE(login.lines().last().value(QStringLiteral("event")).toString(), QStringLiteral("success"));
    QCOMPARE(login.events(QStringLiteral("login-request")).size(), 1);
    QVERIFY(login.events(QStringLiteral("link")).isEmpty());
    QCOMPARE(m_parent.requests().size(), before + 1);
    auto proof = Proof::fromBytes(m_parent.requests().last().body);
    QVERIFY(proof.ok());
    QVERIFY(asked.check(proof->message).ok());
}

void TestRequestLoginE2e::refusedBeforeAnythingIsPublished_data()
{
    QTest::addColumn<QByteArray>("text"); // the request; "URL:" + text: served over HTTP
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says");
    // Built here from the profiles made in initTestCase.
    const MemberRequirement alice = member(QStringLiteral("alice"));
    const MemberRequirement bob = member(QStringLiteral("bob"));
    auto json = [](const LoginRequest& r) { return QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact); };

    QByteArray httpCallback = json(request({alice}));
    httpCallback.replace(m_parent.url().toUtf8(), "http://shop.example/callback");
    QTest::newRow("callback over plain http to another host") << httpCallback << "invalid_request"
                                                              << "uses plain http:// outside this machine";
    QTest::newRow("served: callback over plain http to another host") << "URL:" + httpCallback << "invalid_request"
                                                                      << "uses plain http:// outside this machine";
    QTest::newRow("names no member of this device") << json(request({bob})) << "not_a_member"
                                                    << "does not ask member \"alice\" to sign";
    QTest::newRow("served: names no member of this device") << "URL:" + json(request({bob})) << "not_a_member"
                                                            << "does not ask member \"alice\" to sign";
    MemberRequirement stranger = alice;
    stranger.pairs = {PairRef{makePair().pair, makePair().pubkey}};
    QTest::newRow("this device is not registered") << json(request({stranger})) << "not_registered"
                                                   << "This device is not registered with forum";
    LoginRequest expired = request({alice});
    expired.expiresAt = 1'000'000'000;
    QTest::newRow("expired") << json(expired) << "request_expired"
                             << "expired at 2001-09-0";
    QTest::newRow("not JSON") << QByteArray("<html>login</html>") << "invalid_request"
                              << "Malformed JSON";
    QTest::newRow("too large") << json(request({alice})) + QByteArray(LoginRequest::kMaxBytes, ' ') << "invalid_request"
                               << "larger than 64 KiB";
    MemberRequirement aliceAfterBob = alice;
    aliceAfterBob.dependsOn = {QStringLiteral("bob")};
    MemberRequirement bobAfterAlice = bob;
    bobAfterAlice.dependsOn = {QStringLiteral("alice")};
    QTest::newRow("dependency cycle") << json(request({aliceAfterBob, bobAfterAlice})) << "invalid_request"
                                      << "in a circle (alice -> bob -> alice)";
    QTest::newRow("unknown depends_on") << json(request({aliceAfterBob})) << "invalid_request"
                                        << "depends on \"bob\", who is not among the members";
    MemberRequirement tooMany = alice;
    tooMany.cardinaliteMinimale = 2;
    QTest::newRow("more signatures than devices") << json(request({tooMany})) << "invalid_request"
                                                  << "requires 2 signatures but has only 1 pairs";
    QTest::newRow("duplicate members") << json(request({alice, alice})) << "invalid_request"
                                       << "listed twice";
    QTest::newRow("served over plain http to another host")
        << QByteArray("URL-AS-IS:http://shop.example/login-request") << "bad_request_url"
        << "only https:// is accepted";
}

void TestRequestLoginE2e::refusedBeforeAnythingIsPublished()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, code);
    QFETCH(QString, says);
    const int before = storedLoginEvents();
    QVERIFY(before >= 0);
    const auto posted = m_parent.requests().size();
    QString source;
    if (text.startsWith("URL-AS-IS:")) {
        source = QString::fromUtf8(text.mid(10));
    } else if (text.startsWith("URL:")) {
        m_requestHost.setResponse(200, text.mid(4));
        source = m_requestHost.url(QStringLiteral("/login-request"));
    } else {
        source = writeFile(text);
    }
    CliProcess login(dir(QStringLiteral("alice")) + QStringList{QStringLiteral("login"), QStringLiteral("--request"),
                                                                source, QStringLiteral("--accept-remote")},
                     {m_relay->url()});
    login.start();
    QCOMPARE(login.waitForExit(), 1);
    const QJsonObject last = login.lines().value(login.lines().size() - 1);
    QCOMPARE(last.value(QStringLiteral("event")).toString(), QStringLiteral("failure"));
    QCOMPARE(last.value(QStringLiteral("code")).toString(), code);
    QVERIFY2(last.value(QStringLiteral("reason")).toString().contains(says),
             qPrintable(last.value(QStringLiteral("reason")).toString()));
    QVERIFY2(login.stderrText().contains(says.toUtf8()), login.stderrText().constData());
    // Nothing was published, nothing was sent.
    for (const char* event : {"number", "published", "link", "signature"})
        QVERIFY2(login.events(QString::fromLatin1(event)).isEmpty(), event);
    QCOMPARE(storedLoginEvents(), before);
    QCOMPARE(m_parent.requests().size(), posted);
}

void TestRequestLoginE2e::oldSingleMemberFormStillWorks()
{
    const auto before = m_parent.requests().size();
    CliProcess login(dir(QStringLiteral("bob")) + QStringList{QStringLiteral("login"), QStringLiteral("--service"),
                                                              QStringLiteral("forum"), QStringLiteral("--callback"),
                                                              m_parent.url()},
                     {m_relay->url()});
    login.start();
    QCOMPARE(login.waitForExit(), 0);
    QCOMPARE(m_parent.requests().size(), before + 1);
    auto proof = Proof::fromBytes(m_parent.requests().last().body);
    QVERIFY(proof.ok());
    QCOMPARE(proof->message.members, QList<MemberRequirement>{member(QStringLiteral("bob"))});
    // --request and --service together are a usage error.
    CliProcess both(dir(QStringLiteral("bob")) + QStringList{QStringLiteral("login"), QStringLiteral("--service"),
                                                             QStringLiteral("forum"), QStringLiteral("--request"),
                                                             QStringLiteral("r.json")},
                    {m_relay->url()});
    both.start();
    QCOMPARE(both.waitForExit(), 1);
    QVERIFY(both.stderrText().contains("--request"));
}

QTEST_GUILESS_MAIN(TestRequestLoginE2e)
#include "test_request_login_e2e.moc"
