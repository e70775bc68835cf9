// The device-1 login driver: the state machine walked by real signing, a real SQLite
// nonce store and a real HTTP parent; the relays are stood in for by MemoryTransport.
#include "identity/WalletStore.h"
#include "login/HttpProofSender.h"
#include "login/LoginFlow.h"
#include "login/LoginValidation.h"
#include "login/ProofVerifier.h"
#include "support/HttpTestServer.h"
#include "support/MemoryTransport.h"
#include "support/TestIdentity.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

Q_DECLARE_METATYPE(uw::LoginState)

class TestLoginFlow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void singleDeviceSucceedsWithoutConfirmation();
    void remoteSignatureAcceptedAfterConfirmation();
    void refuseSendsNothingAndKeepsNonce();
    void nonceAlreadyUsedSendsNothing();
    void collectionTimesOut();
    void parentRejection();
    void publishFailure();
    void cancelDuringCollection();
    void refusedRequestFailsAfterStartReturns();

private:
    struct Rig;
    std::unique_ptr<Rig> rig(int cardinality, int timeoutMs = 60000);
    ChallengeRequest request(int cardinality) const;

    QTemporaryDir* m_dir = nullptr;
    TestPair m_local, m_remote;
    HttpTestServer* m_parent = nullptr;
};

struct TestLoginFlow::Rig
{
    MemoryTransport transport;
    HttpProofSender sender;
    std::unique_ptr<LoginFlow> flow;
};

void TestLoginFlow::init()
{
    qRegisterMetaType<uw::LoginState>();
    m_dir = new QTemporaryDir;
    m_local = makePair();
    m_remote = makePair();
    m_parent = new HttpTestServer;
    QVERIFY(m_parent->listen());
}

void TestLoginFlow::cleanup()
{
    delete m_parent;
    delete m_dir;
}

ChallengeRequest TestLoginFlow::request(int cardinality) const
{
    return ChallengeRequest{QStringLiteral("demo"),
                            m_parent->url(),
                            {makeMember(QStringLiteral("alice"), cardinality, {m_local, m_remote})},
                            true,
                            300};
}

std::unique_ptr<TestLoginFlow::Rig> TestLoginFlow::rig(int cardinality, int timeoutMs)
{
    Q_UNUSED(cardinality);
    auto r = std::make_unique<Rig>();
    LoginFlow::Options opts{
        QStringLiteral("alice"), m_dir->path() + QStringLiteral("/wallet.sqlite"), timeoutMs, 60000, {}};
    r->flow = std::make_unique<LoginFlow>(opts, std::make_shared<KeyRing>(makeRing({m_local})), &r->transport,
                                          &r->sender, SystemClock::instance());
    return r;
}

void TestLoginFlow::singleDeviceSucceedsWithoutConfirmation()
{
    auto r = rig(1);
    QSignalSpy finished(r->flow.get(), &LoginFlow::finished);
    QSignalSpy confirm(r->flow.get(), &LoginFlow::confirmationRequested);
    r->flow->start(request(1));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_SUCCESS);
    QCOMPARE(confirm.count(), 0);
    QVERIFY(!r->transport.collecting);
    // The message and the local signature were published.
    QCOMPARE(r->transport.published_->hash, r->flow->challenge()->hash);
    QCOMPARE(r->transport.publishedSignatures.size(), 1);
    // The parent received a proof that verifies on its own.
    QCOMPARE(m_parent->requests().size(), 1);
    QCOMPARE(m_parent->requests()[0].method, QByteArray("POST"));
    auto proof = Proof::fromBytes(m_parent->requests()[0].body);
    QVERIFY(proof.ok());
    QVERIFY(ProofVerifier::verify(*proof, SystemClock::instance()).ok());
    auto store = WalletStore::open(m_dir->path() + QStringLiteral("/wallet.sqlite")).value();
    QVERIFY(store.isNonceUsed(proof->nonce));
    QTRY_COMPARE(store.history().size(), 1);
    QCOMPARE(store.history()[0].outcome, QStringLiteral("success"));
}

