// The login state machine: every allowed transition, every refused pair, and the exported diagram.
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

void TestStateMachine::allowed_data()
{
    QTest::addColumn<LoginState>("from");
    QTest::addColumn<LoginEvent>("event");
    QTest::addColumn<LoginState>("to");
    for (const LoginTransition& t : LoginStateMachine::table())
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
    QSet<QPair<int, int>> allowed;
    for (const LoginTransition& t : LoginStateMachine::table()) {
        const QPair<int, int> key(int(t.from), int(t.event));
        QVERIFY2(!allowed.contains(key), "the table must be deterministic: one target per (state, event)");
        allowed.insert(key);
    }
    int refused = 0;
    for (LoginState s : LoginStateMachine::allStates()) {
        for (LoginEvent e : LoginStateMachine::allEvents()) {
            if (allowed.contains(QPair<int, int>(int(s), int(e))))
                continue;
            QVERIFY2(!LoginStateMachine::next(s, e).has_value(),
                     qPrintable(LoginStateMachine::name(s) + QStringLiteral(" + ") + LoginStateMachine::name(e)));
            ++refused;
        }
    }
    QCOMPARE(refused + allowed.size(), LoginStateMachine::allStates().size() * LoginStateMachine::allEvents().size());
    QVERIFY(refused > 150);
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
