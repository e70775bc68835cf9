#include "relay/NostrFilter.h"

#include "crypto/Bytes.h"

#include "json/CanonicalJson.h"
#include <QJsonArray>

namespace uw {

namespace {

Error invalid(const QString& why)
{
    return makeError(QStringLiteral("invalid_filter"), QStringLiteral("invalid: %1").arg(why));
}

constexpr int kMaxListSize = 1000;

} // namespace

bool NostrFilter::matches(const NostrEvent& e) const
{
    if (!ids.isEmpty() && !ids.contains(e.id))
        return false;
    if (!authors.isEmpty() && !authors.contains(e.pubkey))
        return false;
    if (!kinds.isEmpty() && !kinds.contains(e.kind))
        return false;
    if (since && e.createdAt < *since)
        return false;
    if (until && e.createdAt > *until)
        return false;
    for (auto it = tags.cbegin(); it != tags.cend(); ++it) {
        bool found = false;
        for (const QStringList& t : e.tags) {
            if (t.size() >= 2 && t[0] == it.key() && it.value().contains(t[1])) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

QJsonObject NostrFilter::toJson() const
{
    QJsonObject o;
    auto strings = [](const QSet<QString>& s) {
        QStringList l(s.cbegin(), s.cend());
        l.sort();
        return QJsonArray::fromStringList(l);
    };
    if (!ids.isEmpty())
        o.insert(QStringLiteral("ids"), strings(ids));
    if (!authors.isEmpty())
        o.insert(QStringLiteral("authors"), strings(authors));
    if (!kinds.isEmpty()) {
        QList<int> k(kinds.cbegin(), kinds.cend());
        std::sort(k.begin(), k.end());
        QJsonArray a;
        for (int v : k)
            a.append(v);
        o.insert(QStringLiteral("kinds"), a);
    }
    for (auto it = tags.cbegin(); it != tags.cend(); ++it)
        o.insert(QLatin1Char('#') + it.key(), strings(it.value()));
    if (since)
        o.insert(QStringLiteral("since"), qint64(*since));
    if (until)
        o.insert(QStringLiteral("until"), qint64(*until));
    if (limit)
        o.insert(QStringLiteral("limit"), *limit);
    return o;
}

Result<NostrFilter> NostrFilter::fromJson(const QJsonObject& o)
{
    NostrFilter f;
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        const QString& key = it.key();
        const QJsonValue& v = it.value();
        auto stringList = [&](QSet<QString>& out, bool hex64) -> Result<void> {
            if (!v.isArray() || v.toArray().size() > kMaxListSize)
                return invalid(
                    QStringLiteral("\"%1\" must be an array of at most %2 strings").arg(key).arg(kMaxListSize));
            for (const QJsonValue& s : v.toArray()) {
                if (!s.isString() || (hex64 && !isLowerHex(s.toString(), 64)))
                    return invalid(QStringLiteral("\"%1\" holds a malformed value").arg(key));
                out.insert(s.toString());
            }
            return {};
        };
        auto integer = [&] { return json::exactInteger(v); };
        if (key == QLatin1String("ids")) {
            if (auto r = stringList(f.ids, true); !r)
                return r.error();
        } else if (key == QLatin1String("authors")) {
            if (auto r = stringList(f.authors, true); !r)
                return r.error();
        } else if (key == QLatin1String("kinds")) {
            if (!v.isArray() || v.toArray().size() > kMaxListSize)
                return invalid(QStringLiteral("\"kinds\" must be an array of integers"));
            for (const QJsonValue& k : v.toArray()) {
                const QVariant var = k.toVariant();
                if (!k.isDouble() || var.typeId() != QMetaType::LongLong || var.toLongLong() < 0 ||
                    var.toLongLong() > 65535)
                    return invalid(QStringLiteral("\"kinds\" must be an array of integers"));
                f.kinds.insert(int(var.toLongLong()));
            }
        } else if (key.size() == 2 && key[0] == QLatin1Char('#') && key[1].isLetter() && key[1].unicode() < 128) {
            QSet<QString> values;
            if (auto r = stringList(values, false); !r)
                return r.error();
            f.tags.insert(key.mid(1), values);
        } else if (key == QLatin1String("since") || key == QLatin1String("until")) {
            const auto n = integer();
            if (!n)
                return invalid(QStringLiteral("\"%1\" must be an integer").arg(key));
            (key == QLatin1String("since") ? f.since : f.until) = *n;
        } else if (key == QLatin1String("limit")) {
            const auto n = integer();
            if (!n || *n < 0)
                return invalid(QStringLiteral("\"limit\" must be a non-negative integer"));
            f.limit = int(std::min<std::int64_t>(*n, kMaxLimit));
        } else {
            return invalid(QStringLiteral("unsupported filter key \"%1\"").arg(key.left(32)));
        }
    }
    return f;
}

} // namespace uw