void TestLoginFlow::remoteSignatureAcceptedAfterConfirmation()
{
    auto r = rig(2);
    QSignalSpy finished(r->flow.get(), &LoginFlow::finished);
    QSignalSpy confirm(r->flow.get(), &LoginFlow::confirmationRequested);
    QSignalSpy added(r->flow.get(), &LoginFlow::signatureAdded);
    QSignalSpy states(r->flow.get(), &LoginFlow::stateChanged);
    r->flow->start(request(2));
    QTRY_COMPARE(r->flow->state(), LoginState::S_LOGIN_COLLECT_SIGNATURES);
    QVERIFY(r->transport.collecting);
    QVERIFY(r->flow->signingLink().startsWith(QStringLiteral("userwallet://login-sign?hash=") +
                                              r->flow->challenge()->hash));

    // Device 2 signs; a hostile relay adds a forgery and a replay of the local signature.
    const Challenge& c = *r->flow->challenge();
    const LoginSignature remote = signChallenge(c, QStringLiteral("alice"), makeRing({m_remote})).value().first();
    LoginSignature forged = remote;
    forged.sig = QString(128, QLatin1Char('1'));
    r->transport.deliver({forged});
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_COLLECT_SIGNATURES);
    r->transport.deliver({r->transport.publishedSignatures.first(), remote, remote});
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_PUBLISH_PROOF);
    QCOMPARE(confirm.count(), 1);
    QVERIFY(!LoginStateMachine::isBackAllowed(r->flow->state()));
    QCOMPARE(confirm.first().at(0).value<QList<LoginSignature>>(), QList<LoginSignature>{remote});
    QCOMPARE(added.count(), 2); // the local one, then the remote one; never the forgery
    QCOMPARE(added.last().at(1).toBool(), true);
    QVERIFY(m_parent->requests().isEmpty());

    r->flow->answerConfirmation(true);
    QVERIFY(finished.wait(10000));
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_SUCCESS);
    auto proof = Proof::fromBytes(m_parent->requests().value(0).body);
    QVERIFY(proof.ok());
    QCOMPARE(proof->signatures.size(), 2);
    QVERIFY(ProofVerifier::verify(*proof, SystemClock::instance()).ok());
}

void TestLoginFlow::refuseSendsNothingAndKeepsNonce()
{
    auto r = rig(2);
    QSignalSpy finished(r->flow.get(), &LoginFlow::finished);
    QSignalSpy confirm(r->flow.get(), &LoginFlow::confirmationRequested);
    r->flow->start(request(2));
    QTRY_COMPARE(r->flow->state(), LoginState::S_LOGIN_COLLECT_SIGNATURES);
    r->transport.deliver(signChallenge(*r->flow->challenge(), QStringLiteral("alice"), makeRing({m_remote})).value());
    QCOMPARE(confirm.count(), 1);
    r->flow->answerConfirmation(false);
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_FAILURE);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(0).toBool(), false);
    // A late answer changes nothing.
    r->flow->answerConfirmation(true);
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_FAILURE);
    auto store = WalletStore::open(m_dir->path() + QStringLiteral("/wallet.sqlite")).value();
    QVERIFY(!store.isNonceUsed(r->flow->challenge()->nonce()));
    QTRY_COMPARE(store.history().size(), 1);
    QCOMPARE(store.history()[0].outcome, QStringLiteral("failure"));
    QVERIFY(m_parent->requests().isEmpty());
}

