#include "login/LoginMessage.h"

#include "crypto/Bytes.h"
#include "crypto/Schnorr.h"

#include "json/CanonicalJson.h"
#include <QHostAddress>
#include <QJsonArray>
#include <QSet>
#include <QUrl>

namespace uw {

namespace {

const QString kV = QStringLiteral("v");
const QString kType = QStringLiteral("type");
const QString kService = QStringLiteral("service");
const QString kCallback = QStringLiteral("callback");
const QString kMembers = QStringLiteral("members");
const QString kStrict = QStringLiteral("strict");
const QString kNonce = QStringLiteral("nonce");
const QString kCreatedAt = QStringLiteral("created_at");
const QString kExpiresAt = QStringLiteral("expires_at");
const QString kId = QStringLiteral("id");
const QString kCardinalite = QStringLiteral("cardinalite_minimale");
const QString kDependsOn = QStringLiteral("depends_on");
const QString kPairs = QStringLiteral("pairs");
const QString kPair = QStringLiteral("pair");
const QString kPubkey = QStringLiteral("pubkey");

/// What a members list belongs to decides the error: a message's or a request's.
enum class Document
{
    Message,
    Request
};

Error invalidIn(Document doc, const QString& why)
{
    return doc == Document::Message
               ? makeError(QStringLiteral("invalid_message"), QStringLiteral("Invalid login message: %1").arg(why))
               : makeError(QStringLiteral("invalid_request"), QStringLiteral("Invalid login request: %1").arg(why));
}

Error invalid(const QString& why)
{
    return invalidIn(Document::Message, why);
}

bool exactKeys(const QJsonObject& o, std::initializer_list<QString> keys)
{
    if (o.size() != qsizetype(keys.size()))
        return false;
    for (const QString& k : keys)
        if (!o.contains(k))
            return false;
    return true;
}

/// A text field: a string of 1 to `maxLength` characters, without control or invisible characters;
/// an identifier (a member id, the service) does not mix lookalike scripts either.
enum class Text
{
    Plain,
    Identifier
};

Result<QString> cleanString(const QJsonValue& v, const QString& field, int maxLength, Document doc = Document::Message,
                            Text kind = Text::Identifier)
{
    if (!v.isString())
        return invalidIn(doc, QStringLiteral("\"%1\" must be a string").arg(field));
    const QString s = v.toString();
    if (s.isEmpty())
        return invalidIn(doc, QStringLiteral("\"%1\" is empty").arg(field));
    if (s.size() > maxLength)
        return invalidIn(doc, QStringLiteral("\"%1\" is longer than %2 characters").arg(field).arg(maxLength));
    if (validate::hasControlCharacters(s))
        return invalidIn(doc, QStringLiteral("\"%1\" contains control characters").arg(field));
    if (validate::hasInvisibleCharacters(s))
        return invalidIn(doc, QStringLiteral("\"%1\" contains invisible or direction-changing characters (%2)")
                                  .arg(field, validate::escapedForDisplay(s)));
    if (kind == Text::Identifier && validate::mixesLookalikeScripts(s))
        return invalidIn(doc,
                         QStringLiteral("\"%1\" mixes Latin, Greek or Cyrillic letters that look alike").arg(field));
    return s;
}

Result<MemberRequirement> parseMember(const QJsonValue& v, int index, Document doc)
{
    const QString where = QStringLiteral("members[%1]").arg(index);
    if (!v.isObject())
        return invalidIn(doc, QStringLiteral("%1 must be an object").arg(where));
    const QJsonObject o = v.toObject();
    if (!exactKeys(o, {kId, kCardinalite, kDependsOn, kPairs}))
        return invalidIn(
            doc, QStringLiteral("%1 must have exactly id, cardinalite_minimale, depends_on and pairs").arg(where));
    MemberRequirement m;
    auto id = cleanString(o.value(kId), where + QStringLiteral(".id"), 256, doc);
    if (!id)
        return id.error();
    m.id = *id;
    const auto card = json::exactInteger(o.value(kCardinalite));
    if (!card || *card < 1 || *card > 1000)
        return invalidIn(doc, QStringLiteral("%1.cardinalite_minimale must be an integer from 1 to 1000").arg(where));
    m.cardinaliteMinimale = int(*card);
    if (!o.value(kDependsOn).isArray())
        return invalidIn(doc, QStringLiteral("%1.depends_on must be an array").arg(where));
    for (const QJsonValue& dep : o.value(kDependsOn).toArray()) {
        auto d = cleanString(dep, where + QStringLiteral(".depends_on[]"), 256, doc);
        if (!d)
            return d.error();
        if (m.dependsOn.contains(*d))
            return invalidIn(doc, QStringLiteral("%1.depends_on lists \"%2\" twice").arg(where, *d));
        m.dependsOn.append(*d);
    }
    if (!o.value(kPairs).isArray() || o.value(kPairs).toArray().isEmpty())
        return invalidIn(doc, QStringLiteral("%1.pairs must be a non-empty array").arg(where));
    QSet<QString> seen;
    for (const QJsonValue& pv : o.value(kPairs).toArray()) {
        if (!pv.isObject() || !exactKeys(pv.toObject(), {kPair, kPubkey}))
            return invalidIn(doc, QStringLiteral("%1.pairs[] must be objects with exactly pair and pubkey").arg(where));
        const QJsonObject po = pv.toObject();
        PairRef p{po.value(kPair).toString(), po.value(kPubkey).toString()};
        if (!validate::isUuid(p.pair))
            return invalidIn(doc,
                             QStringLiteral("%1: pair \"%2\" is not a lowercase UUID").arg(where, p.pair.left(64)));
        const auto key = fromHex<32>(p.pubkey);
        if (!key || !schnorr::isValidXOnlyPublicKey(*key))
            return invalidIn(
                doc, QStringLiteral("%1: pubkey of pair %2 is not a valid x-only public key (64 lowercase hex digits)")
                         .arg(where, p.pair));
        if (seen.contains(p.pair))
            return invalidIn(doc, QStringLiteral("%1 lists pair %2 twice").arg(where, p.pair));
        seen.insert(p.pair);
        m.pairs.append(p);
    }
    if (m.cardinaliteMinimale > m.pairs.size())
        return invalidIn(doc, QStringLiteral("member \"%1\" requires %2 signatures but has only %3 pairs")
                                  .arg(m.id)
                                  .arg(m.cardinaliteMinimale)
                                  .arg(m.pairs.size()));
    return m;
}

/// The first circle of dependencies among `members` (A, B, A: A depends on B, B on A), or nothing.
/// Dependencies on members that are not listed lead nowhere and close no circle.
QStringList dependencyCycle(const QList<MemberRequirement>& members)
{
    QHash<QString, const MemberRequirement*> byId;
    for (const MemberRequirement& m : members)
        byId.insert(m.id, &m);
    enum class Mark
    {
        Unseen,
        OnPath,
        Done
    };
    QHash<QString, Mark> marks;
    QStringList path;
    // Iterative depth-first search: a request may hold hundreds of members, the stack stays flat.
    struct Frame
    {
        const MemberRequirement* member;
        qsizetype next;
    };
    for (const MemberRequirement& root : members) {
        if (marks.value(root.id, Mark::Unseen) != Mark::Unseen)
            continue;
        QList<Frame> stack{{&root, 0}};
        marks.insert(root.id, Mark::OnPath);
        path = {root.id};
        while (!stack.isEmpty()) {
            Frame& top = stack.last();
            if (top.next == top.member->dependsOn.size()) {
                marks.insert(top.member->id, Mark::Done);
                stack.removeLast();
                path.removeLast();
                continue;
            }
            const QString dep = top.member->dependsOn.at(top.next++);
            const MemberRequirement* target = byId.value(dep);
            if (!target)
                continue;
            const Mark mark = marks.value(dep, Mark::Unseen);
            if (mark == Mark::OnPath)
                return path.mid(path.indexOf(dep)) << dep;
            if (mark == Mark::Done)
                continue;
            marks.insert(dep, Mark::OnPath);
            path.append(dep);
            stack.append({target, 0});
        }
    }
    return {};
}

Result<QList<MemberRequirement>> parseMembers(const QJsonValue& value, Document doc)
{
    if (!value.isArray() || value.toArray().isEmpty())
        return invalidIn(doc, QStringLiteral("members must be a non-empty array"));
    QList<MemberRequirement> members;
    QSet<QString> ids;
    QHash<QString, QString> pairKeys; // pair -> pubkey, across members
    QHash<QString, QString> keyPairs; // pubkey -> pair
    int index = 0;
    for (const QJsonValue& mv : value.toArray()) {
        auto member = parseMember(mv, index++, doc);
        if (!member)
            return member.error();
        if (ids.contains(member->id))
            return invalidIn(doc, QStringLiteral("member \"%1\" is listed twice").arg(member->id));
        ids.insert(member->id);
        for (const PairRef& p : member->pairs) {
            // A pair may serve several members, but always with the same key, and a key is one pair.
            if (pairKeys.contains(p.pair) && pairKeys.value(p.pair) != p.pubkey)
                return invalidIn(doc, QStringLiteral("pair %1 appears with two different keys").arg(p.pair));
            if (keyPairs.contains(p.pubkey) && keyPairs.value(p.pubkey) != p.pair)
                return invalidIn(doc, QStringLiteral("public key %1 appears under two different pairs").arg(p.pubkey));
            pairKeys.insert(p.pair, p.pubkey);
            keyPairs.insert(p.pubkey, p.pair);
        }
        members.append(std::move(*member));
    }
    for (const MemberRequirement& mem : members)
        if (mem.dependsOn.contains(mem.id))
            return invalidIn(doc, QStringLiteral("member \"%1\" depends on itself").arg(mem.id));
    // A request names who must sign: a dependency on someone it does not list can never be met.
    // A message keeps the documented leniency (its proof fails with dependency_unsatisfied).
    if (doc == Document::Request)
        for (const MemberRequirement& mem : members)
            for (const QString& dep : mem.dependsOn)
                if (!ids.contains(dep))
                    return invalidIn(doc, QStringLiteral("member \"%1\" depends on \"%2\", who is not among the "
                                                         "members")
                                              .arg(mem.id, dep));
    if (const QStringList cycle = dependencyCycle(members); !cycle.isEmpty())
        return invalidIn(doc, QStringLiteral("the members depend on each other in a circle (%1)")
                                  .arg(cycle.join(QStringLiteral(" -> "))));
    return members;
}

} // namespace

namespace validate {

Result<void> callbackUrl(const QString& url)
{
    const QUrl u(url, QUrl::StrictMode);
    if (!u.isValid() || u.host().isEmpty() || !u.userInfo().isEmpty())
        return makeError(QStringLiteral("bad_callback"),
                         QStringLiteral("The callback \"%1\" is not a valid URL.").arg(url.left(200)));
    if (u.scheme() == QLatin1String("https"))
        return {};
    if (u.scheme() == QLatin1String("http")) {
        const QHostAddress host(u.host());
        if (u.host() == QLatin1String("localhost") || (!host.isNull() && host.isLoopback()))
            return {};
        return makeError(
            QStringLiteral("bad_callback"),
            QStringLiteral("The callback \"%1\" uses plain http:// outside this machine; only https:// is accepted.")
                .arg(url.left(200)));
    }
    return makeError(
        QStringLiteral("bad_callback"),
        QStringLiteral("The callback \"%1\" must use https:// (or http:// on loopback).").arg(url.left(200)));
}

} // namespace validate

QJsonObject LoginMessage::toJson() const
{
    QJsonArray membersJson;
    for (const MemberRequirement& m : members) {
        QJsonArray pairsJson;
        for (const PairRef& p : m.pairs)
            pairsJson.append(QJsonObject{{kPair, p.pair}, {kPubkey, p.pubkey}});
        membersJson.append(QJsonObject{{kId, m.id},
                                       {kCardinalite, m.cardinaliteMinimale},
                                       {kDependsOn, QJsonArray::fromStringList(m.dependsOn)},
                                       {kPairs, pairsJson}});
    }
    return QJsonObject{{kV, kVersion},        {kType, QStringLiteral("login")}, {kService, service},
                       {kCallback, callback}, {kMembers, membersJson},          {kStrict, strict},
                       {kNonce, nonce},       {kCreatedAt, qint64(createdAt)},  {kExpiresAt, qint64(expiresAt)}};
}

Result<QList<MemberRequirement>> LoginMessage::parseMembers(const QJsonValue& members)
{
    return uw::parseMembers(members, Document::Message);
}

Result<QList<MemberRequirement>> LoginMessage::parseRequestMembers(const QJsonValue& members)
{
    return uw::parseMembers(members, Document::Request);
}

Result<LoginMessage> LoginMessage::fromJson(const QJsonObject& o)
{
    if (!exactKeys(o, {kV, kType, kService, kCallback, kMembers, kStrict, kNonce, kCreatedAt, kExpiresAt}))
        return invalid(QStringLiteral("it must have exactly the fields v, type, service, callback, members, strict, "
                                      "nonce, created_at and expires_at"));
    if (json::exactInteger(o.value(kV)) != std::optional<std::int64_t>(kVersion))
        return invalid(QStringLiteral("unsupported version (v must be 1)"));
    if (o.value(kType) != QJsonValue(QStringLiteral("login")))
        return invalid(QStringLiteral("type must be \"login\""));
    LoginMessage m;
    auto service = cleanString(o.value(kService), kService, 256);
    if (!service)
        return service.error();
    m.service = *service;
    auto callback = cleanString(o.value(kCallback), kCallback, 2048, Document::Message, Text::Plain);
    if (!callback)
        return callback.error();
    if (auto ok = validate::callbackUrl(*callback); !ok)
        return invalid(ok.error().message);
    m.callback = *callback;
    if (!o.value(kStrict).isBool())
        return invalid(QStringLiteral("strict must be true or false"));
    m.strict = o.value(kStrict).toBool();
    m.nonce = o.value(kNonce).toString();
    if (!isLowerHex(m.nonce, 32))
        return invalid(QStringLiteral("nonce must be 32 lowercase hex digits"));
    const auto created = json::exactInteger(o.value(kCreatedAt));
    const auto expires = json::exactInteger(o.value(kExpiresAt));
    if (!created || !expires || *created < 0)
        return invalid(QStringLiteral("created_at and expires_at must be integers (Unix seconds)"));
    if (*expires <= *created)
        return invalid(QStringLiteral("expires_at must be after created_at"));
    m.createdAt = *created;
    m.expiresAt = *expires;
    auto members = uw::parseMembers(o.value(kMembers), Document::Message);
    if (!members)
        return members.error();
    m.members = std::move(*members);
    if (auto canon = m.canonical(); !canon)
        return canon.error();
    return m;
}

Result<QByteArray> LoginMessage::canonical() const
{
    auto bytes = json::canonicalize(toJson());
    if (!bytes)
        return bytes.error();
    if (bytes->size() > kMaxBytes)
        return invalid(QStringLiteral("the message is %1 bytes; at most 64 KiB are accepted").arg(bytes->size()));
    return bytes;
}

const MemberRequirement* LoginMessage::member(const QString& id) const
{
    for (const MemberRequirement& m : members)
        if (m.id == id)
            return &m;
    return nullptr;
}

} // namespace uw
