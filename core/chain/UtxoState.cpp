#include "chain/UtxoState.h"

namespace uw {

QString utxoStateToString(UtxoState state)
{
    switch (state) {
    case UtxoState::Unspent:
        return QStringLiteral("unspent");
    case UtxoState::Locked:
        return QStringLiteral("locked");
    case UtxoState::SpentUnconfirmed:
        return QStringLiteral("spent_unconfirmed");
    case UtxoState::Spent:
        return QStringLiteral("spent");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<UtxoState> utxoStateFromString(QStringView text)
{
    for (UtxoState s : kUtxoStates)
        if (text == utxoStateToString(s))
            return s;
    return std::nullopt;
}

} // namespace uw
