#pragma once

#include <QString>
#include <QStringView>
#include <array>
#include <optional>

namespace uw {

/// Where an anchoring request stands. Text only at the edges: the store's SQL and the JSON of
/// the CLI and the status, through anchorStateToString() / anchorStateFromString(), whose words
/// ("queued", "signed", "broadcast", "confirmed", "failed") stored databases and scripts rely
/// on: they never change.
enum class AnchorState
{
    Queued,    ///< waiting for a UTXO (or for its retry time)
    Signed,    ///< its transaction is built, signed and recorded, not yet accepted by the node
    Broadcast, ///< accepted by the node, in the mempool
    Confirmed, ///< in a block the store knows
    Failed,    ///< given up, with the reason
};

/// Every state, in the order of the lifecycle.
inline constexpr std::array<AnchorState, 5> kAnchorStates{
    AnchorState::Queued, AnchorState::Signed, AnchorState::Broadcast, AnchorState::Confirmed, AnchorState::Failed};

QString anchorStateToString(AnchorState state);
/// The state a word names; nullopt for any other text.
std::optional<AnchorState> anchorStateFromString(QStringView text);

} // namespace uw
