// The strict JSON reader behind json::parse. nlohmann-json (Debian: nlohmann-json3-dev) does the
// lexing: RFC 8259 grammar, UTF-8 validated, "\u" escapes with surrogate pairs checked, and it
// tells integers from numbers written with a fraction or an exponent. Its SAX interface lets us
// see every key of an object as it comes, so a duplicate is refused instead of overwritten, and
// it keeps strings exactly as written (a U+FEFF inside a string stays there).
#include "json/CanonicalJson.h"
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QStringDecoder>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <variant>
#include <vector>

namespace uw::json {

namespace {

class QtJsonBuilder final : public nlohmann::json_sax<nlohmann::json>
{
public:
    QtJsonBuilder(int maxDepth, Numbers numbers) : m_maxDepth(maxDepth), m_numbers(numbers) {}

    bool null() override { return put(QJsonValue(QJsonValue::Null)); }
    bool boolean(bool value) override { return put(QJsonValue(value)); }
    bool number_integer(number_integer_t value) override { return put(QJsonValue(qint64(value))); }
    bool number_unsigned(number_unsigned_t value) override
    {
        if (value > number_unsigned_t(std::numeric_limits<qint64>::max()))
            return fail(QStringLiteral("out_of_range"), QStringLiteral("an integer does not fit in 64 bits"));
        return put(QJsonValue(qint64(value)));
    }
    bool number_float(number_float_t value, const string_t& written) override
    {
        // QJsonValue stores an integral double as an integer, so 1.0 could not be told from 1
        // afterwards: where only integers belong, a fraction or an exponent is refused here.
        if (m_numbers == Numbers::IntegersOnly)
            return fail(QStringLiteral("not_integer"),
                        QStringLiteral("the number %1 is written with a fraction or an exponent where only integers "
                                       "are allowed")
                            .arg(QString::fromStdString(written).left(32)));
        if (!std::isfinite(value))
            return fail(QStringLiteral("out_of_range"), QStringLiteral("a number is too large"));
        return put(QJsonValue(double(value)));
    }
    bool string(string_t& value) override { return put(QJsonValue(exactString(value))); }
    bool binary(binary_t&) override { return fail(QStringLiteral("bad_json"), QStringLiteral("binary value")); }

    bool start_object(std::size_t) override
    {
        if (!enter())
            return false;
        m_stack.emplace_back(Object{});
        return true;
    }
    bool key(string_t& value) override
    {
        auto& o = std::get<Object>(m_stack.back());
        o.key = exactString(value);
        if (o.seen.contains(o.key))
            return fail(QStringLiteral("duplicate_key"),
                        QStringLiteral("the key \"%1\" appears twice in one object").arg(o.key.left(64)));
        o.seen.insert(o.key);
        return true;
    }
    bool end_object() override
    {
        QJsonValue done(std::move(std::get<Object>(m_stack.back()).value));
        m_stack.pop_back();
        return put(std::move(done));
    }
    bool start_array(std::size_t) override
    {
        if (!enter())
            return false;
        m_stack.emplace_back(QJsonArray{});
        return true;
    }
    bool end_array() override
    {
        QJsonValue done(std::move(std::get<QJsonArray>(m_stack.back())));
        m_stack.pop_back();
        return put(std::move(done));
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override
    {
        if (m_code.isEmpty()) {
            // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 1, column 5: ...".
            QString what = QString::fromUtf8(ex.what());
            if (const qsizetype colon = what.indexOf(QLatin1String(": ")); colon >= 0)
                what = what.mid(colon + 2);
            fail(QStringLiteral("bad_json"), QStringLiteral("Malformed JSON at byte %1: %2").arg(position).arg(what),
                 /*prefixed=*/true);
        }
        return false;
    }

    const QJsonValue& result() const { return m_result; }
    const QString& code() const { return m_code; }
    const QString& message() const { return m_message; }

private:
    struct Object
    {
        QJsonObject value;
        QString key;
        QSet<QString> seen;
    };

    /// UTF-8 (already validated by the lexer) to UTF-16, keeping a leading U+FEFF: QString::fromUtf8
    /// drops one, which is how Qt's own JSON reader loses it.
    static QString exactString(const std::string& utf8)
    {
        QStringDecoder decoder(QStringConverter::Utf8,
                               QStringConverter::Flag::Stateless | QStringConverter::Flag::ConvertInitialBom);
        return decoder.decode(QByteArrayView(utf8.data(), qsizetype(utf8.size())));
    }

    bool enter()
    {
        if (int(m_stack.size()) >= m_maxDepth)
            return fail(QStringLiteral("too_deep"),
                        QStringLiteral("the JSON nests deeper than %1 levels").arg(m_maxDepth));
        return true;
    }
    bool put(QJsonValue value)
    {
        if (m_stack.empty()) {
            m_result = std::move(value);
            return true;
        }
        auto& top = m_stack.back();
        if (auto* a = std::get_if<QJsonArray>(&top))
            a->append(std::move(value));
        else {
            auto& o = std::get<Object>(top);
            o.value.insert(o.key, std::move(value));
        }
        return true;
    }
    bool fail(const QString& code, const QString& message, bool prefixed = false)
    {
        m_code = code;
        m_message = prefixed ? message : QStringLiteral("Refused JSON: %1.").arg(message);
        return false;
    }

    int m_maxDepth;
    Numbers m_numbers;
    std::vector<std::variant<QJsonArray, Object>> m_stack;
    QJsonValue m_result;
    QString m_code;
    QString m_message;
};

constexpr int kMaxDepth = 64;

} // namespace

Result<QJsonValue> parse(QByteArrayView text, qsizetype maxBytes, Numbers numbers)
{
    if (text.size() > maxBytes)
        return makeError(
            QStringLiteral("too_large"),
            QStringLiteral("The JSON text is %1 bytes; at most %2 are accepted.").arg(text.size()).arg(maxBytes));
    // nlohmann skips a byte order mark before the text; a signed text has none, so refuse it here.
    if (text.startsWith("\xEF\xBB\xBF"))
        return makeError(QStringLiteral("bad_json"),
                         QStringLiteral("Malformed JSON at byte 0: a byte order mark precedes the text"));
    const std::string_view view(text.data(), std::size_t(text.size()));
    QtJsonBuilder builder(kMaxDepth, numbers);
    const bool ok = nlohmann::json::sax_parse(view, &builder, nlohmann::json::input_format_t::json, /*strict=*/true);
    if (!ok)
        return makeError(builder.code().isEmpty() ? QStringLiteral("bad_json") : builder.code(),
                         builder.message().isEmpty() ? QStringLiteral("Malformed JSON") : builder.message());
    if (!builder.result().isObject() && !builder.result().isArray())
        return makeError(QStringLiteral("bad_json"), QStringLiteral("Malformed JSON: expected an object or an array"));
    return builder.result();
}

} // namespace uw::json
