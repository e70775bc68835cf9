#pragma once

#include "identity/MemberRequirement.h"
#include "util/Result.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QMetaType>

namespace uw {

/// A member as docs/PROTOCOL.md defines it: id, display name, its pairs and
/// cardinalite_minimale, plus what only people read (a label per pair) and its place in the
/// member's chain of versions. Stored as canonical JSON in the profile.
///
/// Labels, version and previous never reach a login message: requirement() carries the pairs
/// as PairRef (pair, pubkey) only, so a login's hash is the same whatever the devices are called.
struct MemberDocument
{
    /// The highest version number a document may carry.
    static constexpr std::int64_t kMaxVersion = 1'000'000'000;
    /// The longest label, in characters (Unicode code points).
    static constexpr int kMaxLabelLength = 64;

    QString id;
    QString name;
    int cardinaliteMinimale = 1;
    QList<PairRef> pairs;
    /// The document's place in the member's chain: 1 for the first, then one more per update.
    /// A document written before versions existed reads as version 1.
    int version = 1;
    /// The id of the kind-9243 event that carried the previous version; empty for version 1.
    QString previous{};
    /// pair UUID -> the device's label ("laptop"); a pair without one (older documents) is absent.
    QMap<QString, QString> labels{};

    bool operator==(const MemberDocument&) const = default;

    QJsonObject toJson() const;
    /// Reads a document; one without `version`, `previous` or labels (written before they existed)
    /// reads as version 1 with no labels.
    static Result<MemberDocument> fromJson(const QJsonObject& json);

    /// The member as a login path requires it (no labels: they are not part of what is signed in a login).
    MemberRequirement requirement() const;

    /// The label of `pair`, or an empty string when it has none.
    QString label(const QString& pair) const { return labels.value(pair); }
    /// pair UUID -> label, for naming the other devices (LoginSessionOptions::pairLabels).
    QHash<QString, QString> pairLabels() const;
    /// The next version of this document, carried after the event `eventId` that carries this one:
    /// version + 1, previous = eventId, everything else unchanged.
    MemberDocument successor(const QString& eventId) const;

    /// Empty when `label` is acceptable as a device label, else what is wrong, in words: 1 to 64
    /// characters, no control or invisible character, no white space at either end.
    static QString labelProblem(const QString& label);
    /// A label for this machine: its host name without what a label may not hold, cut to 64
    /// characters; "device" when nothing is left.
    static QString defaultLabel();
    /// `text` made into an acceptable label the same way (for a host name, or what a person typed).
    static QString cleanLabel(const QString& text);

    static Result<MemberDocument> load(const QString& path);
    /// Atomic write (temporary file + rename).
    Result<void> save(const QString& path) const;
};

} // namespace uw

Q_DECLARE_METATYPE(uw::MemberDocument)
