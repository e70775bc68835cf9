// Device 2 asked by push: a real relay daemon on loopback carries device 1's login messages to a
// LoginListener, which checks them, queues them one review at a time and resists floods; the
// review then signs through the co-signer exactly as a link would.
#include "devices/CoSigner.h"
#include "devices/LoginEvents.h"
#include "devices/LoginListener.h"
#include "devices/LoginSignLink.h"
#include "login/LoginValidation.h"
#include "relay/RelayPool.h"
#include "support/HostileRelay.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestLoginPush : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void pushedLoginIsReviewedAndSigned();
    void eachLoginIsShownOnceWhateverTheRelays();
    void setAsideNeverShown_data();
    void setAsideNeverShown();
    void strangersCopyDoesNotHideTheRealOne();
    void floodIsQueuedOneAtATime();
    void wrongNumberOnAPushedLoginRefuses();
    void thousandsOfPushesFromOneRelay();
    void everyRelayThatDeliversIsNamed();
    void answeredBeforeARestartIsNotAskedAgain();
    void answeredElsewhereLeavesTheList();

private:
    /// Device 1 publishes `challenge` signed by `author` to every relay.
    void publish(const Challenge& challenge, const TestPair& author);
    std::unique_ptr<LoginListener> listener(const Clock& clock);

    QTemporaryDir m_dir;
    QList<RelayProcess*> m_relays;
    QStringList m_urls;
    TestPair m_d1, m_d2, m_stranger;
    MemberDocument m_alice;
    std::unique_ptr<RelayPool> m_pool1, m_pool2;
    QHash<QString, QString> m_labels;
};

void TestLoginPush::initTestCase()
{
    for (int i = 0; i < 3; ++i) {
        auto* r = new RelayProcess(m_dir.path() + QStringLiteral("/relay%1.sqlite").arg(i));
        QVERIFY(r->start());
        m_relays.append(r);
        m_urls.append(r->url());
    }
    m_d1 = makePair();
    m_d2 = makePair();
    m_stranger = makePair();
    m_alice.cardinaliteMinimale = 2;
    m_alice.pairs = {{m_d1.pair, m_d1.pubkey}, {m_d2.pair, m_d2.pubkey}};
    m_labels.insert(m_d1.pair, QStringLiteral("laptop"));
}

void TestLoginPush::cleanupTestCase()
{
    qDeleteAll(m_relays);
}

void TestLoginPush::init()
{
    // The relays keep every test's events: each test has a member of its own, so that its
    // listener sees only its own logins.
    static int test = 0;
    m_alice.id = QStringLiteral("alice%1").arg(++test);
    m_pool1 = std::make_unique<RelayPool>(m_urls);
    m_pool2 = std::make_unique<RelayPool>(m_urls);
    m_pool1->start();
    m_pool2->start();
}

void TestLoginPush::cleanup()
{
    m_pool1->stop();
    m_pool2->stop();
    m_pool1.reset();
    m_pool2.reset();
}

void TestLoginPush::publish(const Challenge& challenge, const TestPair& author)
{
    auto event = loginEvents::messageEvent(challenge, *author.secret, SystemClock::instance().nowSeconds());
    QVERIFY(event.ok());
    m_pool1->publish(*event);
}

std::unique_ptr<LoginListener> TestLoginPush::listener(const Clock& clock)
{
    auto keys = std::make_shared<const KeyRing>(makeRing({m_d2}));
    auto l = std::make_unique<LoginListener>(m_pool2.get(), keys, CoSignPolicy{m_alice}, clock);
    l->setPairLabels(m_labels);
    l->start();
    return l;
}

namespace {

/// A login of alice's two devices, created now (each call a new one: its nonce is fresh).
Challenge aliceLogin(const MemberDocument& alice, const QString& service = QStringLiteral("lecoffre"))
{
    Challenge c = makeChallenge({alice.requirement()}, SystemClock::instance().nowSeconds());
    c.message.service = service;
    static int counter = 0;
    c.message.nonce = QStringLiteral("%1").arg(++counter, 32, 16, QLatin1Char('0')); // a fresh login each call
    return Challenge::fromMessage(c.message).value();
}

} // namespace

