#include "json/CanonicalJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace uw::json {

namespace {

constexpr std::int64_t kMaxSafeInteger = (std::int64_t(1) << 53) - 1;

Error unsupported(const QString& why)
{
    return makeError(QStringLiteral("json_unsupported"), QStringLiteral("Cannot canonicalize JSON: %1").arg(why));
}

void appendUtf8(QByteArray& out, char32_t cp)
{
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xC0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.append(char(0xE0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else {
        out.append(char(0xF0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3F)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    }
}

Result<void> appendString(QByteArray& out, const QString& s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.append('"');
    const qsizetype n = s.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = s[i].unicode();
        switch (c) {
        case u'"':
            out.append("\\\"");
            continue;
        case u'\\':
            out.append("\\\\");
            continue;
        case u'\b':
            out.append("\\b");
            continue;
        case u'\f':
            out.append("\\f");
            continue;
        case u'\n':
            out.append("\\n");
            continue;
        case u'\r':
            out.append("\\r");
            continue;
        case u'\t':
            out.append("\\t");
            continue;
        default:
            break;
        }
        if (c < 0x20) {
            out.append("\\u00");
            out.append(hex[c >> 4]);
            out.append(hex[c & 0xF]);
        } else if (QChar::isHighSurrogate(c)) {
            if (i + 1 >= n || !QChar::isLowSurrogate(s[i + 1].unicode()))
                return unsupported(QStringLiteral("a string holds a lone surrogate"));
            appendUtf8(out, QChar::surrogateToUcs4(c, s[i + 1].unicode()));
            ++i;
        } else if (QChar::isLowSurrogate(c)) {
            return unsupported(QStringLiteral("a string holds a lone surrogate"));
        } else {
            appendUtf8(out, c);
        }
    }
    out.append('"');
    return {};
}

/// Member names compare by UTF-16 code units (RFC 8785 §3.2.3), not by locale or code point.
bool utf16Less(const QString& a, const QString& b)
{
    return std::lexicographical_compare(a.cbegin(), a.cend(), b.cbegin(), b.cend(),
                                        [](QChar x, QChar y) { return x.unicode() < y.unicode(); });
}

Result<void> append(QByteArray& out, const QJsonValue& v, int depth)
{
    if (depth > 128)
        return unsupported(QStringLiteral("nesting deeper than 128 levels"));
    switch (v.type()) {
    case QJsonValue::Null:
        out.append("null");
        return {};
    case QJsonValue::Bool:
        out.append(v.toBool() ? "true" : "false");
        return {};
    case QJsonValue::Double: {
        const QVariant var = v.toVariant();
        if (var.typeId() == QMetaType::LongLong) {
            const qlonglong i = var.toLongLong();
            if (i > kMaxSafeInteger || i < -kMaxSafeInteger)
                return unsupported(
                    QStringLiteral("the integer %1 is beyond ±2^53 and has no exact JSON number form").arg(i));
            out.append(QByteArray::number(i));
            return {};
        }
        const double d = v.toDouble();
        if (!std::isfinite(d))
            return unsupported(QStringLiteral("a number is not finite"));
        out.append(formatNumber(d));
        return {};
    }
    case QJsonValue::String:
        return appendString(out, v.toString());
    case QJsonValue::Array: {
        out.append('[');
        const QJsonArray arr = v.toArray();
        bool first = true;
        for (const QJsonValue& item : arr) {
            if (!first)
                out.append(',');
            first = false;
            if (auto r = append(out, item, depth + 1); !r)
                return r;
        }
        out.append(']');
        return {};
    }
    case QJsonValue::Object: {
        const QJsonObject obj = v.toObject();
        QStringList keys = obj.keys();
        std::sort(keys.begin(), keys.end(), utf16Less);
        out.append('{');
        bool first = true;
        for (const QString& key : keys) {
            if (!first)
                out.append(',');
            first = false;
            if (auto r = appendString(out, key); !r)
                return r;
            out.append(':');
            if (auto r = append(out, obj.value(key), depth + 1); !r)
                return r;
        }
        out.append('}');
        return {};
    }
    case QJsonValue::Undefined:
        break;
    }
    return unsupported(QStringLiteral("an undefined value"));
}

} // namespace

QByteArray formatNumber(double value)
{
    if (value == 0)
        return QByteArrayLiteral("0"); // also for -0
    char buf[64];
    // Shortest round-trip digits (Ryu in libstdc++), in scientific form: [-]d[.ddd]e[+-]xx
    const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    const std::string_view sci(buf, std::size_t(res.ptr - buf));
    QByteArray out;
    std::size_t pos = 0;
    if (sci[0] == '-') {
        out.append('-');
        pos = 1;
    }
    const std::size_t ePos = sci.find('e');
    std::string digits;
    for (std::size_t i = pos; i < ePos; ++i)
        if (sci[i] != '.')
            digits.push_back(sci[i]);
    while (digits.size() > 1 && digits.back() == '0')
        digits.pop_back();
    int exp10 = 0;
    std::from_chars(sci.data() + ePos + 1 + (sci[ePos + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp10);

    const int k = int(digits.size());
    const int n = exp10 + 1; // value = 0.digits × 10^n
    if (k <= n && n <= 21) {
        out.append(digits.data(), k);
        out.append(QByteArray(n - k, '0'));
    } else if (0 < n && n <= 21) {
        out.append(digits.data(), n);
        out.append('.');
        out.append(digits.data() + n, k - n);
    } else if (-6 < n && n <= 0) {
        out.append("0.");
        out.append(QByteArray(-n, '0'));
        out.append(digits.data(), k);
    } else {
        out.append(digits[0]);
        if (k > 1) {
            out.append('.');
            out.append(digits.data() + 1, k - 1);
        }
        out.append('e');
        out.append(n - 1 >= 0 ? '+' : '-');
        out.append(QByteArray::number(std::abs(n - 1)));
    }
    return out;
}

std::optional<std::int64_t> exactInteger(const QJsonValue& v)
{
    if (!v.isDouble())
        return std::nullopt;
    const QVariant var = v.toVariant();
    if (var.typeId() != QMetaType::LongLong)
        return std::nullopt;
    const qlonglong n = var.toLongLong();
    if (n > kMaxSafeInteger || n < -kMaxSafeInteger)
        return std::nullopt;
    return n;
}

Result<QByteArray> canonicalize(const QJsonValue& value)
{
    QByteArray out;
    out.reserve(256);
    if (auto r = append(out, value, 0); !r)
        return r.error();
    return out;
}

} // namespace uw::json
