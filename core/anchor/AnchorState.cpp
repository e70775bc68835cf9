#include "anchor/AnchorState.h"

namespace uw {

QString anchorStateToString(AnchorState state)
{
    switch (state) {
    case AnchorState::Queued:
        return QStringLiteral("queued");
    case AnchorState::Signed:
        return QStringLiteral("signed");
    case AnchorState::Broadcast:
        return QStringLiteral("broadcast");
    case AnchorState::Confirmed:
        return QStringLiteral("confirmed");
    case AnchorState::Failed:
        return QStringLiteral("failed");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<AnchorState> anchorStateFromString(QStringView text)
{
    for (AnchorState s : kAnchorStates)
        if (text == anchorStateToString(s))
            return s;
    return std::nullopt;
}

} // namespace uw