void TestLoginPush::pushedLoginIsReviewedAndSigned()
{
    auto l = listener(SystemClock::instance());
    QSignalSpy arrived(l.get(), &LoginListener::loginArrived);
    const Challenge login = aliceLogin(m_alice);
    publish(login, m_d1);
    QVERIFY(arrived.wait(10000));
    const auto pushed = arrived.first().at(0).value<PushedLogin>();
    QVERIFY(arrived.first().at(1).toBool()); // the first: reviewed now
    QCOMPARE(pushed.challenge.hash, login.hash);
    QCOMPARE(pushed.askedByPair, m_d1.pair);
    QCOMPARE(pushed.askedByMember, m_alice.id);
    QCOMPARE(pushed.askedByLabel, QStringLiteral("laptop"));
    QVERIFY(m_urls.contains(pushed.relay));

    // Device 1 watches for signatures; the review signs with the number it shows.
    QSignalSpy seen(m_pool1.get(), &RelayPool::eventReceived);
    m_pool1->subscribe(QStringLiteral("sigs"), {loginEvents::signaturesFilter(login.hash)});
    CoSigner signer(m_pool2.get(), std::make_shared<const KeyRing>(makeRing({m_d2})), CoSignPolicy{m_alice},
                    SystemClock::instance());
    QSignalSpy ready(&signer, &CoSigner::messageReady);
    QSignalSpy published(&signer, &CoSigner::published);
    signer.review(pushed.challenge);
    QVERIFY(ready.wait(5000));
    signer.sign(login.number());
    QVERIFY(published.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!seen.isEmpty(), 10000);
    const NostrEvent sigEvent = seen.first().at(1).value<NostrEvent>();
    auto sig = loginEvents::parseSignatureEvent(sigEvent);
    QVERIFY(sig.ok());
    QCOMPARE(sig->pair, m_d2.pair);
    QVERIFY(verifyLoginSignature(login.hash, login.nonce(), *sig));

    l->answer(login.hash);
    QCOMPARE(l->pending().size(), 0);
}

void TestLoginPush::eachLoginIsShownOnceWhateverTheRelays()
{
    auto l = listener(SystemClock::instance());
    QSignalSpy arrived(l.get(), &LoginListener::loginArrived);
    const Challenge login = aliceLogin(m_alice);
    // The same message published twice (a device 1 that retries) reaches three relays each time.
    publish(login, m_d1);
    QVERIFY(arrived.wait(10000));
    auto again = loginEvents::messageEvent(login, *m_d1.secret, SystemClock::instance().nowSeconds() + 1);
    QVERIFY(again.ok());
    m_pool1->publish(*again);
    QTRY_VERIFY_WITH_TIMEOUT(l->counts().duplicate >= 1, 10000);
    QCOMPARE(arrived.size(), 1);
    // Answered, then published again: never shown again.
    l->answer(login.hash);
    auto third = loginEvents::messageEvent(login, *m_d1.secret, SystemClock::instance().nowSeconds() + 2);
    QVERIFY(third.ok());
    m_pool1->publish(*third);
    QTRY_COMPARE_WITH_TIMEOUT(l->counts().duplicate, 2, 10000);
    QCOMPARE(arrived.size(), 1);
    QCOMPARE(l->pending().size(), 0);
}

void TestLoginPush::setAsideNeverShown_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("published by this device") << "own";
    QTest::newRow("this device is not in the login") << "not-our-pair";
    QTest::newRow("weaker than the member document") << "weaker";
    QTest::newRow("expired") << "expired";
    QTest::newRow("published by a stranger") << "stranger";
}

