// Two devices of one member complete real logins over real relay daemons on loopback,
// driven through userwallet-cli processes; the parent service is a real HTTP server.
#include "devices/LoginEvents.h"
#include "devices/LoginSignLink.h"
#include "identity/KeyStore.h"
#include "identity/MemberDocument.h"
#include "identity/WalletStore.h"
#include "login/LoginRequest.h"
#include "login/LoginValidation.h"
#include "login/ProofVerifier.h"
#include "relay/RelayPool.h"
#include "support/HostileRelay.h"
#include "support/HttpTestServer.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace uw;
using namespace uw::test;

namespace {

/// Runs `cli` as a process with no controlling terminal (its own session, standard input a closed
/// pipe): nobody can be asked, as under a service manager, cron or CI, and whoever runs the tests
/// from a terminal is never prompted.
void withoutTerminal(CliProcess& cli)
{
    cli.process().setChildProcessModifier([] { ::setsid(); });
}

/// The number device 1 printed for its login, as the person would read it and type it on device 2.
QString numberOf(CliProcess& login)
{
    return QString::number(login.waitForEvent(QStringLiteral("number")).value(QStringLiteral("number")).toInt(-1));
}

} // namespace

class TestLoginE2e : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void pairingGaveBothDevicesTheSameMember();
    void cardinalityOneNeedsNoConfirmation();
    void twoDevicesThreeRelays();
    void serviceChecksTheProofAgainstItsRecord_data();
    void serviceChecksTheProofAgainstItsRecord();
    void oneRelayDownAnotherKilledDuringCollection();
    void hostileRelayChangesNothing();
    void refuseSendsNothing();
    void wrongNumberOrDeclineStopsDevice1AtOnce_data();
    void wrongNumberOrDeclineStopsDevice1AtOnce();
    void forgedOrReplayedDeclinesAreIgnored();
    void timeoutFails();
    void loginGivenBadInputEndsWithAnError_data();
    void loginGivenBadInputEndsWithAnError();
    void badLinksSignNothing_data();
    void badLinksSignNothing();
    void deviceNotInLoginSignsNothing();
    void messageWeakerThanTheMemberSignsNothing_data();
    void messageWeakerThanTheMemberSignsNothing();
    void pushedLoginNeedsNoLink();
    void threeMembersSignByPush();
    void declineByPushStopsDevice1AtOnce();
    void withoutATerminalLoginRefusesRemoteSignatures();
    void withoutATerminalSignSignsNothing();
    void withoutATerminalPairOfferRefuses();

private:
    /// Pairs a new device `joiner` to `offerer`'s member over the relays; returns the new pair id.
    QString pair(const QString& offerer, const QString& joiner);
    /// A `listen --once` of `profile` that signs the login whose number is `number` (or declines).
    std::unique_ptr<CliProcess> listen(const QString& profile, const QStringList& answer);
    QStringList dir(const QString& profile) const
    {
        return {QStringLiteral("--data-dir"), m_dir.path() + QLatin1Char('/') + profile};
    }
    QStringList loginArgs(const QString& profile, const QStringList& extra) const;
    /// Checks the proof the parent received: it verifies, and holds exactly `pairs`.
    void checkProof(const HttpTestServer::Request& request, const QSet<QString>& pairs);

    QTemporaryDir m_dir;
    QList<RelayProcess*> m_relays;
    QStringList m_urls;
    HttpTestServer m_parent;
    MemberDocument m_alice;
    QString m_pair1, m_pair2;
};

void TestLoginE2e::initTestCase()
{
    for (int i = 0; i < 3; ++i) {
        auto* r = new RelayProcess(m_dir.path() + QStringLiteral("/relay%1.sqlite").arg(i));
        QVERIFY(r->start());
        m_relays.append(r);
        m_urls.append(r->url());
    }
    QVERIFY(m_parent.listen());

    // Device 1: member alice, two devices required. Device 2 joins by pairing over the relays.
    int code = -1;
    const QJsonObject created =
        runCli(dir(QStringLiteral("device1")) + QStringList{QStringLiteral("init"), QStringLiteral("--member"),
                                                            QStringLiteral("alice"), QStringLiteral("--cardinality"),
                                                            QStringLiteral("2")},
               {}, &code);
    QCOMPARE(code, 0);
    m_pair1 = created.value(QStringLiteral("pair")).toString();
    CliProcess offer(
        dir(QStringLiteral("device1")) + QStringList{QStringLiteral("pair-offer"), QStringLiteral("--yes")}, m_urls);
    offer.start();
    const QString link = offer.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY(link.startsWith(QStringLiteral("userwallet://pair?code=")));
    CliProcess join(dir(QStringLiteral("device2")) + QStringList{QStringLiteral("pair-join"), link}, m_urls);
    join.start();
    const QString fp2 =
        join.waitForEvent(QStringLiteral("fingerprint")).value(QStringLiteral("fingerprint")).toString();
    const QString fp1 = offer.waitForEvent(QStringLiteral("request")).value(QStringLiteral("fingerprint")).toString();
    QVERIFY(!fp1.isEmpty());
    QCOMPARE(fp1, fp2);
    QCOMPARE(offer.waitForExit(), 0);
    QCOMPARE(join.waitForExit(), 0);
    m_pair2 = join.events(QStringLiteral("paired")).value(0).value(QStringLiteral("pair")).toString();
    QCOMPARE(offer.events(QStringLiteral("paired")).value(0).value(QStringLiteral("pair")).toString(), m_pair2);
    m_alice = MemberDocument::load(m_dir.path() + QStringLiteral("/device1/member.json")).value();

    // A single-device member.
    QCOMPARE((runCli(dir(QStringLiteral("solo")) +
                         QStringList{QStringLiteral("init"), QStringLiteral("--member"), QStringLiteral("bob")},
                     {}, &code),
              code),
             0);
}

void TestLoginE2e::cleanupTestCase()
{
    qDeleteAll(m_relays);
}

void TestLoginE2e::init()
{
    m_parent.setResponse(200, "{\"ok\":true}");
}

