#include "login/LoginStateMachine.h"

namespace uw {

namespace {

using S = LoginState;
using E = LoginEvent;

/// States from which the flow may be cancelled or fail internally.
const QList<S> kActive{S::S_LOGIN_CHALLENGE,          S::S_LOGIN_SIGN_LOCAL,    S::S_LOGIN_PUBLISH_MESSAGE,
                       S::S_LOGIN_COLLECT_SIGNATURES, S::S_LOGIN_PUBLISH_PROOF, S::S_LOGIN_VERIFY,
                       S::S_LOGIN_MARK_NONCE,         S::S_LOGIN_SEND_PROOF};

QList<LoginTransition> buildTable()
{
    QList<LoginTransition> t{
        {S::S_IDLE, E::E_START, S::S_LOGIN_CHALLENGE},
        {S::S_LOGIN_CHALLENGE, E::E_CHALLENGE_READY, S::S_LOGIN_SIGN_LOCAL},
        {S::S_LOGIN_SIGN_LOCAL, E::E_LOCAL_SIGNED, S::S_LOGIN_PUBLISH_MESSAGE},
        {S::S_LOGIN_PUBLISH_MESSAGE, E::E_PUBLISHED_ENOUGH, S::S_LOGIN_PUBLISH_PROOF},
        {S::S_LOGIN_PUBLISH_MESSAGE, E::E_PUBLISHED_NEED_MORE, S::S_LOGIN_COLLECT_SIGNATURES},
        {S::S_LOGIN_PUBLISH_MESSAGE, E::E_PUBLISH_FAILED, S::S_LOGIN_FAILURE},
        {S::S_LOGIN_COLLECT_SIGNATURES, E::E_ENOUGH_SIGNATURES, S::S_LOGIN_PUBLISH_PROOF},
        {S::S_LOGIN_COLLECT_SIGNATURES, E::E_TIMEOUT, S::S_LOGIN_FAILURE},
        {S::S_LOGIN_COLLECT_SIGNATURES, E::E_DECLINED, S::S_LOGIN_FAILURE},
        {S::S_LOGIN_PUBLISH_PROOF, E::E_NO_REMOTE_SIGNATURES, S::S_LOGIN_VERIFY},
        {S::S_LOGIN_PUBLISH_PROOF, E::E_LOCAL_VERDICT_ACCEPT, S::S_LOGIN_VERIFY},
        {S::S_LOGIN_PUBLISH_PROOF, E::E_LOCAL_VERDICT_REJECT, S::S_LOGIN_FAILURE},
        {S::S_LOGIN_PUBLISH_PROOF, E::E_TIMEOUT, S::S_LOGIN_FAILURE},
        {S::S_LOGIN_VERIFY, E::E_PROOF_VALID, S::S_LOGIN_MARK_NONCE},
        {S::S_LOGIN_VERIFY, E::E_PROOF_INVALID, S::S_LOGIN_FAILURE},
        {S::S_LOGIN_MARK_NONCE, E::E_NONCE_MARKED, S::S_LOGIN_SEND_PROOF},
        {S::S_LOGIN_MARK_NONCE, E::E_NONCE_REUSED, S::S_LOGIN_FAILURE},
        {S::S_LOGIN_SEND_PROOF, E::E_PARENT_ACCEPTED, S::S_LOGIN_SUCCESS},
        {S::S_LOGIN_SEND_PROOF, E::E_PARENT_REJECTED, S::S_LOGIN_FAILURE},
        {S::S_LOGIN_SUCCESS, E::E_RESET, S::S_IDLE},
        {S::S_LOGIN_FAILURE, E::E_RESET, S::S_IDLE},
    };
    for (S s : kActive) {
        t.append({s, E::E_ERROR, S::S_LOGIN_FAILURE});
        // Once the nonce is marked the proof is on its way; cancelling then would leave
        // the user unsure whether the service got it, so the flow runs to its answer.
        if (s != S::S_LOGIN_MARK_NONCE && s != S::S_LOGIN_SEND_PROOF)
            t.append({s, E::E_CANCEL, S::S_LOGIN_FAILURE});
    }
    return t;
}

} // namespace

const QList<LoginTransition>& LoginStateMachine::table()
{
    static const QList<LoginTransition> t = buildTable();
    return t;
}

QList<LoginState> LoginStateMachine::allStates()
{
    QList<LoginState> out;
    for (int i = int(S::S_IDLE); i <= int(S::S_LOGIN_FAILURE); ++i)
        out.append(LoginState(i));
    return out;
}

QList<LoginEvent> LoginStateMachine::allEvents()
{
    QList<LoginEvent> out;
    for (int i = int(E::E_START); i <= int(E::E_RESET); ++i)
        out.append(LoginEvent(i));
    return out;
}

std::optional<LoginState> LoginStateMachine::next(LoginState state, LoginEvent event)
{
    for (const LoginTransition& t : table())
        if (t.from == state && t.event == event)
            return t.to;
    return std::nullopt;
}

bool LoginStateMachine::isTerminal(LoginState state)
{
    return state == S::S_LOGIN_SUCCESS || state == S::S_LOGIN_FAILURE;
}

bool LoginStateMachine::isBackAllowed(LoginState state)
{
    switch (state) {
    case S::S_IDLE:
    case S::S_LOGIN_CHALLENGE:
    case S::S_LOGIN_COLLECT_SIGNATURES:
    case S::S_LOGIN_SUCCESS:
    case S::S_LOGIN_FAILURE:
        return true;
    default:
        return false;
    }
}

QString LoginStateMachine::name(LoginState state)
{
    static const char* const names[] = {"S_IDLE",
                                        "S_LOGIN_CHALLENGE",
                                        "S_LOGIN_SIGN_LOCAL",
                                        "S_LOGIN_PUBLISH_MESSAGE",
                                        "S_LOGIN_COLLECT_SIGNATURES",
                                        "S_LOGIN_PUBLISH_PROOF",
                                        "S_LOGIN_VERIFY",
                                        "S_LOGIN_MARK_NONCE",
                                        "S_LOGIN_SEND_PROOF",
                                        "S_LOGIN_SUCCESS",
                                        "S_LOGIN_FAILURE"};
    static_assert(std::size(names) == std::size_t(S::S_LOGIN_FAILURE) + 1);
    return QString::fromLatin1(names[int(state)]);
}

QString LoginStateMachine::name(LoginEvent event)
{
    static const char* const names[] = {"E_START",
                                        "E_CHALLENGE_READY",
                                        "E_LOCAL_SIGNED",
                                        "E_PUBLISHED_ENOUGH",
                                        "E_PUBLISHED_NEED_MORE",
                                        "E_PUBLISH_FAILED",
                                        "E_ENOUGH_SIGNATURES",
                                        "E_TIMEOUT",
                                        "E_DECLINED",
                                        "E_NO_REMOTE_SIGNATURES",
                                        "E_LOCAL_VERDICT_ACCEPT",
                                        "E_LOCAL_VERDICT_REJECT",
                                        "E_PROOF_VALID",
                                        "E_PROOF_INVALID",
                                        "E_NONCE_MARKED",
                                        "E_NONCE_REUSED",
                                        "E_PARENT_ACCEPTED",
                                        "E_PARENT_REJECTED",
                                        "E_CANCEL",
                                        "E_ERROR",
                                        "E_RESET"};
    static_assert(std::size(names) == std::size_t(E::E_RESET) + 1);
    return QString::fromLatin1(names[int(event)]);
}

QString LoginStateMachine::toDot()
{
    QString out =
        QStringLiteral("// Generated by `userwallet-cli state-diagram` from core/login/LoginStateMachine.cpp.\n"
                       "digraph login {\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
                       "  S_LOGIN_SUCCESS [shape=doublecircle];\n  S_LOGIN_FAILURE [shape=doublecircle];\n");
    for (const LoginTransition& t : table())
        out += QStringLiteral("  %1 -> %2 [label=\"%3\"];\n").arg(name(t.from), name(t.to), name(t.event));
    out += QStringLiteral("}\n");
    return out;
}

bool LoginStateMachine::fire(LoginEvent event)
{
    const auto to = next(m_state, event);
    if (!to)
        return false;
    m_state = *to;
    return true;
}

} // namespace uw
