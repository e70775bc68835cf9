#include "login/Proof.h"

#include "crypto/Bytes.h"
#include "identity/Validate.h"

#include "json/CanonicalJson.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace uw {

namespace {

Error invalid(const QString& why)
{
    return makeError(QStringLiteral("invalid_proof"), QStringLiteral("Invalid proof: %1").arg(why));
}

} // namespace

QJsonObject Proof::toJson() const
{
    QJsonArray sigs;
    for (const LoginSignature& s : signatures)
        sigs.append(s.toJson());
    return QJsonObject{{QStringLiteral("v"), 1},
                       {QStringLiteral("message"), message.toJson()},
                       {QStringLiteral("hash"), hash},
                       {QStringLiteral("nonce"), nonce},
                       {QStringLiteral("signatures"), sigs}};
}

QByteArray Proof::toBytes() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact);
}

Result<Proof> Proof::fromJson(const QJsonObject& o)
{
    static const QStringList keys{QStringLiteral("v"), QStringLiteral("message"), QStringLiteral("hash"),
                                  QStringLiteral("nonce"), QStringLiteral("signatures")};
    if (o.size() != keys.size() ||
        !std::all_of(keys.cbegin(), keys.cend(), [&](const QString& k) { return o.contains(k); }))
        return invalid(QStringLiteral("it must have exactly the fields v, message, hash, nonce and signatures"));
    if (json::exactInteger(o.value(QStringLiteral("v"))) != std::optional<std::int64_t>(1))
        return invalid(QStringLiteral("unsupported version (v must be 1)"));
    if (!o.value(QStringLiteral("message")).isObject())
        return invalid(QStringLiteral("message must be an object"));
    auto message = LoginMessage::fromJson(o.value(QStringLiteral("message")).toObject());
    if (!message)
        return message.error();
    Proof p;
    p.message = std::move(*message);
    p.hash = o.value(QStringLiteral("hash")).toString();
    p.nonce = o.value(QStringLiteral("nonce")).toString();
    if (!isLowerHex(p.hash, 64))
        return invalid(QStringLiteral("hash must be 64 lowercase hex digits"));
    if (!isLowerHex(p.nonce, 32))
        return invalid(QStringLiteral("nonce must be 32 lowercase hex digits"));
    if (!o.value(QStringLiteral("signatures")).isArray())
        return invalid(QStringLiteral("signatures must be an array"));
    const QJsonArray sigs = o.value(QStringLiteral("signatures")).toArray();
    if (sigs.size() > 1000)
        return invalid(QStringLiteral("more than 1000 signatures"));
    for (const QJsonValue& v : sigs) {
        const QJsonObject s = v.toObject();
        if (!v.isObject() || s.size() != 4 || !s.value(QStringLiteral("member")).isString() ||
            !s.value(QStringLiteral("pair")).isString() || !s.value(QStringLiteral("pubkey")).isString() ||
            !s.value(QStringLiteral("sig")).isString())
            return invalid(QStringLiteral("each signature must be {member, pair, pubkey, sig}, all strings"));
        LoginSignature sig{s.value(QStringLiteral("member")).toString(), s.value(QStringLiteral("pair")).toString(),
                           s.value(QStringLiteral("pubkey")).toString(), s.value(QStringLiteral("sig")).toString()};
        if (!validate::isUuid(sig.pair) || !isLowerHex(sig.pubkey, 64) || !isLowerHex(sig.sig, 128) ||
            sig.member.isEmpty() || validate::hasControlCharacters(sig.member))
            return invalid(QStringLiteral("a signature has a malformed pair, pubkey, sig or member"));
        p.signatures.append(sig);
    }
    return p;
}

Result<Proof> Proof::fromBytes(QByteArrayView bytes)
{
    auto parsed = json::parse(bytes, kMaxBytes);
    if (!parsed)
        return parsed.error();
    if (!parsed->isObject())
        return invalid(QStringLiteral("a proof is a JSON object"));
    return fromJson(parsed->toObject());
}

} // namespace uw
