#include "devices/LoginEvents.h"

#include "crypto/Bytes.h"
#include "identity/Validate.h"

#include "json/CanonicalJson.h"
#include <QJsonDocument>
#include <algorithm>

namespace uw {

namespace loginEvents {

namespace {

QList<QStringList> tagsFor(const Challenge& c)
{
    return {{QStringLiteral("h"), c.hash}, {QStringLiteral("expiration"), QString::number(c.message.expiresAt)}};
}

/// The values of every tag named `name` (a tag of that name without a value counts as an empty one).
QStringList tagValues(const NostrEvent& event, const QString& name)
{
    QStringList out;
    for (const QStringList& t : event.tags)
        if (!t.isEmpty() && t[0] == name)
            out.append(t.value(1));
    return out;
}

/// The content of a signature or refusal event: a JSON object (at most 4096 bytes) of exactly
/// these string fields; an error naming what is wrong otherwise.
Result<QJsonObject> stringFields(const NostrEvent& event, const QStringList& names)
{
    auto parsed = json::parse(event.content.toUtf8(), 4096);
    if (!parsed || !parsed->isObject())
        return makeError(QString(), QStringLiteral("content is not a JSON object"));
    const QJsonObject o = parsed->toObject();
    if (o.size() != names.size() ||
        !std::all_of(names.cbegin(), names.cend(), [&](const QString& n) { return o.value(n).isString(); }))
        return makeError(QString(), QStringLiteral("content must be {%1}").arg(names.join(QStringLiteral(", "))));
    return o;
}

} // namespace

Result<NostrEvent> messageEvent(const Challenge& challenge, const SecretKey& devicePairKey, std::int64_t now)
{
    NostrEvent e;
    e.createdAt = now;
    e.kind = kinds::LoginMessage;
    e.tags = tagsFor(challenge);
    for (const MemberRequirement& m : challenge.message.members)
        e.tags.append({QStringLiteral("m"), m.id});
    e.content = QString::fromUtf8(challenge.canonical);
    if (auto r = e.sign(devicePairKey); !r)
        return r.error();
    return e;
}

Result<NostrEvent> signatureEvent(const Challenge& challenge, const LoginSignature& s, const SecretKey& pairKey,
                                  std::int64_t now)
{
    NostrEvent e;
    e.createdAt = now;
    e.kind = kinds::LoginSignature;
    e.tags = tagsFor(challenge);
    e.content = QString::fromUtf8(json::canonicalize(QJsonObject{{QStringLiteral("member"), s.member},
                                                                 {QStringLiteral("pair"), s.pair},
                                                                 {QStringLiteral("sig"), s.sig}})
                                      .value());
    if (auto r = e.sign(pairKey); !r)
        return r.error();
    if (e.pubkey != s.pubkey)
        return makeError(QStringLiteral("key_mismatch"),
                         QStringLiteral("The signature event must be signed by the signing pair."));
    return e;
}

Result<LoginSignature> parseSignatureEvent(const NostrEvent& event)
{
    auto bad = [](const QString& why) {
        return makeError(QStringLiteral("invalid_signature_event"),
                         QStringLiteral("Ignored signature event: %1").arg(why));
    };
    if (event.kind != kinds::LoginSignature)
        return bad(QStringLiteral("wrong kind"));
    const auto content = stringFields(event, {QStringLiteral("member"), QStringLiteral("pair"), QStringLiteral("sig")});
    if (!content)
        return bad(content.error().message);
    const QJsonObject& o = *content;
    LoginSignature s{o.value(QStringLiteral("member")).toString(), o.value(QStringLiteral("pair")).toString(),
                     event.pubkey, o.value(QStringLiteral("sig")).toString()};
    if (!validate::isUuid(s.pair) || !isLowerHex(s.sig, 128) || s.member.isEmpty())
        return bad(QStringLiteral("malformed member, pair or sig"));
    return s;
}

Result<NostrEvent> declineEvent(const Challenge& challenge, const QString& member, const QString& pair,
                                DeclineReason reason, const SecretKey& pairKey, std::int64_t now)
{
    NostrEvent e;
    e.createdAt = now;
    e.kind = kinds::LoginDecline;
    e.tags = tagsFor(challenge);
    e.content =
        QString::fromUtf8(json::canonicalize(QJsonObject{{QStringLiteral("member"), member},
                                                         {QStringLiteral("pair"), pair},
                                                         {QStringLiteral("reason"), declineReasonToString(reason)}})
                              .value());
    if (auto r = e.sign(pairKey); !r)
        return r.error();
    return e;
}

Result<LoginDecline> parseDeclineEvent(const NostrEvent& event)
{
    auto bad = [](const QString& why) {
        return makeError(QStringLiteral("invalid_decline_event"), QStringLiteral("Ignored refusal event: %1").arg(why));
    };
    if (event.kind != kinds::LoginDecline)
        return bad(QStringLiteral("wrong kind"));
    const QStringList hashes = tagValues(event, QStringLiteral("h"));
    if (hashes.size() != 1 || !isLowerHex(hashes.first(), 64))
        return bad(QStringLiteral("it must name exactly one login (one h tag)"));
    const auto content =
        stringFields(event, {QStringLiteral("member"), QStringLiteral("pair"), QStringLiteral("reason")});
    if (!content)
        return bad(content.error().message);
    const QJsonObject& o = *content;
    const auto reason = declineReasonFromString(o.value(QStringLiteral("reason")).toString());
    if (!reason)
        return bad(QStringLiteral("unknown reason"));
    LoginDecline d{hashes.first(), o.value(QStringLiteral("member")).toString(),
                   o.value(QStringLiteral("pair")).toString(), event.pubkey, *reason};
    if (!validate::isUuid(d.pair) || d.member.isEmpty())
        return bad(QStringLiteral("malformed member or pair"));
    return d;
}

Result<Challenge> parsePushedMessageEvent(const NostrEvent& event)
{
    const QStringList hashes = tagValues(event, QStringLiteral("h"));
    if (hashes.size() != 1)
        return makeError(QStringLiteral("invalid_message_event"),
                         QStringLiteral("A login message event must name its login once (one h tag)."));
    auto challenge = parseMessageEvent(event, hashes.first());
    if (!challenge)
        return challenge;
    QStringList tagged = tagValues(event, QStringLiteral("m"));
    QStringList asked;
    for (const MemberRequirement& m : challenge->message.members)
        asked.append(m.id);
    tagged.sort();
    asked.sort();
    if (tagged != asked)
        return makeError(QStringLiteral("invalid_message_event"),
                         QStringLiteral("The event's m tags do not name the members its message asks."));
    return challenge;
}

Result<Challenge> parseMessageEvent(const NostrEvent& event, const QString& expectedHash)
{
    if (event.kind != kinds::LoginMessage)
        return makeError(QStringLiteral("invalid_message_event"), QStringLiteral("Not a login message event."));
    auto parsed = json::parse(event.content.toUtf8(), LoginMessage::kMaxBytes);
    if (!parsed)
        return parsed.error();
    if (!parsed->isObject())
        return makeError(QStringLiteral("invalid_message"), QStringLiteral("The login message is not a JSON object."));
    auto message = LoginMessage::fromJson(parsed->toObject());
    if (!message)
        return message.error();
    auto challenge = Challenge::fromMessage(*message);
    if (!challenge)
        return challenge.error();
    if (challenge->hash != expectedHash)
        return makeError(
            QStringLiteral("hash_mismatch"),
            QStringLiteral("A relay served a message whose hash is not the one in the link; it was ignored."));
    return challenge;
}

QStringList loginHashes(const NostrEvent& event)
{
    return tagValues(event, QStringLiteral("h"));
}

NostrFilter signaturesFilter(const QString& hash)
{
    NostrFilter f;
    f.kinds = {kinds::LoginSignature, kinds::LoginDecline};
    f.tags.insert(QStringLiteral("h"), {hash});
    return f;
}

NostrFilter messageFilter(const QString& hash)
{
    NostrFilter f;
    f.kinds = {kinds::LoginMessage};
    f.tags.insert(QStringLiteral("h"), {hash});
    return f;
}

NostrFilter requestsFilter(const QString& member, std::int64_t since)
{
    NostrFilter f;
    f.kinds = {kinds::LoginMessage};
    f.tags.insert(QStringLiteral("m"), {member});
    f.since = since;
    return f;
}

} // namespace loginEvents
} // namespace uw
