#include "devices/LoginEvents.h"

#include "crypto/Bytes.h"
#include "identity/Validate.h"

#include "json/CanonicalJson.h"
#include <QJsonDocument>

namespace uw::loginEvents {

namespace {

QList<QStringList> tagsFor(const Challenge& c)
{
    return {{QStringLiteral("h"), c.hash}, {QStringLiteral("expiration"), QString::number(c.message.expiresAt)}};
}

} // namespace

Result<NostrEvent> messageEvent(const Challenge& challenge, const SecretKey& devicePairKey, std::int64_t now)
{
    NostrEvent e;
    e.createdAt = now;
    e.kind = kinds::LoginMessage;
    e.tags = tagsFor(challenge);
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
    auto parsed = json::parse(event.content.toUtf8(), 4096);
    if (!parsed || !parsed->isObject())
        return bad(QStringLiteral("content is not a JSON object"));
    const QJsonObject o = parsed->toObject();
    if (o.size() != 3 || !o.value(QStringLiteral("member")).isString() || !o.value(QStringLiteral("pair")).isString() ||
        !o.value(QStringLiteral("sig")).isString())
        return bad(QStringLiteral("content must be {member, pair, sig}"));
    LoginSignature s{o.value(QStringLiteral("member")).toString(), o.value(QStringLiteral("pair")).toString(),
                     event.pubkey, o.value(QStringLiteral("sig")).toString()};
    if (!validate::isUuid(s.pair) || !isLowerHex(s.sig, 128) || s.member.isEmpty())
        return bad(QStringLiteral("malformed member, pair or sig"));
    return s;
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

NostrFilter signaturesFilter(const QString& hash)
{
    NostrFilter f;
    f.kinds = {kinds::LoginSignature};
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

} // namespace uw::loginEvents