QStringList TestLoginE2e::loginArgs(const QString& profile, const QStringList& extra) const
{
    return dir(profile) +
           QStringList{QStringLiteral("login"), QStringLiteral("--service"), QStringLiteral("lecoffre"),
                       QStringLiteral("--callback"), m_parent.url()} +
           extra;
}

void TestLoginE2e::checkProof(const HttpTestServer::Request& request, const QSet<QString>& pairs)
{
    auto proof = Proof::fromBytes(request.body);
    QVERIFY(proof.ok());
    QVERIFY(ProofVerifier::verify(*proof, SystemClock::instance()).ok());
    QSet<QString> got;
    for (const LoginSignature& s : proof->signatures)
        got.insert(s.pair);
    QCOMPARE(got, pairs);
    QCOMPARE(proof->signatures.size(), pairs.size());
}

void TestLoginE2e::pairingGaveBothDevicesTheSameMember()
{
    const MemberDocument d2 = MemberDocument::load(m_dir.path() + QStringLiteral("/device2/member.json")).value();
    QCOMPARE(d2, m_alice);
    QCOMPARE(m_alice.pairs.size(), 2);
    QCOMPARE(m_alice.cardinaliteMinimale, 2);
    // Device 2's key is its own, encrypted, and matches the pair the member document lists.
    const QList<PairRef> local = KeyStore(m_dir.path() + QStringLiteral("/device2/keys")).localPairs();
    QCOMPARE(local.size(), 1);
    QVERIFY(m_alice.pairs.contains(local.first()));
    QCOMPARE(local.first().pair, m_pair2);
}

void TestLoginE2e::cardinalityOneNeedsNoConfirmation()
{
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("solo"), {}), {m_urls.first()});
    login.start();
    QCOMPARE(login.waitForExit(), 0);
    QCOMPARE(login.lines().last().value(QStringLiteral("event")).toString(), QStringLiteral("success"));
    QVERIFY2(login.events(QStringLiteral("link")).isEmpty(), "no collection for a single device");
    QCOMPARE(m_parent.requests().size(), before + 1);
    const QString soloPair =
        MemberDocument::load(m_dir.path() + QStringLiteral("/solo/member.json")).value().pairs.first().pair;
    checkProof(m_parent.requests().last(), {soloPair});
}

void TestLoginE2e::twoDevicesThreeRelays()
{
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"), {QStringLiteral("--accept-remote")}), m_urls);
    login.start();
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY2(link.startsWith(QStringLiteral("userwallet://login-sign?hash=")), login.stderrText().constData());
    const QJsonObject published =
        login.events(QStringLiteral("published")).value(0).value(QStringLiteral("relays")).toObject();
    QCOMPARE(published.size(), 3);
    for (const QString& u : std::as_const(m_urls))
        QCOMPARE(published.value(u).toBool(), true);

    CliProcess sign(dir(QStringLiteral("device2")) +
                        QStringList{QStringLiteral("sign"), link, QStringLiteral("--number"), numberOf(login)},
                    m_urls);
    sign.start();
    const QJsonObject message = sign.waitForEvent(QStringLiteral("message"));
    QCOMPARE(message.value(QStringLiteral("service")).toString(), QStringLiteral("lecoffre"));
    QCOMPARE(message.value(QStringLiteral("members")).toArray(), QJsonArray{QStringLiteral("alice")});
    QCOMPARE(sign.waitForExit(), 0);
    QVERIFY(sign.stderrText().contains("Signature publiée"));
    QCOMPARE(sign.events(QStringLiteral("published")).value(0).value(QStringLiteral("relays")).toObject().size(), 3);

    QCOMPARE(login.waitForExit(), 0);
    QCOMPARE(login.lines().last().value(QStringLiteral("event")).toString(), QStringLiteral("success"));
    const auto sigs = login.events(QStringLiteral("signature"));
    QCOMPARE(sigs.size(), 2);
    QCOMPARE(sigs[0].value(QStringLiteral("remote")).toBool(), false);
    QCOMPARE(sigs[1].value(QStringLiteral("pair")).toString(), m_pair2);
    QCOMPARE(sigs[1].value(QStringLiteral("remote")).toBool(), true);
    QCOMPARE(m_parent.requests().size(), before + 1);
    checkProof(m_parent.requests().last(), {m_pair1, m_pair2});
}

void TestLoginE2e::serviceChecksTheProofAgainstItsRecord_data()
{
    // The proof alice's two devices just sent (twoDevicesThreeRelays), checked by the service with
    // `verify-proof --expect RECORD`: its own record of alice, enrolled through its own channel.
    QTest::addColumn<QString>("change"); // what the record says differently from the login
    QTest::addColumn<QString>("code");   // empty: valid
    QTest::newRow("the record as enrolled") << QString() << QString();
    QTest::newRow("three devices required") << QStringLiteral("cardinality") << QStringLiteral("expectation_mismatch");
    QTest::newRow("another device's key on record") << QStringLiteral("key") << QStringLiteral("expectation_mismatch");
    QTest::newRow("another service") << QStringLiteral("service") << QStringLiteral("expectation_mismatch");
    QTest::newRow("windows of 60 s at most") << QStringLiteral("ttl") << QStringLiteral("expectation_mismatch");
    QTest::newRow("a record that is not one") << QStringLiteral("garbage") << QStringLiteral("invalid_request");
}

