#include "devices/MemberChain.h"

#include "identity/Validate.h"

#include "json/CanonicalJson.h"
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

namespace uw {

namespace {

/// The longest event file this device reads back (its own member.event.json).
constexpr qint64 kMaxEventFileBytes = 1024 * 1024;

QString shortId(const QString& id)
{
    return id.left(16);
}

bool isPairOf(const MemberDocument& doc, const QString& pubkey)
{
    return std::any_of(doc.pairs.cbegin(), doc.pairs.cend(), [&](const PairRef& p) { return p.pubkey == pubkey; });
}

/// "pair UUID ("label")" of the pair of `doc` whose key signed `event`, for naming a fork's side.
QString signerName(const MemberDocument& doc, const NostrEvent& event)
{
    for (const PairRef& p : doc.pairs)
        if (p.pubkey == event.pubkey)
            return doc.label(p.pair).isEmpty() ? p.pair : QStringLiteral("%1 (\"%2\")").arg(p.pair, doc.label(p.pair));
    return QStringLiteral("key %1").arg(shortId(event.pubkey));
}

Error fork(const QString& memberId, int version, const QList<MemberVersion>& sides, const QString& after)
{
    QStringList names;
    for (const MemberVersion& v : sides)
        names << QStringLiteral("%1 signed by %2").arg(v.event.id, signerName(v.document, v.event));
    return makeError(
        QStringLiteral("member_fork"),
        QStringLiteral("The documents of member \"%1\" fork at version %2%3: %4. Both are validly signed; nothing was "
                       "chosen. Decide which one holds and publish its next version from a device of that branch.")
            .arg(validate::escapedForDisplay(memberId))
            .arg(version)
            .arg(after, names.join(QStringLiteral(" and "))));
}

} // namespace

namespace memberchain {

Result<MemberDocument> readVersion(const NostrEvent& event)
{
    auto bad = [&](const QString& why) {
        return makeError(QStringLiteral("invalid_member_event"),
                         QStringLiteral("Invalid member document event %1: %2").arg(shortId(event.id), why));
    };
    if (event.kind != kinds::MemberDocument)
        return bad(QStringLiteral("it is not of kind %1").arg(kinds::MemberDocument));
    if (!event.verify())
        return bad(QStringLiteral("its id or signature does not verify"));
    auto parsed = json::parse(event.content.toUtf8(), 1024 * 1024);
    if (!parsed || !parsed->isObject())
        return bad(QStringLiteral("its content is not a JSON object"));
    auto doc = MemberDocument::fromJson(parsed->toObject());
    if (!doc)
        return bad(doc.error().message);
    if (event.tagValue(QStringLiteral("m")) != doc->id)
        return bad(QStringLiteral("its m tag is not the member's id"));
    return doc;
}

Result<NostrEvent> sign(const MemberDocument& doc, const SecretKey& signer, std::int64_t now)
{
    auto canon = json::canonicalize(doc.toJson());
    if (!canon)
        return canon.error();
    NostrEvent e;
    e.kind = kinds::MemberDocument;
    e.createdAt = now;
    e.tags = {{QStringLiteral("m"), doc.id}};
    e.content = QString::fromUtf8(*canon);
    if (auto r = e.sign(signer); !r)
        return r.error();
    return e;
}

Result<MemberChain> resolve(const QString& memberId, const QList<NostrEvent>& events,
                            const std::optional<NostrEvent>& start)
{
    MemberChain chain;
    QSet<QString> seen;
    QList<MemberVersion> valid; // every event of this member that reads on its own
    for (const NostrEvent& e : events) {
        if (seen.contains(e.id))
            continue;
        seen.insert(e.id);
        auto doc = readVersion(e);
        if (!doc) {
            chain.rejected << QStringLiteral("%1: %2").arg(e.id, doc.error().message);
            continue;
        }
        if (doc->id != memberId) {
            chain.rejected << QStringLiteral("%1: a document of another member").arg(e.id);
            continue;
        }
        valid.append(MemberVersion{e, *doc});
    }

    MemberVersion current;
    if (start) {
        auto doc = readVersion(*start);
        if (!doc)
            return makeError(QStringLiteral("member_chain_broken"),
                             QStringLiteral("The version to start from is not valid: %1").arg(doc.error().message));
        if (doc->id != memberId)
            return makeError(QStringLiteral("member_chain_broken"),
                             QStringLiteral("The version to start from is a document of member \"%1\", not \"%2\".")
                                 .arg(validate::escapedForDisplay(doc->id), validate::escapedForDisplay(memberId)));
        current = MemberVersion{*start, *doc};
    } else {
        QList<MemberVersion> roots;
        for (const MemberVersion& v : std::as_const(valid))
            if (v.document.version == 1 && isPairOf(v.document, v.event.pubkey))
                roots.append(v);
        if (roots.size() > 1)
            return fork(memberId, 1, roots, QString());
        if (roots.isEmpty()) {
            if (valid.isEmpty() && chain.rejected.isEmpty())
                return makeError(QStringLiteral("member_not_found"),
                                 QStringLiteral("No member document of \"%1\" was found on the relays.")
                                     .arg(validate::escapedForDisplay(memberId)));
            return makeError(QStringLiteral("member_chain_broken"),
                             QStringLiteral("%1 event(s) name member \"%2\" but none is a valid version 1 signed by "
                                            "one of its own pairs, so no chain can be verified.%3")
                                 .arg(seen.size())
                                 .arg(validate::escapedForDisplay(memberId),
                                      chain.rejected.isEmpty()
                                          ? QString()
                                          : QStringLiteral(" First refusal: ") + chain.rejected[0]));
        }
        current = roots.first();
    }
    chain.versions.append(current);

    // Children by the event they follow; what is never reached is listed as rejected at the end.
    QMultiHash<QString, MemberVersion> byPrevious;
    for (const MemberVersion& v : std::as_const(valid))
        if (v.document.version > 1)
            byPrevious.insert(v.document.previous, v);
    QSet<QString> used{current.event.id};
    for (;;) {
        QList<MemberVersion> next;
        for (const MemberVersion& child : byPrevious.values(current.event.id)) {
            if (child.document.version != current.document.version + 1) {
                chain.rejected << QStringLiteral("%1: version %2 cannot follow version %3")
                                      .arg(child.event.id)
                                      .arg(child.document.version)
                                      .arg(current.document.version);
            } else if (!isPairOf(current.document, child.event.pubkey)) {
                chain.rejected << QStringLiteral(
                                      "%1: version %2 is signed by key %3, which is not a pair of version %4")
                                      .arg(child.event.id)
                                      .arg(child.document.version)
                                      .arg(child.event.pubkey)
                                      .arg(current.document.version);
            } else {
                next.append(child);
            }
            used.insert(child.event.id);
        }
        if (next.size() > 1) {
            std::sort(next.begin(), next.end(),
                      [](const MemberVersion& a, const MemberVersion& b) { return a.event.id < b.event.id; });
            return fork(memberId, current.document.version + 1, next,
                        QStringLiteral(" (after event %1)").arg(current.event.id));
        }
        if (next.isEmpty())
            break;
        current = next.first();
        chain.versions.append(current);
    }
    for (const MemberVersion& v : std::as_const(valid))
        if (!used.contains(v.event.id))
            chain.rejected << QStringLiteral("%1: version %2 is not reached from the start of the chain")
                                  .arg(v.event.id)
                                  .arg(v.document.version);
    return chain;
}

Result<void> labelLocalPairs(MemberDocument& doc, const KeyRing& keys, const QString& label)
{
    if (const QString problem = MemberDocument::labelProblem(label); !problem.isEmpty())
        return makeError(QStringLiteral("invalid_label"),
                         QStringLiteral("\"%1\": %2.").arg(validate::escapedForDisplay(label), problem));
    bool any = false;
    for (const PairRef& p : std::as_const(doc.pairs))
        if (keys.contains(p.pair) && keys.pubkey(p.pair) == p.pubkey) {
            doc.labels.insert(p.pair, label);
            any = true;
        }
    if (!any)
        return makeError(QStringLiteral("not_a_device_of_member"),
                         QStringLiteral("This device holds no pair of member \"%1\".").arg(doc.id));
    return {};
}

QList<PairRef> heldPairs(const KeyRing& keys)
{
    QList<PairRef> out;
    for (const QString& pair : keys.pairs())
        out.append(PairRef{pair, keys.pubkey(pair)});
    return out;
}

Result<PairRef> findPair(const MemberDocument& doc, const QString& which)
{
    for (const PairRef& p : doc.pairs)
        if (p.pair == which)
            return p;
    QList<PairRef> named;
    for (const PairRef& p : doc.pairs)
        if (doc.label(p.pair) == which)
            named.append(p);
    if (named.size() == 1)
        return named.first();
    if (named.isEmpty())
        return makeError(QStringLiteral("unknown_device"),
                         QStringLiteral("Member \"%1\" has no device \"%2\" (give a pair id or a label that "
                                        "`member show` lists).")
                             .arg(validate::escapedForDisplay(doc.id), validate::escapedForDisplay(which)));
    QStringList ids;
    for (const PairRef& p : std::as_const(named))
        ids << p.pair;
    return makeError(QStringLiteral("ambiguous_device"),
                     QStringLiteral("%1 devices of member \"%2\" are called \"%3\": name the one you mean by its "
                                    "pair id (%4).")
                         .arg(named.size())
                         .arg(validate::escapedForDisplay(doc.id), validate::escapedForDisplay(which),
                              ids.join(QStringLiteral(", "))));
}

Result<PairRef> checkRemoval(const MemberDocument& doc, const QList<PairRef>& local, const QString& which)
{
    auto found = findPair(doc, which);
    if (!found)
        return found.error();
    const QString label = doc.label(found->pair);
    const QString name = label.isEmpty()
                             ? found->pair
                             : QStringLiteral("\"%1\" (pair %2)").arg(validate::escapedForDisplay(label), found->pair);
    const QString member = validate::escapedForDisplay(doc.id);
    if (doc.pairs.size() <= 1)
        return makeError(QStringLiteral("last_device"),
                         QStringLiteral("Device %1 is the only device of member \"%2\": without it nobody could sign "
                                        "for the member. Pair another device first. Nothing was changed.")
                             .arg(name, member));
    if (local.contains(*found))
        return makeError(QStringLiteral("removing_this_device"),
                         QStringLiteral("Device %1 is this device, which does not remove itself: remove it from "
                                        "another of member \"%2\"'s devices (its Devices page, or `userwallet-cli "
                                        "member remove`). Nothing was changed.")
                             .arg(name, member));
    const qsizetype left = doc.pairs.size() - 1;
    if (left < doc.cardinaliteMinimale)
        return makeError(QStringLiteral("would_lock_out"),
                         QStringLiteral("Member \"%1\" needs %2 devices to sign each login; without device %3 only "
                                        "%4 would be left, so no login could succeed. Pair another device first. "
                                        "Nothing was changed.")
                             .arg(member, QString::number(doc.cardinaliteMinimale), name, QString::number(left)));
    return found;
}

Result<void> removePair(MemberDocument& doc, const QList<PairRef>& local, const QString& which)
{
    auto removed = checkRemoval(doc, local, which);
    if (!removed)
        return removed.error();
    doc.pairs.removeAll(*removed);
    doc.labels.remove(removed->pair);
    return {};
}

Result<MemberUpdate> prepareUpdate(const LocalMember& local, const std::function<Result<void>(MemberDocument&)>& change,
                                   const KeyRing& keys, std::int64_t now)
{
    const SecretKey* signer = nullptr;
    for (const PairRef& p : local.document.pairs)
        if (keys.pubkey(p.pair) == p.pubkey && (signer = keys.secret(p.pair)))
            break;
    if (!signer)
        return makeError(
            QStringLiteral("not_a_device_of_member"),
            QStringLiteral("This device holds no authorized key of member \"%1\".").arg(local.document.id));
    MemberUpdate update;
    NostrEvent base;
    MemberDocument baseDoc = local.document;
    if (local.event) {
        base = *local.event;
    } else {
        // Never published (or kept from before versions): this document starts a chain of its own.
        baseDoc.version = 1;
        baseDoc.previous.clear();
        auto first = sign(baseDoc, *signer, now);
        if (!first)
            return first.error();
        base = *first;
        update.events.append(base);
    }
    MemberDocument next = baseDoc.successor(base.id);
    if (auto changed = change(next); !changed)
        return changed.error();
    next.version = baseDoc.version + 1; // whatever `change` did, the chain is ours to number
    next.previous = base.id;
    if (next.id != baseDoc.id)
        return makeError(QStringLiteral("invalid_member"), QStringLiteral("A member's id cannot change."));
    if (auto checked = MemberDocument::fromJson(next.toJson()); !checked)
        return checked.error();
    auto signedNext = sign(next, *signer, now);
    if (!signedNext)
        return signedNext.error();
    update.events.append(*signedNext);
    update.result = LocalMember{next, *signedNext};
    return update;
}

} // namespace memberchain

Result<LocalMember> LocalMember::load(const Profile& profile)
{
    auto doc = MemberDocument::load(profile.memberFile());
    if (!doc)
        return doc.error();
    LocalMember local{*doc, std::nullopt};
    QFile f(profile.memberEventFile());
    if (!f.open(QIODevice::ReadOnly) || f.size() > kMaxEventFileBytes)
        return local; // never published: the next change starts the chain
    const QJsonDocument json = QJsonDocument::fromJson(f.read(kMaxEventFileBytes));
    auto event = NostrEvent::fromJson(json.object());
    if (!event)
        return local;
    auto carried = memberchain::readVersion(*event);
    if (carried && *carried == *doc)
        local.event = *event;
    return local;
}

Result<void> LocalMember::save(const Profile& profile) const
{
    if (event) {
        QSaveFile f(profile.memberEventFile());
        if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(event->toJson()).toJson()) < 0 || !f.commit())
            return makeError(QStringLiteral("io"),
                             QStringLiteral("Cannot write %1: %2").arg(profile.memberEventFile(), f.errorString()));
    } else if (QFile::exists(profile.memberEventFile()) && !QFile::remove(profile.memberEventFile())) {
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot remove %1.").arg(profile.memberEventFile()));
    }
    return document.save(profile.memberFile());
}

} // namespace uw
