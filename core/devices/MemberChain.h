#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "identity/Profile.h"
#include "relay/NostrEvent.h"
#include "util/Result.h"

#include <QList>
#include <QStringList>
#include <functional>
#include <optional>

namespace uw {

/// One version of a member document as the relays carry it: the kind-9243 event and its content.
struct MemberVersion
{
    NostrEvent event;
    MemberDocument document;
};

/// A member's chain of documents, from its start to the latest version reachable from it.
struct MemberChain
{
    QList<MemberVersion> versions; ///< oldest first; never empty
    /// "event id: why" for every event that was set aside (a stranger's, a forgery, another member's,
    /// a version nothing leads to), in the order they were given.
    QStringList rejected;

    const MemberVersion& latest() const { return versions.last(); }
};

/// The chain of member documents (docs/PROTOCOL.md, "The member document"): every version after
/// the first names the event of the one before (`previous`), has its number plus one, and is
/// signed by a pair of that previous version, so nobody outside the member can append to it.
/// No network here: the events come from whoever fetched them (MemberFetch, a test).
namespace memberchain {

/// Reads one kind-9243 event on its own: kind, id and signature, content (a member document) and
/// its `m` tag (the document's id). Who signed it is the chain's question, not this one's.
Result<MemberDocument> readVersion(const NostrEvent& event);

/// The member document event (kind 9243, ["m", id]) carrying `doc`, signed by `signer`.
Result<NostrEvent> sign(const MemberDocument& doc, const SecretKey& signer, std::int64_t now);

/// Follows the chain of member `memberId` through `events` (any order; duplicates, strangers'
/// events, forgeries and other members' events are set aside and listed in `rejected`).
///
/// The chain starts at `start` when given (an event this device already trusts: its own copy, or
/// one a service pinned), else at the one valid version 1 among `events` (signed by one of its own
/// pairs, no `previous`). From there, version n+1 must name version n's event as `previous` and be
/// signed by a pair of version n. Errors: "member_not_found" (nothing for this member),
/// "member_chain_broken" (events, but no valid start), "member_fork" (two valid versions with the
/// same number after the same start, or two versions 1: the message names both events).
Result<MemberChain> resolve(const QString& memberId, const QList<NostrEvent>& events,
                            const std::optional<NostrEvent>& start = std::nullopt);

} // namespace memberchain

/// This device's own copy of its member: the document (member.json) and, once it was published or
/// received, the event that carries it (member.event.json), which the next version names as `previous`.
struct LocalMember
{
    MemberDocument document;
    std::optional<NostrEvent> event;

    /// Reads the profile's copy. The event is kept only when it verifies and carries exactly the
    /// document (an older event left beside a newer document is ignored: the next change starts a
    /// new chain, see prepareUpdate).
    static Result<LocalMember> load(const Profile& profile);
    /// Writes the event first, then the document (each atomically).
    Result<void> save(const Profile& profile) const;
};

/// What a change of the member publishes: the events, oldest first (a version 1 when the chain
/// starts here, then the new version), and the new local copy.
struct MemberUpdate
{
    QList<NostrEvent> events;
    LocalMember result;
};

namespace memberchain {

/// Prepares the next version of `local`: `change` edits a copy of the document (its labels, its
/// pairs); the result is checked as a reader would, numbered and chained, and signed by the first
/// pair of `local` whose key `keys` holds. A document with no event of its own (never published,
/// or from before versions) is first published as a version 1 of its own.
Result<MemberUpdate> prepareUpdate(const LocalMember& local, const std::function<Result<void>(MemberDocument&)>& change,
                                   const KeyRing& keys, std::int64_t now);

/// Sets the label of every pair of `doc` that `keys` holds (this device) to `label`, checked.
Result<void> labelLocalPairs(MemberDocument& doc, const KeyRing& keys, const QString& label);

/// The pairs of `keys` (this device's), as the member document lists them.
QList<PairRef> heldPairs(const KeyRing& keys);

/// The pair of `doc` that `which` names: its pair UUID, or a label that exactly one pair carries.
/// Errors: "unknown_device", "ambiguous_device" (several pairs carry that label: the message lists
/// their pair ids).
Result<PairRef> findPair(const MemberDocument& doc, const QString& which);

/// The pair `which` names (findPair), if a device holding the pairs `local` may remove it from
/// `doc` without locking the member out. Refused, with a sentence that says what to do instead:
/// "last_device" (the member's only device), "removing_this_device" (a device never removes
/// itself: another of the member's devices does), "would_lock_out" (fewer devices would be left
/// than the cardinalite_minimale every login needs).
Result<PairRef> checkRemoval(const MemberDocument& doc, const QList<PairRef>& local, const QString& which);

/// Removes the pair `which` names and its label from `doc`, after checkRemoval(). The next version
/// without the pair is signed by one of `local`'s: from then on, the removed key can neither sign a
/// login for the member (a login message lists the latest version's pairs) nor append a version.
Result<void> removePair(MemberDocument& doc, const QList<PairRef>& local, const QString& which);

} // namespace memberchain

} // namespace uw