void TestLoginE2e::serviceChecksTheProofAgainstItsRecord()
{
    QFETCH(QString, change);
    QFETCH(QString, code);
    QVERIFY(!m_parent.requests().isEmpty());
    const QByteArray proofBytes = m_parent.requests().last().body;
    const Proof proof = Proof::fromBytes(proofBytes).value();
    QCOMPARE(proof.message.members.size(), qsizetype(1));

    MemberRequirement alice = m_alice.requirement();
    QString service = QStringLiteral("lecoffre");
    int ttl = 600;
    if (change == QLatin1String("cardinality")) { // alice enrolled a third device, and the service wants all three
        const TestPair third = makePair();
        alice.pairs.append(PairRef{third.pair, third.pubkey});
        alice.cardinaliteMinimale = 3;
    } else if (change == QLatin1String("key"))
        alice.pairs[1].pubkey = makePair().pubkey;
    else if (change == QLatin1String("service"))
        service = QStringLiteral("another-service");
    else if (change == QLatin1String("ttl"))
        ttl = 60;
    QJsonArray pairs;
    for (const PairRef& p : alice.pairs)
        pairs.append(QJsonObject{{QStringLiteral("pair"), p.pair}, {QStringLiteral("pubkey"), p.pubkey}});
    const QJsonObject record{
        {QStringLiteral("v"), 1},
        {QStringLiteral("type"), QStringLiteral("login-request")},
        {QStringLiteral("service"), service},
        {QStringLiteral("callback"), m_parent.url()},
        {QStringLiteral("members"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), alice.id},
                                {QStringLiteral("cardinalite_minimale"), alice.cardinaliteMinimale},
                                {QStringLiteral("depends_on"), QJsonArray()},
                                {QStringLiteral("pairs"), pairs}}}},
        {QStringLiteral("strict"), true},
        {QStringLiteral("ttl"), ttl}};
    const QByteArray recordBytes = change == QLatin1String("garbage") ? QByteArray("{\"v\":1,\"type\":\"login\"}")
                                                                      : QJsonDocument(record).toJson();
    const QString proofPath = m_dir.filePath(QStringLiteral("proof.json"));
    const QString recordPath = m_dir.filePath(QStringLiteral("record.json"));
    for (const auto& [path, bytes] : {std::pair{proofPath, proofBytes}, std::pair{recordPath, recordBytes}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    int exit = -1;
    const QJsonObject answer =
        runCli({QStringLiteral("verify-proof"), proofPath, QStringLiteral("--expect"), recordPath}, {}, &exit);
    if (code.isEmpty()) {
        QCOMPARE(exit, 0);
        QCOMPARE(answer, QJsonObject({{QStringLiteral("valid"), true}}));
        // Without the record the proof is valid too: only the record tells the service it is alice's.
        return;
    }
    QCOMPARE(exit, 1);
    if (code == QLatin1String("invalid_request")) {
        QCOMPARE(answer.value(QStringLiteral("error")).toString(), code); // the record's fault, not the proof's
        QVERIFY(!answer.contains(QStringLiteral("valid")));
        return;
    }
    QCOMPARE(answer.value(QStringLiteral("valid")).toBool(true), false);
    QCOMPARE(answer.value(QStringLiteral("code")).toString(), code);
    // The proof itself still verifies: it is the record that refuses it.
    QCOMPARE((runCli({QStringLiteral("verify-proof"), proofPath}, {}, &exit), exit), 0);
}

void TestLoginE2e::oneRelayDownAnotherKilledDuringCollection()
{
    RelayProcess doomed(m_dir.path() + QStringLiteral("/doomed.sqlite"));
    QVERIFY(doomed.start());
    RelayProcess unused(m_dir.path() + QStringLiteral("/unused.sqlite"));
    QVERIFY(unused.start());
    const QString deadUrl = unused.url();
    unused.kill(); // down from the start: nothing listens on its port any more
    const QStringList relays{deadUrl, doomed.url(), m_urls.first()};

    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"), {QStringLiteral("--accept-remote")}), relays);
    login.start();
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY2(!link.isEmpty(), login.stderrText().constData());
    const QJsonObject published =
        login.events(QStringLiteral("published")).value(0).value(QStringLiteral("relays")).toObject();
    QCOMPARE(published.value(deadUrl).toBool(true), false);
    QCOMPARE(published.value(doomed.url()).toBool(), true);

    doomed.kill(); // during the collection
    CliProcess sign(dir(QStringLiteral("device2")) +
                        QStringList{QStringLiteral("sign"), link, QStringLiteral("--number"), numberOf(login)},
                    relays);
    sign.start();
    QCOMPARE(sign.waitForExit(), 0);
    const QJsonObject signRelays =
        sign.events(QStringLiteral("published")).value(0).value(QStringLiteral("relays")).toObject();
    QCOMPARE(signRelays.value(m_urls.first()).toBool(), true);
    QCOMPARE(signRelays.value(doomed.url()).toBool(true), false);

    QCOMPARE(login.waitForExit(), 0);
    QCOMPARE(m_parent.requests().size(), before + 1);
    checkProof(m_parent.requests().last(), {m_pair1, m_pair2});
}

void TestLoginE2e::hostileRelayChangesNothing()
{
    HostileRelay hostile;
    QVERIFY(hostile.listen());
    hostile.claimedMember = QStringLiteral("alice");
    hostile.claimedPair = m_pair2;
    // Replays: genuine signature events of device 2 from an earlier login (another hash).
    const KeyRing ring = KeyStore(m_dir.path() + QStringLiteral("/device2/keys")).unlock("test passphrase").value();
    const Challenge other = makeChallenge({m_alice.requirement()}, QDateTime::currentSecsSinceEpoch());
    const LoginSignature otherSig = signChallenge(other, QStringLiteral("alice"), ring).value().first();
    hostile.replays.append(
        loginEvents::signatureEvent(other, otherSig, *ring.secret(m_pair2), QDateTime::currentSecsSinceEpoch())
            .value());

    const QStringList relays{hostile.url(), m_urls.first()};
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"), {QStringLiteral("--accept-remote")}), relays);
    login.start();
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY2(!link.isEmpty(), login.stderrText().constData());
    // Let the hostile relay deliver its whole attack before the genuine signature exists.
    QTRY_VERIFY_WITH_TIMEOUT(hostile.reqCount() > 0, 10000);
    CliProcess sign(dir(QStringLiteral("device2")) +
                        QStringList{QStringLiteral("sign"), link, QStringLiteral("--number"), numberOf(login)},
                    {m_urls.first()});
    sign.start();
    QCOMPARE(sign.waitForExit(), 0);
    QCOMPARE(login.waitForExit(), 0);
    QCOMPARE(login.lines().last().value(QStringLiteral("event")).toString(), QStringLiteral("success"));
    // Nothing the hostile relay sent was ever counted: exactly the two genuine signatures.
    const auto sigs = login.events(QStringLiteral("signature"));
    QCOMPARE(sigs.size(), 2);
    QCOMPARE(sigs[0].value(QStringLiteral("pair")).toString(), m_pair1);
    QCOMPARE(sigs[1].value(QStringLiteral("pair")).toString(), m_pair2);
    QCOMPARE(m_parent.requests().size(), before + 1);
    checkProof(m_parent.requests().last(), {m_pair1, m_pair2});
}

void TestLoginE2e::refuseSendsNothing()
{
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"), {QStringLiteral("--refuse-remote")}), m_urls);
    login.start();
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY(!link.isEmpty());
    CliProcess sign(dir(QStringLiteral("device2")) +
                        QStringList{QStringLiteral("sign"), link, QStringLiteral("--number"), numberOf(login)},
                    m_urls);
    sign.start();
    QCOMPARE(sign.waitForExit(), 0);
    QCOMPARE(login.waitForExit(), 1);
    const QJsonObject last = login.lines().last();
    QCOMPARE(last.value(QStringLiteral("event")).toString(), QStringLiteral("failure"));
    QVERIFY2(last.value(QStringLiteral("reason")).toString().contains(QStringLiteral("refused")),
             qPrintable(last.value(QStringLiteral("reason")).toString()));
    QCOMPARE(m_parent.requests().size(), before);
    // The nonce was not marked, and the failure is in the history.
    const QString nonce = LoginSignLink::parse(link).value().nonce;
    WalletStore store = WalletStore::open(m_dir.path() + QStringLiteral("/device1/wallet.sqlite")).value();
    QVERIFY(!store.isNonceUsed(nonce));
    QCOMPARE(store.history(1).value(0).outcome, QStringLiteral("failure"));
}

void TestLoginE2e::timeoutFails()
{
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"), {QStringLiteral("--timeout"), QStringLiteral("2")}), m_urls);
    login.start();
    QCOMPARE(login.waitForExit(), 1);
    const QJsonObject last = login.lines().last();
    QCOMPARE(last.value(QStringLiteral("event")).toString(), QStringLiteral("failure"));
    QVERIFY2(last.value(QStringLiteral("reason")).toString().contains(QStringLiteral("Timed out after 2 s")),
             qPrintable(last.value(QStringLiteral("reason")).toString()));
    QCOMPARE(m_parent.requests().size(), before);
}

void TestLoginE2e::loginGivenBadInputEndsWithAnError_data()
{
    // Each fails before anything is published; the command must end (exit 1) and say why,
    // not print the failure and wait for ever.
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("callback");
    QTest::addColumn<QString>("timeout");
    QTest::addColumn<QString>("phrase");
    const QString ok = QStringLiteral("http://127.0.0.1:9/cb");
    QTest::newRow("ftp callback") << QStringLiteral("lecoffre") << QStringLiteral("ftp://lecoffre.example/cb")
                                  << QString() << QStringLiteral("callback");
    QTest::newRow("outside http callback") << QStringLiteral("lecoffre") << QStringLiteral("http://lecoffre.example/cb")
                                           << QString() << QStringLiteral("callback");
    QTest::newRow("newline in service") << QStringLiteral("le\ncoffre") << ok << QString() << QStringLiteral("service");
    QTest::newRow("empty service") << QString() << ok << QString() << QStringLiteral("service");
    QTest::newRow("wait past the proof's window")
        << QStringLiteral("lecoffre") << ok << QStringLiteral("541") << QStringLiteral("--timeout");
    QTest::newRow("no wait") << QStringLiteral("lecoffre") << ok << QStringLiteral("0") << QStringLiteral("--timeout");
}

void TestLoginE2e::loginGivenBadInputEndsWithAnError()
{
    QFETCH(QString, service);
    QFETCH(QString, callback);
    QFETCH(QString, timeout);
    QFETCH(QString, phrase);
    QStringList args = dir(QStringLiteral("device1")) + QStringList{QStringLiteral("login"),
                                                                    QStringLiteral("--service"),
                                                                    service,
                                                                    QStringLiteral("--callback"),
                                                                    callback,
                                                                    QStringLiteral("--refuse-remote")};
    if (!timeout.isEmpty())
        args << QStringLiteral("--timeout") << timeout;
    const auto before = m_parent.requests().size();
    CliProcess login(args, {m_urls.first()});
    login.start();
    QCOMPARE(login.waitForExit(), 1);
    QVERIFY(login.events(QStringLiteral("link")).isEmpty()); // nothing was announced to device 2
    const QJsonObject last = login.lines().value(login.lines().size() - 1);
    const QString why =
        last.value(QStringLiteral("reason")).toString() + last.value(QStringLiteral("message")).toString();
    QVERIFY2(why.contains(phrase, Qt::CaseInsensitive),
             qPrintable(why + QStringLiteral(" / ") + QString::fromUtf8(login.stderrText())));
    QCOMPARE(m_parent.requests().size(), before);
}

void TestLoginE2e::badLinksSignNothing_data()
{
    QTest::addColumn<QString>("link");
    const QString h = QString(64, QLatin1Char('a'));
    const QString n = QString(32, QLatin1Char('b'));
    QTest::newRow("wrong length") << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2").arg(h.left(60), n);
    QTest::newRow("upper-case") << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2").arg(h.toUpper(), n);
    QTest::newRow("missing nonce") << QStringLiteral("userwallet://login-sign?hash=%1").arg(h);
    QTest::newRow("extra junk") << QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2&evil=1").arg(h, n);
    QTest::newRow("another scheme") << QStringLiteral("javascript://login-sign?hash=%1&nonce=%2").arg(h, n);
}

void TestLoginE2e::badLinksSignNothing()
{
    QFETCH(QString, link);
    CliProcess sign(dir(QStringLiteral("device2")) + QStringList{QStringLiteral("sign"), link, QStringLiteral("--yes")},
                    m_urls);
    sign.start();
    QCOMPARE(sign.waitForExit(), 1);
    QCOMPARE(sign.lines().size(), 1);
    QCOMPARE(sign.lines().first().value(QStringLiteral("event")).toString(), QStringLiteral("failure"));
    QVERIFY(sign.lines()
                .first()
                .value(QStringLiteral("reason"))
                .toString()
                .contains(QStringLiteral("not a valid signing link")));
}

void TestLoginE2e::deviceNotInLoginSignsNothing()
{
    // Bob's device opens Alice's signing link: the message is found and checked, and refused.
    CliProcess login(loginArgs(QStringLiteral("device1"),
                               {QStringLiteral("--refuse-remote"), QStringLiteral("--timeout"), QStringLiteral("30")}),
                     m_urls);
    login.start();
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    CliProcess sign(dir(QStringLiteral("solo")) + QStringList{QStringLiteral("sign"), link, QStringLiteral("--yes"),
                                                              QStringLiteral("--timeout"), QStringLiteral("2")},
                    m_urls);
    sign.start();
    QCOMPARE(sign.waitForExit(), 1);
    QVERIFY(sign.events(QStringLiteral("message")).isEmpty());
    QVERIFY(sign.events(QStringLiteral("published")).isEmpty());
    QVERIFY2(sign.lines().last().value(QStringLiteral("reason")).toString().contains(QStringLiteral("bob")),
             qPrintable(sign.lines().last().value(QStringLiteral("reason")).toString()));
    // An unknown hash: not found, nothing signed.
    CliProcess unknown(dir(QStringLiteral("device2")) +
                           QStringList{QStringLiteral("sign"),
                                       QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2")
                                           .arg(QString(64, QLatin1Char('e')), QString(32, QLatin1Char('f'))),
                                       QStringLiteral("--yes"), QStringLiteral("--timeout"), QStringLiteral("1")},
                       m_urls);
    unknown.start();
    QCOMPARE(unknown.waitForExit(), 1);
    QVERIFY(unknown.lines().last().value(QStringLiteral("reason")).toString().contains(QStringLiteral("not found")));
    login.process().kill();
}

void TestLoginE2e::messageWeakerThanTheMemberSignsNothing_data()
{
    // Somebody publishes a login message naming alice and hands device 2 its link. Alice's member
    // document requires 2 devices. Each row weakens one thing; device 2 must refuse each.
    QTest::addColumn<int>("cardinality");
    QTest::addColumn<bool>("onlyDevice2");    // alice's pairs in the message: device 2 alone, else both
    QTest::addColumn<bool>("strangerPair");   // a third pair for alice, which her document lacks
    QTest::addColumn<qint64>("lifetime");     // expires_at - created_at
    QTest::addColumn<bool>("strangerAuthor"); // the 9240 event is signed by a key no member lists
    QTest::addColumn<QString>("callback");
    QTest::addColumn<QString>("refusal"); // a phrase of the reason; empty: device 2 signs
    const QString local = QStringLiteral("http://127.0.0.1:9/callback");
    const qint64 tenYears = 10LL * 365 * 86400;
    QTest::newRow("as device 1 would: signed") << 2 << false << false << qint64(300) << false << local << QString();
    QTest::newRow("one device of two") << 1 << false << false << qint64(300) << false << local
                                       << QStringLiteral("the member requires 2");
    QTest::newRow("a device the document lacks")
        << 2 << false << true << qint64(300) << false << local << QStringLiteral("not one of the member's devices");
    QTest::newRow("valid ten years") << 2 << false << false << tenYears << false << local
                                     << QStringLiteral("at most 10 min");
    QTest::newRow("valid eleven minutes")
        << 2 << false << false << qint64(660) << false << local << QStringLiteral("at most 10 min");
    QTest::newRow("published by a stranger")
        << 2 << false << false << qint64(300) << true << local << QStringLiteral("not a device of any member");
    // The attack as it was found: all of it at once, the proof sent to an outside host.
    QTest::newRow("the reviewed attack") << 1 << true << false << tenYears << true
                                         << QStringLiteral("https://collector.example/cb")
                                         << QStringLiteral("the member requires 2");
}

void TestLoginE2e::messageWeakerThanTheMemberSignsNothing()
{
    QFETCH(int, cardinality);
    QFETCH(bool, onlyDevice2);
    QFETCH(bool, strangerPair);
    QFETCH(qint64, lifetime);
    QFETCH(bool, strangerAuthor);
    QFETCH(QString, callback);
    QFETCH(QString, refusal);

    const KeyRing ring1 = KeyStore(m_dir.path() + QStringLiteral("/device1/keys")).unlock("test passphrase").value();
    const TestPair stranger = makePair();
    MemberRequirement alice = m_alice.requirement();
    alice.cardinaliteMinimale = cardinality;
    if (onlyDevice2)
        alice.pairs.removeIf([&](const PairRef& p) { return p.pair != m_pair2; });
    if (strangerPair)
        alice.pairs.append(PairRef{stranger.pair, stranger.pubkey});
    LoginMessage message;
    message.service = QStringLiteral("lecoffre");
    message.callback = callback;
    message.members = {alice};
    message.strict = true;
    message.nonce = QString::number(QDateTime::currentMSecsSinceEpoch(), 16).rightJustified(32, QLatin1Char('0'));
    message.createdAt = QDateTime::currentSecsSinceEpoch();
    message.expiresAt = message.createdAt + lifetime;
    const Challenge challenge = Challenge::fromMessage(message).value();
    const NostrEvent event =
        loginEvents::messageEvent(challenge, strangerAuthor ? *stranger.secret : *ring1.secret(m_pair1),
                                  message.createdAt)
            .value();

    RelayPool publisher({m_urls.first()});
    QSignalSpy published(&publisher, &RelayPool::publishFinished);
    publisher.start();
    publisher.publish(event);
    QVERIFY(published.wait(10000));
    using PerRelay = QMap<QString, bool>;
    QVERIFY(published.first().at(1).value<PerRelay>().value(m_urls.first()));

    const QString link =
        QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2").arg(challenge.hash, challenge.nonce());
    CliProcess sign(dir(QStringLiteral("device2")) + QStringList{QStringLiteral("sign"), link,
                                                                 QStringLiteral("--number"),
                                                                 QString::number(challenge.number()),
                                                                 QStringLiteral("--timeout"), QStringLiteral("3")},
                    {m_urls.first()});
    sign.start();
    const int code = sign.waitForExit();
    if (refusal.isEmpty()) {
        QCOMPARE(code, 0);
        QCOMPARE(sign.events(QStringLiteral("published")).size(), 1);
        QCOMPARE(sign.events(QStringLiteral("message")).value(0).value(QStringLiteral("callback_host")).toString(),
                 QStringLiteral("127.0.0.1"));
        return;
    }
    QCOMPARE(code, 1);
    // Refused before it was shown: nothing to confirm, nothing signed, nothing published.
    QVERIFY(sign.events(QStringLiteral("message")).isEmpty());
    QVERIFY(sign.events(QStringLiteral("published")).isEmpty());
    const QString reason = sign.lines().last().value(QStringLiteral("reason")).toString();
    QVERIFY2(reason.contains(refusal), qPrintable(reason));
    QVERIFY2(reason.contains(QStringLiteral("nothing was signed"), Qt::CaseInsensitive), qPrintable(reason));
    // No signature event of device 2's for this login reached the relay.
    RelayPool reader({m_urls.first()});
    QSignalSpy received(&reader, &RelayPool::eventReceived);
    QSignalSpy eose(&reader, &RelayPool::endOfStoredEvents);
    reader.start();
    reader.subscribe(QStringLiteral("sigs"), {loginEvents::signaturesFilter(challenge.hash)});
    QVERIFY(eose.wait(10000));
    QCOMPARE(received.size(), 0);
}

void TestLoginE2e::wrongNumberOrDeclineStopsDevice1AtOnce_data()
{
    QTest::addColumn<bool>("declineOutright");
    QTest::newRow("a wrong number") << false;
    QTest::newRow("--decline") << true;
}

// Device 2 types a number that is not the login's, or refuses: nothing is signed, a signed refusal
// is published, and device 1 ends at once (its timeout is 60 s; the reason is the refusal's)
// naming the device.
void TestLoginE2e::wrongNumberOrDeclineStopsDevice1AtOnce()
{
    QFETCH(bool, declineOutright);
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"),
                               {QStringLiteral("--accept-remote"), QStringLiteral("--timeout"), QStringLiteral("60")}),
                     m_urls);
    login.start();
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY2(!link.isEmpty(), login.stderrText().constData());
    const int number = login.events(QStringLiteral("number")).value(0).value(QStringLiteral("number")).toInt(-1);
    QVERIFY(number >= 0 && number < 100);
    const QStringList answer = declineOutright
                                   ? QStringList{QStringLiteral("--decline")}
                                   : QStringList{QStringLiteral("--number"), QString::number((number + 37) % 100)};
    CliProcess sign(dir(QStringLiteral("device2")) + QStringList{QStringLiteral("sign"), link} + answer, m_urls);
    sign.start();
    QCOMPARE(sign.waitForExit(), 1);
    QVERIFY(sign.events(QStringLiteral("published")).isEmpty());
    if (declineOutright)
        QCOMPARE(sign.events(QStringLiteral("declined")).value(0).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("declined"));
    else
        QVERIFY2(
            sign.lines().last().value(QStringLiteral("reason")).toString().contains(QStringLiteral("not the number")),
            sign.rawOutput().constData());
    QCOMPARE(login.waitForExit(20000), 1);
    const QString reason = login.lines().last().value(QStringLiteral("reason")).toString();
    // Named by its label in alice's member document (device 2's host name, given at pairing).
    const QString label = m_alice.pairLabels().value(m_pair2);
    QVERIFY(!label.isEmpty());
    QVERIFY2(reason.startsWith(QStringLiteral("Refused on %1").arg(label)), qPrintable(reason));
    QCOMPARE(reason.contains(QStringLiteral("number")), !declineOutright);
    QCOMPARE(login.events(QStringLiteral("signature")).size(), 1); // device 1's own
    QCOMPARE(m_parent.requests().size(), before);
}

