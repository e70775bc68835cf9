// The login state machine against the specification written out here: every allowed transition,
// every refused pair, and the exported diagram.
#include "login/LoginStateMachine.h"

#include <QFile>
#include <QSet>
#include <QTest>

using namespace uw;
using S = LoginState;
using E = LoginEvent;

Q_DECLARE_METATYPE(uw::LoginState)
Q_DECLARE_METATYPE(uw::LoginEvent)

class TestStateMachine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void allowed_data();
    void allowed();
    void everythingElseIsRefused();
    void specNamesExist();
    void happyPaths();
    void rejectPath();
    void backDisabledDuringConfirmation();
    void terminalStatesOnlyReset();
    void diagramIsUpToDate();
};

namespace {

/// The expected transitions, written out from the specification (docs/PROTOCOL.md, "Overview of a
/// login", steps 1-7, and its "Refusing a login" section; docs/ARCHITECTURE.md, "Flows", login on
/// device 1), NOT read from LoginStateMachine::table(): a row changed in the code must fail here.
/// Every (state, event) pair not listed is refused.
struct Row
{
    S from;
    E event;
    S to;
};
const Row kSpec[] = {
    // 1-2. The service's request starts a login; device 1 builds the message, hash and nonce.
    {S::S_IDLE, E::E_START, S::S_LOGIN_CHALLENGE},
    {S::S_LOGIN_CHALLENGE, E::E_CHALLENGE_READY, S::S_LOGIN_SIGN_LOCAL},
    // 3. It signs with its own pairs and publishes; the login fails unless a relay accepts each event.
    {S::S_LOGIN_SIGN_LOCAL, E::E_LOCAL_SIGNED, S::S_LOGIN_PUBLISH_MESSAGE},
    {S::S_LOGIN_PUBLISH_MESSAGE, E::E_PUBLISHED_ENOUGH, S::S_LOGIN_PUBLISH_PROOF},
    {S::S_LOGIN_PUBLISH_MESSAGE, E::E_PUBLISHED_NEED_MORE, S::S_LOGIN_COLLECT_SIGNATURES},
    {S::S_LOGIN_PUBLISH_MESSAGE, E::E_PUBLISH_FAILED, S::S_LOGIN_FAILURE},
    // 4-5. It collects the other devices' signatures, until enough, the deadline, or a signed refusal.
    {S::S_LOGIN_COLLECT_SIGNATURES, E::E_ENOUGH_SIGNATURES, S::S_LOGIN_PUBLISH_PROOF},
    {S::S_LOGIN_COLLECT_SIGNATURES, E::E_TIMEOUT, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_COLLECT_SIGNATURES, E::E_DECLINED, S::S_LOGIN_FAILURE},
    // 5. The person confirms on device 1 when another device's signature is in the proof.
    {S::S_LOGIN_PUBLISH_PROOF, E::E_NO_REMOTE_SIGNATURES, S::S_LOGIN_VERIFY},
    {S::S_LOGIN_PUBLISH_PROOF, E::E_LOCAL_VERDICT_ACCEPT, S::S_LOGIN_VERIFY},
    {S::S_LOGIN_PUBLISH_PROOF, E::E_LOCAL_VERDICT_REJECT, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_PUBLISH_PROOF, E::E_TIMEOUT, S::S_LOGIN_FAILURE},
    // 6. Verify the whole proof as a service will, record the nonce, then POST.
    {S::S_LOGIN_VERIFY, E::E_PROOF_VALID, S::S_LOGIN_MARK_NONCE},
    {S::S_LOGIN_VERIFY, E::E_PROOF_INVALID, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_MARK_NONCE, E::E_NONCE_MARKED, S::S_LOGIN_SEND_PROOF},
    {S::S_LOGIN_MARK_NONCE, E::E_NONCE_REUSED, S::S_LOGIN_FAILURE},
    // 7. The service answers 2xx to accept it.
    {S::S_LOGIN_SEND_PROOF, E::E_PARENT_ACCEPTED, S::S_LOGIN_SUCCESS},
    {S::S_LOGIN_SEND_PROOF, E::E_PARENT_REJECTED, S::S_LOGIN_FAILURE},
    // A finished login is only ever followed by a new one.
    {S::S_LOGIN_SUCCESS, E::E_RESET, S::S_IDLE},
    {S::S_LOGIN_FAILURE, E::E_RESET, S::S_IDLE},
    // An internal error fails any step in progress.
    {S::S_LOGIN_CHALLENGE, E::E_ERROR, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_SIGN_LOCAL, E::E_ERROR, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_PUBLISH_MESSAGE, E::E_ERROR, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_COLLECT_SIGNATURES, E::E_ERROR, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_PUBLISH_PROOF, E::E_ERROR, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_VERIFY, E::E_ERROR, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_MARK_NONCE, E::E_ERROR, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_SEND_PROOF, E::E_ERROR, S::S_LOGIN_FAILURE},
    // The person may cancel until the nonce is being marked; from then on the proof is on its way.
    {S::S_LOGIN_CHALLENGE, E::E_CANCEL, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_SIGN_LOCAL, E::E_CANCEL, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_PUBLISH_MESSAGE, E::E_CANCEL, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_COLLECT_SIGNATURES, E::E_CANCEL, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_PUBLISH_PROOF, E::E_CANCEL, S::S_LOGIN_FAILURE},
    {S::S_LOGIN_VERIFY, E::E_CANCEL, S::S_LOGIN_FAILURE},
};

/// Every state and event of the specification, by name.
const S kStates[] = {S::S_IDLE,
                     S::S_LOGIN_CHALLENGE,
                     S::S_LOGIN_SIGN_LOCAL,
                     S::S_LOGIN_PUBLISH_MESSAGE,
                     S::S_LOGIN_COLLECT_SIGNATURES,
                     S::S_LOGIN_PUBLISH_PROOF,
                     S::S_LOGIN_VERIFY,
                     S::S_LOGIN_MARK_NONCE,
                     S::S_LOGIN_SEND_PROOF,
                     S::S_LOGIN_SUCCESS,
                     S::S_LOGIN_FAILURE};
const E kEvents[] = {E::E_START,
                     E::E_CHALLENGE_READY,
                     E::E_LOCAL_SIGNED,
                     E::E_PUBLISHED_ENOUGH,
                     E::E_PUBLISHED_NEED_MORE,
                     E::E_PUBLISH_FAILED,
                     E::E_ENOUGH_SIGNATURES,
                     E::E_TIMEOUT,
                     E::E_DECLINED,
                     E::E_NO_REMOTE_SIGNATURES,
                     E::E_LOCAL_VERDICT_ACCEPT,
                     E::E_LOCAL_VERDICT_REJECT,
                     E::E_PROOF_VALID,
                     E::E_PROOF_INVALID,
                     E::E_NONCE_MARKED,
                     E::E_NONCE_REUSED,
                     E::E_PARENT_ACCEPTED,
                     E::E_PARENT_REJECTED,
                     E::E_CANCEL,
                     E::E_ERROR,
                     E::E_RESET};

} // namespace

