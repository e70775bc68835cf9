#include "identity/MemberDocument.h"

#include "crypto/Bytes.h"
#include "crypto/Schnorr.h"
#include "identity/Validate.h"

#include "json/CanonicalJson.h"
#include <QFile>
#include <QJsonArray>
#include <QSaveFile>
#include <QSysInfo>

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
    for (const PairRef& p : pairs) {
        QJsonObject entry{{QStringLiteral("pair"), p.pair}, {QStringLiteral("pubkey"), p.pubkey}};
        if (const auto it = labels.constFind(p.pair); it != labels.cend())
            entry.insert(QStringLiteral("label"), *it);
        pairsJson.append(entry);
    }
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("cardinalite_minimale"), cardinaliteMinimale},
                  {QStringLiteral("pairs"), pairsJson},
                  {QStringLiteral("version"), version}};
    if (!previous.isEmpty())
        o.insert(QStringLiteral("previous"), previous);
    return o;
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
        const QJsonObject entry = v.toObject();
        PairRef p{entry.value(QStringLiteral("pair")).toString(), entry.value(QStringLiteral("pubkey")).toString()};
        const auto key = fromHex<32>(p.pubkey);
        if (!validate::isUuid(p.pair) || !key || !schnorr::isValidXOnlyPublicKey(*key))
            return invalid(QStringLiteral("a pair has a malformed UUID or public key"));
        // Older documents have no labels: a pair without one stays without one.
        if (entry.contains(QStringLiteral("label"))) {
            const QJsonValue label = entry.value(QStringLiteral("label"));
            if (!label.isString())
                return invalid(QStringLiteral("the label of pair %1 is not a string").arg(p.pair));
            if (const QString problem = labelProblem(label.toString()); !problem.isEmpty())
                return invalid(QStringLiteral("the label of pair %1: %2").arg(p.pair, problem));
            d.labels.insert(p.pair, label.toString());
        }
        d.pairs.append(p);
    }
    // Documents written before the chain of versions have neither field: version 1.
    if (o.contains(QStringLiteral("version"))) {
        const auto version = json::exactInteger(o.value(QStringLiteral("version")));
        if (!version || *version < 1 || *version > kMaxVersion)
            return invalid(QStringLiteral("version must be an integer from 1 to %1").arg(kMaxVersion));
        d.version = int(*version);
    }
    if (o.contains(QStringLiteral("previous"))) {
        const QJsonValue previous = o.value(QStringLiteral("previous"));
        if (!previous.isString() || !isLowerHex(previous.toString(), 64))
            return invalid(QStringLiteral("previous must be an event id (64 lowercase hex digits)"));
        d.previous = previous.toString();
    }
    if (d.version == 1 && !d.previous.isEmpty())
        return invalid(QStringLiteral("version 1 has no previous version"));
    if (d.version > 1 && d.previous.isEmpty())
        return invalid(QStringLiteral("version %1 does not name its previous version").arg(d.version));
    // It may exceed the pairs known so far: the other devices join by pairing.
    if (d.cardinaliteMinimale < 1 || d.cardinaliteMinimale > 1000)
        return invalid(QStringLiteral("cardinalite_minimale must be an integer from 1 to 1000"));
    return d;
}

MemberRequirement MemberDocument::requirement() const
{
    return MemberRequirement{id, cardinaliteMinimale, {}, pairs};
}

QHash<QString, QString> MemberDocument::pairLabels() const
{
    QHash<QString, QString> out;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

MemberDocument MemberDocument::successor(const QString& eventId) const
{
    MemberDocument next = *this;
    next.version = version + 1;
    next.previous = eventId;
    return next;
}

QString MemberDocument::labelProblem(const QString& label)
{
    const qsizetype length = label.toUcs4().size();
    if (length < 1 || length > kMaxLabelLength)
        return QStringLiteral("a device label must be 1 to %1 characters").arg(kMaxLabelLength);
    if (validate::hasControlCharacters(label) || validate::hasInvisibleCharacters(label))
        return QStringLiteral("a device label may not hold control or invisible characters");
    if (label.trimmed() != label)
        return QStringLiteral("a device label may not begin or end with white space");
    return {};
}

QString MemberDocument::cleanLabel(const QString& text)
{
    QString kept;
    for (const char32_t u : text.toUcs4()) {
        const QString one = QString::fromUcs4(&u, 1);
        if (!validate::hasControlCharacters(one) && !validate::hasInvisibleCharacters(one))
            kept += one;
    }
    QList<uint> points = kept.simplified().toUcs4();
    points.resize(std::min<qsizetype>(points.size(), kMaxLabelLength));
    const QString cut =
        QString::fromUcs4(reinterpret_cast<const char32_t*>(points.constData()), points.size()).trimmed();
    return labelProblem(cut).isEmpty() ? cut : QStringLiteral("device");
}

QString MemberDocument::defaultLabel()
{
    return cleanLabel(QSysInfo::machineHostName());
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
