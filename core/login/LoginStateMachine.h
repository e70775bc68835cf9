#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace uw {

/// Every state of the device-1 login flow. The names are fixed: `userwallet-cli state-diagram`
/// prints them and the tests name them.
enum class LoginState
{
    S_IDLE,
    S_LOGIN_CHALLENGE,          ///< building the message, its hash and nonce
    S_LOGIN_SIGN_LOCAL,         ///< signing with this device's pairs of the member
    S_LOGIN_PUBLISH_MESSAGE,    ///< publishing message and local signatures to the relays
    S_LOGIN_COLLECT_SIGNATURES, ///< waiting for the other devices' signatures
    S_LOGIN_PUBLISH_PROOF,      ///< proof assembled; confirmation asked here when remote signatures are in it
    S_LOGIN_VERIFY,             ///< verifying the proof like the parent will
    S_LOGIN_MARK_NONCE,         ///< recording the nonce as used, durably
    S_LOGIN_SEND_PROOF,         ///< HTTP POST to the parent's callback
    S_LOGIN_SUCCESS,
    S_LOGIN_FAILURE,
};

/// Every event that moves the flow.
enum class LoginEvent
{
    E_START,
    E_CHALLENGE_READY,
    E_LOCAL_SIGNED,
    E_PUBLISHED_ENOUGH,    ///< published and the local signatures already satisfy the path
    E_PUBLISHED_NEED_MORE, ///< published; other devices must sign
    E_PUBLISH_FAILED,      ///< no relay acknowledged an event
    E_ENOUGH_SIGNATURES,   ///< the collection reached hasEnoughSignatures
    E_TIMEOUT,
    E_DECLINED,             ///< an authorized device of the path refused the login (a signed decline)
    E_NO_REMOTE_SIGNATURES, ///< every signature is local: no confirmation
    E_LOCAL_VERDICT_ACCEPT, ///< the user confirmed the remote signatures
    E_LOCAL_VERDICT_REJECT, ///< the user refused them
    E_PROOF_VALID,
    E_PROOF_INVALID,
    E_NONCE_MARKED,
    E_NONCE_REUSED,
    E_PARENT_ACCEPTED, ///< 2xx from the callback
    E_PARENT_REJECTED, ///< anything else, or unreachable
    E_CANCEL,
    E_ERROR, ///< an internal step failed (bad input, no key, ...)
    E_RESET,
};

struct LoginTransition
{
    LoginState from;
    LoginEvent event;
    LoginState to;
};

/// The one transition table of the login flow. Anything not in it is refused.
class LoginStateMachine
{
public:
    static const QList<LoginTransition>& table();
    static QList<LoginState> allStates();
    static QList<LoginEvent> allEvents();

    /// The state after `event` in `state`, or nullopt if the table refuses it.
    static std::optional<LoginState> next(LoginState state, LoginEvent event);
    static bool isTerminal(LoginState state);
    /// Whether the user may go back from this state (never during the confirmation).
    static bool isBackAllowed(LoginState state);

    static QString name(LoginState state);
    static QString name(LoginEvent event);
    /// The table as a Graphviz digraph (docs/login-state-machine.dot is this output).
    static QString toDot();

    LoginState state() const { return m_state; }
    /// Applies `event`; returns false (and stays put) when the table refuses it.
    bool fire(LoginEvent event);

private:
    LoginState m_state = LoginState::S_IDLE;
};

} // namespace uw
