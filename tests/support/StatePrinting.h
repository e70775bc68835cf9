#pragma once

#include "anchor/AnchorState.h"
#include "chain/UtxoState.h"

#include <QByteArray>

namespace uw {

// QTest prints the states a failed QCOMPARE compared by their words (found by argument-dependent lookup).
inline char* toString(AnchorState state)
{
    return qstrdup(anchorStateToString(state).toUtf8().constData());
}
inline char* toString(UtxoState state)
{
    return qstrdup(utxoStateToString(state).toUtf8().constData());
}
inline char* toString(const std::optional<AnchorState>& state)
{
    return state ? toString(*state) : qstrdup("(no anchor)");
}

} // namespace uw
