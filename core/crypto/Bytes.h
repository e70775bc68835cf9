#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>
#include <array>
#include <cstdint>
#include <optional>

namespace uw {

using Bytes32 = std::array<std::uint8_t, 32>;
using Bytes64 = std::array<std::uint8_t, 64>;

/// True when text is exactly `length` lowercase hexadecimal digits. Protocol
/// fields are lowercase only, so "AB" is refused rather than silently folded.
bool isLowerHex(QStringView text, qsizetype length);

/// Lowercase hex of arbitrary bytes.
QString toHex(const std::uint8_t* data, std::size_t size);

template <std::size_t N> QString toHex(const std::array<std::uint8_t, N>& bytes)
{
    return toHex(bytes.data(), N);
}
inline QString toHex(const QByteArray& bytes)
{
    return toHex(reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size()));
}

/// Strict decode of exactly 2*N lowercase hex digits; nullopt otherwise.
template <std::size_t N> std::optional<std::array<std::uint8_t, N>> fromHex(QStringView text)
{
    if (!isLowerHex(text, qsizetype(2 * N)))
        return std::nullopt;
    std::array<std::uint8_t, N> out{};
    auto nibble = [](char16_t c) { return c <= u'9' ? c - u'0' : c - u'a' + 10; };
    for (std::size_t i = 0; i < N; ++i)
        out[i] =
            std::uint8_t(nibble(text[qsizetype(2 * i)].unicode()) << 4 | nibble(text[qsizetype(2 * i + 1)].unicode()));
    return out;
}

/// Case-insensitive decode of any even-length hex text (for test vectors and
/// Bitcoin data, never for protocol fields); nullopt on a bad digit.
std::optional<QByteArray> fromHexAnyCase(QStringView text);

inline QByteArray toByteArray(const std::uint8_t* data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char*>(data), qsizetype(size));
}

} // namespace uw
