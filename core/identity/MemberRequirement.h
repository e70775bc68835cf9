#pragma once

#include "identity/PairRef.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace uw {

/// A member that must sign, with its authorized pairs.
struct MemberRequirement
{
    QString id;
    int cardinaliteMinimale = 1;
    QStringList dependsOn;
    QList<PairRef> pairs;
    bool operator==(const MemberRequirement&) const = default;
};

} // namespace uw
