#include "identity/MemberDocument.h"

#include "crypto/Bytes.h"
#include "crypto/Schnorr.h"
#include "identity/Validate.h"

#include "json/CanonicalJson.h"
#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

namespace uw {

namespace {

Error invalid(const QString& why)
{
    return makeError(QStringLiteral("invalid_member"), QStringLiteral("Invalid member document: %1").arg(why));
}

} // namespace

QJsonObject MemberDocument::toJson() const
{
    QJsonArray pairsJson;
    for (const PairRef& p : pairs)
        pairsJson.append(QJsonObject{{QStringLiteral("pair"), p.pair}, {QStringLiteral("pubkey"), p.pubkey}});
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("name"), name},
                       {QStringLiteral("cardinalite_minimale"), cardinaliteMinimale},
                       {QStringLiteral("pairs"), pairsJson}};
}

Result<MemberDocument> MemberDocument::fromJson(const QJsonObject& o)
{
    MemberDocument d;
    d.id = o.value(QStringLiteral("id")).toString();
    d.name = o.value(QStringLiteral("name")).toString();
    const auto cardinality = json::exactInteger(o.value(QStringLiteral("cardinalite_minimale")));
    d.cardinaliteMinimale = cardinality && *cardinality > 0 && *cardinality <= 1000 ? int(*cardinality) : 0;
    if (d.id.isEmpty() || d.id.size() > 256)
        return invalid(QStringLiteral("the id must be 1 to 256 printable characters"));
    if (const QString problem = validate::identifierProblem(d.id); !problem.isEmpty())
        return invalid(QStringLiteral("the id \"%1\" %2").arg(validate::escapedForDisplay(d.id), problem));
    if (d.name.size() > 256 || validate::hasControlCharacters(d.name) || validate::hasInvisibleCharacters(d.name))
        return invalid(QStringLiteral("the name must be at most 256 printable characters, none invisible or "
                                      "direction-changing"));
    if (!o.value(QStringLiteral("pairs")).isArray())
        return invalid(QStringLiteral("pairs must be an array"));
    for (const QJsonValue& v : o.value(QStringLiteral("pairs")).toArray()) {
        PairRef p{v.toObject().value(QStringLiteral("pair")).toString(),
                  v.toObject().value(QStringLiteral("pubkey")).toString()};
        const auto key = fromHex<32>(p.pubkey);
        if (!validate::isUuid(p.pair) || !key || !schnorr::isValidXOnlyPublicKey(*key))
            return invalid(QStringLiteral("a pair has a malformed UUID or public key"));
        d.pairs.append(p);
    }
    // It may exceed the pairs known so far: the other devices join by pairing.
    if (d.cardinaliteMinimale < 1 || d.cardinaliteMinimale > 1000)
        return invalid(QStringLiteral("cardinalite_minimale must be an integer from 1 to 1000"));
    return d;
}

MemberRequirement MemberDocument::requirement() const
{
    return MemberRequirement{id, cardinaliteMinimale, {}, pairs};
}

Result<MemberDocument> MemberDocument::load(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("not_initialized"),
                         QStringLiteral("No identity here (%1). Run `userwallet-cli init` first.").arg(path));
    auto parsed = json::parse(f.readAll(), 1024 * 1024);
    if (!parsed || !parsed->isObject())
        return invalid(parsed ? QStringLiteral("not a JSON object") : parsed.error().message);
    return fromJson(parsed->toObject());
}

Result<void> MemberDocument::save(const QString& path) const
{
    auto bytes = json::canonicalize(toJson());
    if (!bytes)
        return bytes.error();
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(*bytes + '\n') < 0 || !f.commit())
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

} // namespace uw
