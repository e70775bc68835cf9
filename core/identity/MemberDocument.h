#pragma once

#include "identity/MemberRequirement.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QMetaType>

namespace uw {

/// A member as docs/PROTOCOL.md defines it: id, display name, its pairs and
/// cardinalite_minimale. Stored as canonical JSON in the profile.
struct MemberDocument
{
    QString id;
    QString name;
    int cardinaliteMinimale = 1;
    QList<PairRef> pairs;

    bool operator==(const MemberDocument&) const = default;

    QJsonObject toJson() const;
    static Result<MemberDocument> fromJson(const QJsonObject& json);

    /// The member as a login path requires it.
    MemberRequirement requirement() const;

    static Result<MemberDocument> load(const QString& path);
    /// Atomic write (temporary file + rename).
    Result<void> save(const QString& path) const;
};

} // namespace uw

Q_DECLARE_METATYPE(uw::MemberDocument)