// Refusals device 1 must not believe: one signed by a key that is no device of the login (with
// the right login hash and device 2's pair id), and device 2's genuine refusal of another login.
// The login goes on, and device 2's signature completes it.
void TestLoginE2e::forgedOrReplayedDeclinesAreIgnored()
{
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"), {QStringLiteral("--accept-remote")}), m_urls);
    login.start();
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY2(!link.isEmpty(), login.stderrText().constData());
    const QString hash = LoginSignLink::parse(link).value().hash;

    const KeyRing ring2 = KeyStore(m_dir.path() + QStringLiteral("/device2/keys")).unlock("test passphrase").value();
    const Challenge other = makeChallenge({m_alice.requirement()}, QDateTime::currentSecsSinceEpoch());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    // The stranger copies this login's hash into a refusal of its own (a Challenge carrying it).
    Challenge thisLogin = other;
    thisLogin.hash = hash;
    const TestPair stranger = makePair();
    const NostrEvent forged = loginEvents::declineEvent(thisLogin, QStringLiteral("alice"), m_pair2,
                                                        DeclineReason::Declined, *stranger.secret, now)
                                  .value();
    const NostrEvent replayed = loginEvents::declineEvent(other, QStringLiteral("alice"), m_pair2,
                                                          DeclineReason::Declined, *ring2.secret(m_pair2), now)
                                    .value();
    RelayPool publisher({m_urls.first()});
    QSignalSpy published(&publisher, &RelayPool::publishFinished);
    publisher.start();
    publisher.publish(forged);
    publisher.publish(replayed);
    QTRY_COMPARE_WITH_TIMEOUT(published.size(), 2, 10000);
    // Device 1 reads them (the collection re-queries every 2 s) and goes on collecting: it is
    // still running when device 2 signs.
    CliProcess sign(dir(QStringLiteral("device2")) +
                        QStringList{QStringLiteral("sign"), link, QStringLiteral("--number"), numberOf(login)},
                    m_urls);
    sign.start();
    QCOMPARE(sign.waitForExit(), 0);
    QCOMPARE(login.waitForExit(), 0);
    QCOMPARE(login.lines().last().value(QStringLiteral("event")).toString(), QStringLiteral("success"));
    QCOMPARE(m_parent.requests().size(), before + 1);
}