void TestLoginPush::setAsideNeverShown()
{
    QFETCH(QString, kind);
    ManualClock later(SystemClock::instance().nowSeconds() + 400); // past a 300 s login's end
    auto l = listener(kind == QLatin1String("expired") ? static_cast<const Clock&>(later) : SystemClock::instance());
    QSignalSpy arrived(l.get(), &LoginListener::loginArrived);
    QSignalSpy setAside(l.get(), &LoginListener::setAside);
    Challenge login = aliceLogin(m_alice);
    TestPair author = m_d1;
    if (kind == QLatin1String("own")) {
        author = m_d2;
    } else if (kind == QLatin1String("not-our-pair")) {
        const TestPair other = makePair();
        login = Challenge::fromMessage([&] {
                    LoginMessage m = login.message;
                    m.members = {makeMember(m_alice.id, 2, {m_d1, other})};
                    return m;
                }())
                    .value();
    } else if (kind == QLatin1String("weaker")) {
        login = Challenge::fromMessage([&] {
                    LoginMessage m = login.message;
                    m.members.first().cardinaliteMinimale = 1;
                    return m;
                }())
                    .value();
    } else if (kind == QLatin1String("stranger")) {
        author = m_stranger;
    }
    publish(login, author);
    QVERIFY(setAside.wait(10000));
    QCOMPARE(setAside.first().at(0).toString().isEmpty() ? login.hash : setAside.first().at(0).toString(), login.hash);
    QCOMPARE(arrived.size(), 0);
    QCOMPARE(l->pending().size(), 0);
}

void TestLoginPush::strangersCopyDoesNotHideTheRealOne()
{
    // A stranger publishes device 1's message first (it is public on the relays): only that copy
    // is set aside, the real one still reaches the person.
    auto l = listener(SystemClock::instance());
    QSignalSpy arrived(l.get(), &LoginListener::loginArrived);
    QSignalSpy setAside(l.get(), &LoginListener::setAside);
    const Challenge login = aliceLogin(m_alice);
    publish(login, m_stranger);
    QVERIFY(setAside.wait(10000));
    publish(login, m_d1);
    QVERIFY(arrived.wait(10000));
    QCOMPARE(arrived.first().at(0).value<PushedLogin>().challenge.hash, login.hash);
}

void TestLoginPush::floodIsQueuedOneAtATime()
{
    auto l = listener(SystemClock::instance());
    QSignalSpy arrived(l.get(), &LoginListener::loginArrived);
    QSignalSpy next(l.get(), &LoginListener::nextReady);
    const int total = LoginListener::kMaxPending + 8;
    QList<Challenge> logins;
    for (int i = 0; i < total; ++i) {
        logins.append(aliceLogin(m_alice, QStringLiteral("service-%1").arg(i)));
        publish(logins.last(), m_d1);
    }
    QTRY_COMPARE_WITH_TIMEOUT(l->counts().shown + l->counts().dropped, total, 20000);
    QCOMPARE(l->counts().shown, LoginListener::kMaxPending);
    QCOMPARE(l->pending().size(), LoginListener::kMaxPending);
    // One review at a time: only the first arrival is to be shown now.
    int firsts = 0;
    for (const QList<QVariant>& a : std::as_const(arrived))
        firsts += a.at(1).toBool() ? 1 : 0;
    QCOMPARE(firsts, 1);
    // Answering the one under review brings the next, in order of arrival.
    const QList<PushedLogin> waiting = l->pending();
    l->answer(waiting.at(0).challenge.hash);
    QCOMPARE(next.size(), 1);
    QCOMPARE(next.first().at(0).value<PushedLogin>().challenge.hash, waiting.at(1).challenge.hash);
    QCOMPARE(l->pending().size(), LoginListener::kMaxPending - 1);
}