void TestLoginFlow::nonceAlreadyUsedSendsNothing()
{
    // The proof verifies, but its nonce is already on record (another process of this profile sent
    // it meanwhile, or a replay): the flow stops before the POST, and says so.
    auto r = rig(2);
    QSignalSpy finished(r->flow.get(), &LoginFlow::finished);
    QSignalSpy states(r->flow.get(), &LoginFlow::stateChanged);
    r->flow->start(request(2));
    QTRY_COMPARE(r->flow->state(), LoginState::S_LOGIN_COLLECT_SIGNATURES);
    const Challenge c = *r->flow->challenge();
    {
        auto store = WalletStore::open(m_dir->path() + QStringLiteral("/wallet.sqlite")).value();
        QVERIFY(store.markNonceUsed(c.nonce(), c.hash, QDateTime::currentSecsSinceEpoch()).ok());
    }
    r->transport.deliver(signChallenge(c, QStringLiteral("alice"), makeRing({m_remote})).value());
    r->flow->answerConfirmation(true);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("This login's nonce was already used: it is a replay."));
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_FAILURE);
    // It got as far as marking the nonce, and no further.
    QList<LoginState> walked;
    for (const QList<QVariant>& args : std::as_const(states))
        walked.append(args.at(0).value<LoginState>());
    QVERIFY(walked.contains(LoginState::S_LOGIN_MARK_NONCE));
    QVERIFY(!walked.contains(LoginState::S_LOGIN_SEND_PROOF));
    QVERIFY(m_parent->requests().isEmpty());
    auto store = WalletStore::open(m_dir->path() + QStringLiteral("/wallet.sqlite")).value();
    QTRY_COMPARE(store.history().size(), 1);
    QCOMPARE(store.history()[0].outcome, QStringLiteral("failure"));
}

void TestLoginFlow::collectionTimesOut()
{
    auto r = rig(2, /*timeoutMs=*/300);
    QSignalSpy finished(r->flow.get(), &LoginFlow::finished);
    r->flow->start(request(2));
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(finished.first().at(1).toString().contains(QStringLiteral("Timed out")),
             qPrintable(finished.first().at(1).toString()));
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_FAILURE);
    QVERIFY(!r->transport.collecting);
    QVERIFY(m_parent->requests().isEmpty());
}

void TestLoginFlow::parentRejection()
{
    m_parent->setResponse(403, "{\"error\":\"unknown member\"}");
    auto r = rig(1);
    QSignalSpy finished(r->flow.get(), &LoginFlow::finished);
    r->flow->start(request(1));
    QVERIFY(finished.wait(10000));
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_FAILURE);
    const QString reason = finished.first().at(1).toString();
    QVERIFY2(reason.contains(QStringLiteral("403")) && reason.contains(QStringLiteral("unknown member")),
             qPrintable(reason));
    QCOMPARE(m_parent->requests().size(), 1);
}

void TestLoginFlow::publishFailure()
{
    auto r = rig(1);
    r->transport.publishSucceeds = false;
    QSignalSpy finished(r->flow.get(), &LoginFlow::finished);
    r->flow->start(request(1));
    QVERIFY(finished.wait(10000));
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_FAILURE);
    QVERIFY(m_parent->requests().isEmpty());
}

void TestLoginFlow::cancelDuringCollection()
{
    auto r = rig(2);
    QSignalSpy finished(r->flow.get(), &LoginFlow::finished);
    r->flow->start(request(2));
    QTRY_COMPARE(r->flow->state(), LoginState::S_LOGIN_COLLECT_SIGNATURES);
    r->flow->cancel();
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_FAILURE);
    QVERIFY(!r->transport.collecting);
    // Signatures arriving afterwards are ignored.
    r->transport.deliver(signChallenge(*r->flow->challenge(), QStringLiteral("alice"), makeRing({m_remote})).value());
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_FAILURE);
    QCOMPARE(finished.count(), 1);
}

void TestLoginFlow::refusedRequestFailsAfterStartReturns()
{
    // A request the builder refuses (a window over the verifier's maximum) fails, but only once
    // start() has returned: a caller that connects, starts, then runs its event loop hears it.
    auto r = rig(1);
    QSignalSpy finished(r->flow.get(), &LoginFlow::finished);
    ChallengeRequest tooLong = request(1);
    tooLong.lifetimeSeconds = int(ProofVerifier::kMaxValiditySeconds) + 1;
    r->flow->start(tooLong);
    QCOMPARE(finished.count(), 0);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("10 minutes")));
    QCOMPARE(r->flow->state(), LoginState::S_LOGIN_FAILURE);
    QVERIFY(!r->transport.published_.has_value()); // nothing left for the relays
    QCOMPARE(m_parent->requests().size(), 0);
}

QTEST_GUILESS_MAIN(TestLoginFlow)
#include "test_login_flow.moc"