QString TestLoginE2e::pair(const QString& offerer, const QString& joiner)
{
    CliProcess offer(dir(offerer) + QStringList{QStringLiteral("pair-offer"), QStringLiteral("--yes")}, m_urls);
    offer.start();
    const QString link = offer.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    CliProcess join(dir(joiner) + QStringList{QStringLiteral("pair-join"), link}, m_urls);
    join.start();
    if (offer.waitForExit() != 0 || join.waitForExit() != 0)
        return {};
    return join.events(QStringLiteral("paired")).value(0).value(QStringLiteral("pair")).toString();
}

std::unique_ptr<CliProcess> TestLoginE2e::listen(const QString& profile, const QStringList& answer)
{
    auto p = std::make_unique<CliProcess>(
        dir(profile) + QStringList{QStringLiteral("listen"), QStringLiteral("--once")} + answer, m_urls);
    p->start();
    return p;
}

void TestLoginE2e::pushedLoginNeedsNoLink()
{
    // Device 2 runs (`listen`): it is asked by the relays, no link is copied anywhere.
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"), {QStringLiteral("--accept-remote")}), m_urls);
    login.start();
    const QString number = numberOf(login);
    QVERIFY2(number != QLatin1String("-1"), login.stderrText().constData());
    auto device2 = listen(QStringLiteral("device2"), {QStringLiteral("--number"), number});
    QCOMPARE(device2->waitForExit(), 0);
    // The request it printed names the service, where the proof goes and who asked.
    QJsonObject asked;
    for (const QJsonObject& r : device2->events(QStringLiteral("request")))
        if (r.value(QStringLiteral("hash")).toString() ==
            device2->events(QStringLiteral("published")).value(0).value(QStringLiteral("hash")).toString())
            asked = r;
    QCOMPARE(asked.value(QStringLiteral("service")).toString(), QStringLiteral("lecoffre"));
    QCOMPARE(asked.value(QStringLiteral("callback_host")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(asked.value(QStringLiteral("asked_by")).toObject().value(QStringLiteral("pair")).toString(), m_pair1);
    QVERIFY(!asked.contains(QStringLiteral("number"))); // the person types it from device 1's screen
    QCOMPARE(login.waitForExit(), 0);
    QCOMPARE(login.lines().last().value(QStringLiteral("event")).toString(), QStringLiteral("success"));
    QCOMPARE(m_parent.requests().size(), before + 1);
    checkProof(m_parent.requests().last(), {m_pair1, m_pair2});
}

void TestLoginE2e::threeMembersSignByPush()
{
    // The service asks alice (her two devices), bob after her, and carol with two devices of hers.
    // Alice's laptop logs in; every other device is asked by push and signs with the number.
    int code = -1;
    const QJsonObject carol =
        runCli(dir(QStringLiteral("carol1")) + QStringList{QStringLiteral("init"), QStringLiteral("--member"),
                                                           QStringLiteral("carol"), QStringLiteral("--cardinality"),
                                                           QStringLiteral("2")},
               {}, &code);
    QCOMPARE(code, 0);
    const QString carol2 = pair(QStringLiteral("carol1"), QStringLiteral("carol2"));
    QVERIFY(!carol2.isEmpty());
    auto memberOf = [this](const QString& profile) {
        return MemberDocument::load(m_dir.path() + QLatin1Char('/') + profile + QStringLiteral("/member.json"))
            .value()
            .requirement();
    };
    MemberRequirement bob = memberOf(QStringLiteral("solo"));
    bob.dependsOn = {QStringLiteral("alice")};
    const MemberRequirement carolMember = memberOf(QStringLiteral("carol1"));
    QCOMPARE(carolMember.pairs.size(), 2);
    LoginRequest request;
    request.service = QStringLiteral("notaires");
    request.callback = m_parent.url();
    request.members = {memberOf(QStringLiteral("device1")), bob, carolMember};
    const QString file = m_dir.filePath(QStringLiteral("three-members.json"));
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(request.toJson()).toJson());
    }
    const auto before = m_parent.requests().size();
    CliProcess login(dir(QStringLiteral("device1")) + QStringList{QStringLiteral("login"), QStringLiteral("--request"),
                                                                  file, QStringLiteral("--accept-remote")},
                     m_urls);
    login.start();
    const QString number = numberOf(login);
    QVERIFY2(number != QLatin1String("-1"), login.stderrText().constData());
    std::vector<std::unique_ptr<CliProcess>> others;
    for (const QString& profile :
         {QStringLiteral("device2"), QStringLiteral("solo"), QStringLiteral("carol1"), QStringLiteral("carol2")})
        others.push_back(listen(profile, {QStringLiteral("--number"), number}));
    for (auto& other : others) {
        QCOMPARE(other->waitForExit(), 0);
        QCOMPARE(other->events(QStringLiteral("published")).size(), 1);
    }
    QCOMPARE(login.waitForExit(), 0);
    QCOMPARE(login.lines().last().value(QStringLiteral("event")).toString(), QStringLiteral("success"));
    QCOMPARE(m_parent.requests().size(), before + 1);
    auto proof = Proof::fromBytes(m_parent.requests().last().body);
    QVERIFY(proof.ok());
    QVERIFY(ProofVerifier::verify(*proof, SystemClock::instance()).ok());
    QVERIFY(request.check(proof->message).ok());
    QSet<QString> pairs;
    for (const LoginSignature& s : proof->signatures)
        pairs.insert(s.pair);
    QCOMPARE(pairs, (QSet<QString>{m_pair1, m_pair2, bob.pairs.first().pair,
                                   carol.value(QStringLiteral("pair")).toString(), carol2}));
}