void TestLoginPush::wrongNumberOnAPushedLoginRefuses()
{
    auto l = listener(SystemClock::instance());
    QSignalSpy arrived(l.get(), &LoginListener::loginArrived);
    const Challenge login = aliceLogin(m_alice);
    publish(login, m_d1);
    QVERIFY(arrived.wait(10000));
    QSignalSpy seen(m_pool1.get(), &RelayPool::eventReceived);
    m_pool1->subscribe(QStringLiteral("sigs"), {loginEvents::signaturesFilter(login.hash)});
    CoSigner signer(m_pool2.get(), std::make_shared<const KeyRing>(makeRing({m_d2})), CoSignPolicy{m_alice},
                    SystemClock::instance());
    QSignalSpy ready(&signer, &CoSigner::messageReady);
    QSignalSpy failed(&signer, &CoSigner::failed);
    signer.review(arrived.first().at(0).value<PushedLogin>().challenge);
    QVERIFY(ready.wait(5000));
    signer.sign((login.number() + 1) % 100);
    QVERIFY(failed.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!seen.isEmpty(), 10000);
    const NostrEvent event = seen.first().at(1).value<NostrEvent>();
    QCOMPARE(event.kind, kinds::LoginDecline); // a refusal, no signature
    auto decline = loginEvents::parseDeclineEvent(event);
    QVERIFY(decline.ok());
    QCOMPARE(decline->reason, DeclineReason::WrongNumber);
}

void TestLoginPush::thousandsOfPushesFromOneRelay()
{
    // One relay serves 1,500 valid messages published by a stranger's key and 500 genuine, distinct
    // logins of device 1 (more than anyone could review), plus its usual junk. Each is dropped or
    // set aside and counted; one login is under review, 16 wait, nothing else is shown.
    HostileRelay hostile;
    hostile.floodFrames = 100;
    const std::int64_t now = SystemClock::instance().nowSeconds();
    for (int i = 0; i < 2000; ++i) {
        const Challenge login = aliceLogin(m_alice, QStringLiteral("flood-%1").arg(i));
        const TestPair& author = i < 1500 ? m_stranger : m_d1;
        hostile.replays.append(loginEvents::messageEvent(login, *author.secret, now).value());
    }
    QVERIFY(hostile.listen());
    RelayPool pool({hostile.url()});
    pool.start();
    auto keys = std::make_shared<const KeyRing>(makeRing({m_d2}));
    LoginListener l(&pool, keys, CoSignPolicy{m_alice}, SystemClock::instance());
    QSignalSpy arrived(&l, &LoginListener::loginArrived);
    l.start();
    QTRY_COMPARE_WITH_TIMEOUT(l.counts().setAside + l.counts().shown + l.counts().dropped, 2000, 60000);
    QCOMPARE(l.counts().setAside, 1500);
    QCOMPARE(l.counts().shown, LoginListener::kMaxPending);
    QCOMPARE(l.counts().dropped, 500 - LoginListener::kMaxPending);
    QCOMPARE(l.pending().size(), LoginListener::kMaxPending);
    int firsts = 0;
    for (const QList<QVariant>& a : std::as_const(arrived))
        firsts += a.at(1).toBool() ? 1 : 0;
    QCOMPARE(firsts, 1);
    pool.stop();
}

void TestLoginPush::everyRelayThatDeliversIsNamed()
{
    // Device 1's confirmation names the relays that delivered each signature: the pool processes
    // an event once, and reports each further relay that delivers it.
    const Challenge login = aliceLogin(m_alice);
    auto event = loginEvents::messageEvent(login, *m_d1.secret, SystemClock::instance().nowSeconds());
    QVERIFY(event.ok());
    QSignalSpy received(m_pool2.get(), &RelayPool::eventReceived);
    QSignalSpy again(m_pool2.get(), &RelayPool::eventDeliveredAgain);
    m_pool2->subscribe(QStringLiteral("one"), {loginEvents::messageFilter(login.hash)});
    m_pool1->publish(*event);
    QTRY_COMPARE_WITH_TIMEOUT(received.size() + again.size(), 3, 10000);
    QCOMPARE(received.size(), 1);
    QSet<QString> relays{received.first().at(2).toString()};
    for (const QList<QVariant>& a : std::as_const(again)) {
        QCOMPARE(a.at(1).toString(), event->id);
        relays.insert(a.at(2).toString());
    }
    QCOMPARE(relays, QSet<QString>(m_urls.cbegin(), m_urls.cend()));
}