void TestStateMachine::allowed_data()
{
    QTest::addColumn<LoginState>("from");
    QTest::addColumn<LoginEvent>("event");
    QTest::addColumn<LoginState>("to");
    for (const Row& t : kSpec)
        QTest::addRow("%s + %s", qPrintable(LoginStateMachine::name(t.from)),
                      qPrintable(LoginStateMachine::name(t.event)))
            << t.from << t.event << t.to;
}

void TestStateMachine::allowed()
{
    QFETCH(LoginState, from);
    QFETCH(LoginEvent, event);
    QFETCH(LoginState, to);
    QCOMPARE(LoginStateMachine::next(from, event), std::optional<LoginState>(to));
}

void TestStateMachine::everythingElseIsRefused()
{
    // The machine knows exactly the specification's states and events...
    QCOMPARE(LoginStateMachine::allStates(), QList<LoginState>(std::begin(kStates), std::end(kStates)));
    QCOMPARE(LoginStateMachine::allEvents(), QList<LoginEvent>(std::begin(kEvents), std::end(kEvents)));
    QSet<QPair<int, int>> allowed;
    for (const Row& t : kSpec) {
        const QPair<int, int> key(int(t.from), int(t.event));
        QVERIFY2(!allowed.contains(key), "the specification is deterministic: one target per (state, event)");
        allowed.insert(key);
    }
    // ... and refuses every pair the specification does not list.
    int refused = 0;
    for (S s : kStates) {
        for (E e : kEvents) {
            if (allowed.contains(QPair<int, int>(int(s), int(e))))
                continue;
            QVERIFY2(!LoginStateMachine::next(s, e).has_value(),
                     qPrintable(LoginStateMachine::name(s) + QStringLiteral(" + ") + LoginStateMachine::name(e)));
            ++refused;
        }
    }
    QCOMPARE(allowed.size(), qsizetype(std::size(kSpec)));
    QCOMPARE(refused, int(std::size(kStates) * std::size(kEvents)) - int(std::size(kSpec)));
    // The code's own table (what the diagram and the flow read) is the specification's, row for row.
    QCOMPARE(LoginStateMachine::table().size(), qsizetype(std::size(kSpec)));
    for (const LoginTransition& t : LoginStateMachine::table())
        QVERIFY2(
            allowed.contains(QPair<int, int>(int(t.from), int(t.event))),
            qPrintable(LoginStateMachine::name(t.from) + QStringLiteral(" + ") + LoginStateMachine::name(t.event)));
}