void TestLoginE2e::declineByPushStopsDevice1AtOnce()
{
    // Carol's first device logs in; her second, asked by push, refuses: device 1 ends at once,
    // naming the device, long before its timeout.
    if (!QFile::exists(m_dir.filePath(QStringLiteral("carol2/member.json"))))
        QSKIP("needs carol's two devices (threeMembersSignByPush)");
    CliProcess login(dir(QStringLiteral("carol1")) +
                         QStringList{QStringLiteral("login"), QStringLiteral("--service"), QStringLiteral("lecoffre"),
                                     QStringLiteral("--callback"), m_parent.url(), QStringLiteral("--accept-remote"),
                                     QStringLiteral("--timeout"), QStringLiteral("300")},
                     m_urls);
    login.start();
    QVERIFY(numberOf(login) != QLatin1String("-1"));
    auto device2 = listen(QStringLiteral("carol2"), {QStringLiteral("--decline")});
    QCOMPARE(device2->waitForExit(), 1);
    QCOMPARE(device2->events(QStringLiteral("declined")).size(), 1);
    QCOMPARE(login.waitForExit(), 1);
    const QJsonObject last = login.lines().last();
    QCOMPARE(last.value(QStringLiteral("event")).toString(), QStringLiteral("failure"));
    QVERIFY2(last.value(QStringLiteral("reason")).toString().contains(QStringLiteral("Refused on")),
             qPrintable(last.value(QStringLiteral("reason")).toString()));
}