void TestLoginPush::answeredBeforeARestartIsNotAskedAgain()
{
    // The wallet signs a pushed login, then restarts (a new listener, nothing in memory): the
    // relays still hold the login, and its own signature, so it is not asked again.
    const Challenge login = aliceLogin(m_alice);
    {
        auto l = listener(SystemClock::instance());
        QSignalSpy arrived(l.get(), &LoginListener::loginArrived);
        publish(login, m_d1);
        QVERIFY(arrived.wait(10000));
        CoSigner signer(m_pool2.get(), std::make_shared<const KeyRing>(makeRing({m_d2})), CoSignPolicy{m_alice},
                        SystemClock::instance());
        QSignalSpy published(&signer, &CoSigner::published);
        signer.review(login);
        QTRY_VERIFY_WITH_TIMEOUT(signer.challenge(), 5000);
        QTest::qWait(0);
        signer.sign(login.number());
        QVERIFY(published.wait(10000));
    }
    // A second login, not answered: the restarted wallet asks for it, and only for it.
    const Challenge other = aliceLogin(m_alice, QStringLiteral("other"));
    publish(other, m_d1);
    RelayPool freshPool(m_urls); // a new process: a new pool, nothing delivered yet
    freshPool.start();
    auto restarted = std::make_unique<LoginListener>(&freshPool, std::make_shared<const KeyRing>(makeRing({m_d2})),
                                                     CoSignPolicy{m_alice}, SystemClock::instance());
    QSignalSpy arrived(restarted.get(), &LoginListener::loginArrived);
    restarted->start();
    QVERIFY(arrived.wait(10000));
    QCOMPARE(arrived.first().at(0).value<PushedLogin>().challenge.hash, other.hash);
    QTRY_VERIFY_WITH_TIMEOUT(restarted->counts().duplicate >= 1, 10000); // the signed one, left out
    QCOMPARE(arrived.size(), 1);
}

void TestLoginPush::answeredElsewhereLeavesTheList()
{
    // Two logins wait; the command line on the same profile signs the first one (its own pool):
    // the window's list drops it and the second becomes the one under review.
    auto l = listener(SystemClock::instance());
    QSignalSpy arrived(l.get(), &LoginListener::loginArrived);
    QSignalSpy withdrawn(l.get(), &LoginListener::withdrawn);
    QSignalSpy next(l.get(), &LoginListener::nextReady);
    const Challenge first = aliceLogin(m_alice, QStringLiteral("first"));
    const Challenge second = aliceLogin(m_alice, QStringLiteral("second"));
    publish(first, m_d1);
    QVERIFY(arrived.wait(10000));
    publish(second, m_d1);
    QTRY_COMPARE_WITH_TIMEOUT(l->pending().size(), 2, 10000);
    RelayPool cliPool(m_urls);
    cliPool.start();
    CoSigner cli(&cliPool, std::make_shared<const KeyRing>(makeRing({m_d2})), CoSignPolicy{m_alice},
                 SystemClock::instance());
    QSignalSpy published(&cli, &CoSigner::published);
    cli.open(LoginSignLink{first.hash, first.nonce()}.toString());
    QTRY_VERIFY_WITH_TIMEOUT(cli.challenge(), 10000);
    cli.sign(first.number());
    QVERIFY(published.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(withdrawn.size(), 1, 10000);
    QCOMPARE(withdrawn.first().at(0).toString(), first.hash);
    QCOMPARE(l->pending().size(), 1);
    QCOMPARE(next.size(), 1);
    QCOMPARE(next.first().at(0).value<PushedLogin>().challenge.hash, second.hash);
    cliPool.stop();
}

QTEST_GUILESS_MAIN(TestLoginPush)
#include "test_login_push.moc"
