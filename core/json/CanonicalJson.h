#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QJsonValue>
#include <cstdint>
#include <optional>

namespace uw::json {

/// RFC 8785 (JCS) canonical form of a JSON value, as UTF-8 bytes: object members
/// sorted by their UTF-16 code units, no white space, strings escaped minimally,
/// numbers in ECMAScript's shortest form.
///
/// Refused with an error, never serialized differently: integers beyond ±2^53
/// (they have no exact IEEE-754 form), strings holding lone surrogates, and
/// undefined values.
Result<QByteArray> canonicalize(const QJsonValue& value);

/// ECMAScript Number.prototype.toString for a finite double (RFC 8785 §3.2.2.3).
QByteArray formatNumber(double value);

/// The value as an integer when the JSON text held an integer (no fraction, no exponent)
/// within ±2^53, the range JSON numbers represent exactly; nullopt otherwise.
std::optional<std::int64_t> exactInteger(const QJsonValue& value);

/// Parses a JSON text strictly, as everything that is hashed or signed must be read: one object
/// or array, at most `maxBytes` bytes, nested at most 64 deep, no trailing garbage, no byte order
/// mark, valid UTF-8, strings kept exactly as written (U+FEFF included), a key twice in one
/// object refused ("duplicate_key"). Protocol texts hold only integers: by default a number
/// written with a fraction or an exponent (1.0, 1e0) is refused ("not_integer"); Numbers::Any
/// accepts it, but QJsonValue then no longer tells 1.0 from 1. Errors ("too_large", "bad_json",
/// "duplicate_key", "not_integer", "too_deep", "out_of_range") say where the text is wrong.
/// Implemented with nlohmann-json's SAX reader (json/StrictParse.cpp).
enum class Numbers
{
    IntegersOnly,
    Any
};
Result<QJsonValue> parse(QByteArrayView text, qsizetype maxBytes = 64 * 1024, Numbers numbers = Numbers::IntegersOnly);

} // namespace uw::json