void TestLoginE2e::withoutATerminalLoginRefusesRemoteSignatures()
{
    // No --accept-remote, no --refuse-remote, and nobody to ask: the other device's signature is
    // refused, and nothing reaches the service.
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"), {}), m_urls);
    withoutTerminal(login);
    login.start();
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY2(!link.isEmpty(), login.stderrText().constData());
    CliProcess sign(dir(QStringLiteral("device2")) +
                        QStringList{QStringLiteral("sign"), link, QStringLiteral("--number"), numberOf(login)},
                    m_urls);
    sign.start();
    QCOMPARE(sign.waitForExit(), 0); // device 2 did sign: it is device 1 that refuses to use it
    QCOMPARE(login.waitForExit(), 1);
    QCOMPARE(login.lines().last().value(QStringLiteral("event")).toString(), QStringLiteral("failure"));
    QVERIFY2(login.stderrText().contains("No terminal to confirm the other device's signature: refused"),
             login.stderrText().constData());
    QCOMPARE(login.events(QStringLiteral("signature")).size(), 2); // received, then refused
    QCOMPARE(m_parent.requests().size(), before);
}

void TestLoginE2e::withoutATerminalSignSignsNothing()
{
    // `sign LINK` without --number (which implies --yes) nor --decline, and nobody to ask: nothing
    // is signed or published.
    const auto before = m_parent.requests().size();
    CliProcess login(loginArgs(QStringLiteral("device1"), {QStringLiteral("--accept-remote")}), m_urls);
    login.start();
    const QString link = login.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY2(!link.isEmpty(), login.stderrText().constData());
    CliProcess sign(dir(QStringLiteral("device2")) + QStringList{QStringLiteral("sign"), link}, m_urls);
    withoutTerminal(sign);
    sign.start();
    QCOMPARE(sign.waitForExit(), 1);
    QVERIFY(!sign.events(QStringLiteral("message")).isEmpty());  // it did read the login...
    QVERIFY(sign.events(QStringLiteral("published")).isEmpty()); // ... and published nothing
    const QString reason = sign.lines().last().value(QStringLiteral("reason")).toString();
    QVERIFY2(reason.startsWith(QStringLiteral("No terminal to ask for the number; nothing was signed")),
             qPrintable(reason));
    // Device 1 never got a signature from it: declining now ends the login with its own alone.
    CliProcess decline(dir(QStringLiteral("device2")) +
                           QStringList{QStringLiteral("sign"), link, QStringLiteral("--decline")},
                       m_urls);
    decline.start();
    QCOMPARE(decline.waitForExit(), 1);
    QCOMPARE(login.waitForExit(), 1);
    const auto sigs = login.events(QStringLiteral("signature"));
    QCOMPARE(sigs.size(), 1);
    QCOMPARE(sigs[0].value(QStringLiteral("pair")).toString(), m_pair1);
    QCOMPARE(m_parent.requests().size(), before);
}

