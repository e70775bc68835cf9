#include "relay/NostrEvent.h"

#include "crypto/Bytes.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"

#include "json/CanonicalJson.h"
#include <QJsonArray>

namespace uw {

namespace {

Error invalid(const QString& why)
{
    return makeError(QStringLiteral("invalid_event"), QStringLiteral("invalid: %1").arg(why));
}

/// NIP-01 string escaping: only \n \" \\ \r \t \b \f are escaped; everything else is verbatim UTF-8.
void appendNip01String(QByteArray& out, const QString& s)
{
    out.append('"');
    const QByteArray utf8 = s.toUtf8();
    for (char c : utf8) {
        switch (c) {
        case '\n':
            out.append("\\n");
            break;
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        default:
            out.append(c);
        }
    }
    out.append('"');
}

} // namespace

QByteArray NostrEvent::serializeForId() const
{
    QByteArray out;
    out.reserve(160 + content.size() * 3 / 2);
    out.append("[0,");
    appendNip01String(out, pubkey);
    out.append(',');
    out.append(QByteArray::number(qint64(createdAt)));
    out.append(',');
    out.append(QByteArray::number(kind));
    out.append(",[");
    for (qsizetype i = 0; i < tags.size(); ++i) {
        if (i)
            out.append(',');
        out.append('[');
        for (qsizetype j = 0; j < tags[i].size(); ++j) {
            if (j)
                out.append(',');
            appendNip01String(out, tags[i][j]);
        }
        out.append(']');
    }
    out.append("],");
    appendNip01String(out, content);
    out.append(']');
    return out;
}

QString NostrEvent::computeId() const
{
    return Sha256::hashHex(serializeForId());
}

Result<void> NostrEvent::sign(const SecretKey& secret)
{
    auto pub = schnorr::xOnlyPublicKey(secret);
    if (!pub)
        return pub.error();
    pubkey = toHex(*pub);
    id = computeId();
    const auto idBytes = fromHex<32>(id).value();
    auto s = schnorr::sign(secret, QByteArrayView(reinterpret_cast<const char*>(idBytes.data()), 32));
    if (!s)
        return s.error();
    sig = toHex(*s);
    return {};
}

bool NostrEvent::verify() const
{
    const auto idBytes = fromHex<32>(id);
    const auto pub = fromHex<32>(pubkey);
    const auto signature = fromHex<64>(sig);
    if (!idBytes || !pub || !signature || computeId() != id)
        return false;
    return schnorr::verify(*pub, QByteArrayView(reinterpret_cast<const char*>(idBytes->data()), 32), *signature);
}

std::optional<QString> NostrEvent::tagValue(const QString& name) const
{
    for (const QStringList& t : tags)
        if (t.size() >= 2 && t[0] == name)
            return t[1];
    return std::nullopt;
}

std::optional<std::int64_t> NostrEvent::expiration() const
{
    const auto v = tagValue(QStringLiteral("expiration"));
    if (!v)
        return std::nullopt;
    bool ok = false;
    const qlonglong n = v->toLongLong(&ok);
    return ok ? std::optional<std::int64_t>(n) : std::nullopt;
}

QJsonObject NostrEvent::toJson() const
{
    QJsonArray tagsJson;
    for (const QStringList& t : tags)
        tagsJson.append(QJsonArray::fromStringList(t));
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("pubkey"), pubkey},
                       {QStringLiteral("created_at"), qint64(createdAt)},
                       {QStringLiteral("kind"), kind},
                       {QStringLiteral("tags"), tagsJson},
                       {QStringLiteral("content"), content},
                       {QStringLiteral("sig"), sig}};
}

Result<NostrEvent> NostrEvent::fromJson(const QJsonObject& o)
{
    NostrEvent e;
    e.id = o.value(QStringLiteral("id")).toString();
    e.pubkey = o.value(QStringLiteral("pubkey")).toString();
    e.sig = o.value(QStringLiteral("sig")).toString();
    if (!isLowerHex(e.id, 64))
        return invalid(QStringLiteral("id must be 64 lowercase hex digits"));
    if (!isLowerHex(e.pubkey, 64))
        return invalid(QStringLiteral("pubkey must be 64 lowercase hex digits"));
    if (!isLowerHex(e.sig, 128))
        return invalid(QStringLiteral("sig must be 128 lowercase hex digits"));
    const auto created = json::exactInteger(o.value(QStringLiteral("created_at")));
    const auto kind = json::exactInteger(o.value(QStringLiteral("kind")));
    if (!created || *created < 0)
        return invalid(QStringLiteral("created_at must be a non-negative integer"));
    if (!kind || *kind < 0 || *kind > 65535)
        return invalid(QStringLiteral("kind must be an integer from 0 to 65535"));
    e.createdAt = *created;
    e.kind = int(*kind);
    if (!o.value(QStringLiteral("content")).isString())
        return invalid(QStringLiteral("content must be a string"));
    e.content = o.value(QStringLiteral("content")).toString();
    if (!o.value(QStringLiteral("tags")).isArray())
        return invalid(QStringLiteral("tags must be an array"));
    const QJsonArray tags = o.value(QStringLiteral("tags")).toArray();
    if (tags.size() > 100)
        return invalid(QStringLiteral("too many tags"));
    for (const QJsonValue& t : tags) {
        if (!t.isArray() || t.toArray().isEmpty())
            return invalid(QStringLiteral("each tag must be a non-empty array of strings"));
        QStringList tag;
        for (const QJsonValue& s : t.toArray()) {
            if (!s.isString())
                return invalid(QStringLiteral("each tag must be a non-empty array of strings"));
            tag.append(s.toString());
        }
        e.tags.append(tag);
    }
    return e;
}

} // namespace uw