void TestStateMachine::specNamesExist()
{
    QCOMPARE(LoginStateMachine::name(S::S_LOGIN_COLLECT_SIGNATURES), QStringLiteral("S_LOGIN_COLLECT_SIGNATURES"));
    QCOMPARE(LoginStateMachine::name(S::S_LOGIN_PUBLISH_PROOF), QStringLiteral("S_LOGIN_PUBLISH_PROOF"));
    QCOMPARE(LoginStateMachine::name(S::S_LOGIN_FAILURE), QStringLiteral("S_LOGIN_FAILURE"));
    QCOMPARE(LoginStateMachine::name(S::S_LOGIN_SUCCESS), QStringLiteral("S_LOGIN_SUCCESS"));
    QCOMPARE(LoginStateMachine::name(E::E_LOCAL_VERDICT_REJECT), QStringLiteral("E_LOCAL_VERDICT_REJECT"));
}

void TestStateMachine::happyPaths()
{
    LoginStateMachine local;
    for (E e : {E::E_START, E::E_CHALLENGE_READY, E::E_LOCAL_SIGNED, E::E_PUBLISHED_ENOUGH, E::E_NO_REMOTE_SIGNATURES,
                E::E_PROOF_VALID, E::E_NONCE_MARKED, E::E_PARENT_ACCEPTED})
        QVERIFY(local.fire(e));
    QCOMPARE(local.state(), S::S_LOGIN_SUCCESS);

    LoginStateMachine remote;
    for (E e : {E::E_START, E::E_CHALLENGE_READY, E::E_LOCAL_SIGNED, E::E_PUBLISHED_NEED_MORE, E::E_ENOUGH_SIGNATURES})
        QVERIFY(remote.fire(e));
    QCOMPARE(remote.state(), S::S_LOGIN_PUBLISH_PROOF);
    for (E e : {E::E_LOCAL_VERDICT_ACCEPT, E::E_PROOF_VALID, E::E_NONCE_MARKED, E::E_PARENT_ACCEPTED})
        QVERIFY(remote.fire(e));
    QCOMPARE(remote.state(), S::S_LOGIN_SUCCESS);
}

void TestStateMachine::rejectPath()
{
    LoginStateMachine m;
    for (E e : {E::E_START, E::E_CHALLENGE_READY, E::E_LOCAL_SIGNED, E::E_PUBLISHED_NEED_MORE, E::E_ENOUGH_SIGNATURES})
        QVERIFY(m.fire(e));
    QVERIFY(m.fire(E::E_LOCAL_VERDICT_REJECT));
    QCOMPARE(m.state(), S::S_LOGIN_FAILURE);
    // From failure nothing leads to marking or sending.
    for (E e : {E::E_PROOF_VALID, E::E_NONCE_MARKED, E::E_PARENT_ACCEPTED, E::E_LOCAL_VERDICT_ACCEPT}) {
        QVERIFY(!m.fire(e));
        QCOMPARE(m.state(), S::S_LOGIN_FAILURE);
    }
}

void TestStateMachine::backDisabledDuringConfirmation()
{
    QVERIFY(!LoginStateMachine::isBackAllowed(S::S_LOGIN_PUBLISH_PROOF));
    QVERIFY(!LoginStateMachine::isBackAllowed(S::S_LOGIN_SEND_PROOF));
    QVERIFY(LoginStateMachine::isBackAllowed(S::S_LOGIN_COLLECT_SIGNATURES));
    // The timeout path: collection and confirmation both time out to failure.
    QCOMPARE(LoginStateMachine::next(S::S_LOGIN_COLLECT_SIGNATURES, E::E_TIMEOUT), std::optional(S::S_LOGIN_FAILURE));
    // A refusal signed by a device of the path ends the collection at once; once the proof is
    // assembled a late refusal changes nothing.
    QCOMPARE(LoginStateMachine::next(S::S_LOGIN_COLLECT_SIGNATURES, E::E_DECLINED), std::optional(S::S_LOGIN_FAILURE));
    QVERIFY(!LoginStateMachine::next(S::S_LOGIN_PUBLISH_PROOF, E::E_DECLINED));
    QCOMPARE(LoginStateMachine::next(S::S_LOGIN_PUBLISH_PROOF, E::E_TIMEOUT), std::optional(S::S_LOGIN_FAILURE));
    // Once the nonce is being marked the flow cannot be cancelled half-way.
    QVERIFY(!LoginStateMachine::next(S::S_LOGIN_SEND_PROOF, E::E_CANCEL));
}

void TestStateMachine::terminalStatesOnlyReset()
{
    for (S terminal : {S::S_LOGIN_SUCCESS, S::S_LOGIN_FAILURE}) {
        QVERIFY(LoginStateMachine::isTerminal(terminal));
        for (E e : LoginStateMachine::allEvents())
            QCOMPARE(LoginStateMachine::next(terminal, e).has_value(), e == E::E_RESET);
    }
}

void TestStateMachine::diagramIsUpToDate()
{
    QFile f(QStringLiteral(UW_SOURCE_DIR "/docs/login-state-machine.dot"));
    QVERIFY2(f.open(QIODevice::ReadOnly),
             "docs/login-state-machine.dot is missing: run `userwallet-cli state-diagram`");
    QCOMPARE(QString::fromUtf8(f.readAll()), LoginStateMachine::toDot());
}

QTEST_GUILESS_MAIN(TestStateMachine)
#include "test_state_machine.moc"