void TestLoginE2e::withoutATerminalPairOfferRefuses()
{
    // `pair-offer` without --yes, and nobody to compare the fingerprint: the device that answers is
    // refused and the member is not changed.
    int code = -1;
    runCli(dir(QStringLiteral("unasked1")) +
               QStringList{QStringLiteral("init"), QStringLiteral("--member"), QStringLiteral("dave")},
           {}, &code);
    QCOMPARE(code, 0);
    const QString memberFile = m_dir.path() + QStringLiteral("/unasked1/member.json");
    QFile f(memberFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray memberBefore = f.readAll();
    f.close();

    CliProcess offer(dir(QStringLiteral("unasked1")) + QStringList{QStringLiteral("pair-offer")}, m_urls);
    withoutTerminal(offer);
    offer.start();
    const QString link = offer.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    QVERIFY2(!link.isEmpty(), offer.stderrText().constData());
    CliProcess join(dir(QStringLiteral("unasked2")) + QStringList{QStringLiteral("pair-join"), link,
                                                                  QStringLiteral("--timeout"), QStringLiteral("5")},
                    m_urls);
    join.start();
    QVERIFY2(!offer.waitForEvent(QStringLiteral("request")).isEmpty(),
             QByteArray(offer.stderrText() + "\n--- pair-join:\n" + join.stderrText() + join.rawOutput()).constData());
    QCOMPARE(offer.waitForExit(), 1);
    QVERIFY(offer.events(QStringLiteral("paired")).isEmpty());
    QCOMPARE(offer.lines().last().value(QStringLiteral("reason")).toString(),
             QStringLiteral("Pairing refused; the member was not changed."));
    QVERIFY2(offer.stderrText().contains("No terminal to compare the fingerprint: refused"),
             offer.stderrText().constData());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), memberBefore);
    // The new device was never told yes: it gives up, and stores nothing.
    QCOMPARE(join.waitForExit(), 1);
    QVERIFY(join.events(QStringLiteral("paired")).isEmpty());
    QVERIFY(!QFile::exists(m_dir.path() + QStringLiteral("/unasked2/member.json")));
}

QTEST_GUILESS_MAIN(TestLoginE2e)
#include "test_login_e2e.moc"
