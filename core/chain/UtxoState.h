#pragma once

#include <QString>
#include <QStringView>
#include <array>
#include <optional>

namespace uw {

/// Where an output of the anchoring wallet stands. Text only at the edges: the store's SQL and
/// the JSON of the CLI and the status, through utxoStateToString() / utxoStateFromString(),
/// whose words ("unspent", "locked", "spent_unconfirmed", "spent") stored databases and
/// scripts rely on: they never change.
enum class UtxoState
{
    Unspent,          ///< ours to spend
    Locked,           ///< taken by an anchor or a fan-out being built or sent
    SpentUnconfirmed, ///< spent by a transaction in the mempool
    Spent,            ///< spent in a block, or gone (spent elsewhere)
};

/// Every state, in the order reports list them.
inline constexpr std::array<UtxoState, 4> kUtxoStates{UtxoState::Unspent, UtxoState::Locked,
                                                      UtxoState::SpentUnconfirmed, UtxoState::Spent};

QString utxoStateToString(UtxoState state);
/// The state a word names; nullopt for any other text.
std::optional<UtxoState> utxoStateFromString(QStringView text);

} // namespace uw
