#include "bitcoin/Bech32.h"

#include <array>
#include <cstring>
#include <optional>

namespace uw::btc::bech32 {

namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::uint32_t kBech32Const = 1;
constexpr std::uint32_t kBech32mConst = 0x2bc830a3;

std::uint32_t polymod(const QByteArray& values)
{
    static constexpr std::uint32_t gen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    std::uint32_t chk = 1;
    for (char c : values) {
        const std::uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ std::uint8_t(c);
        for (int i = 0; i < 5; ++i)
            if ((top >> i) & 1)
                chk ^= gen[i];
    }
    return chk;
}

QByteArray hrpExpand(const QString& hrp)
{
    QByteArray out;
    for (QChar c : hrp)
        out.append(char(c.unicode() >> 5));
    out.append(char(0));
    for (QChar c : hrp)
        out.append(char(c.unicode() & 31));
    return out;
}

Error bad(const QString& why)
{
    return makeError(QStringLiteral("bad_bech32"), why);
}

/// Regroups bits (8 -> 5 with padding, or 5 -> 8 without).
std::optional<QByteArray> convertBits(const QByteArray& in, int from, int to, bool pad)
{
    int acc = 0, bits = 0;
    const int maxv = (1 << to) - 1;
    QByteArray out;
    for (char c : in) {
        const int value = std::uint8_t(c);
        if (value >> from)
            return std::nullopt;
        acc = (acc << from) | value;
        bits += from;
        while (bits >= to) {
            bits -= to;
            out.append(char((acc >> bits) & maxv));
        }
    }
    if (pad) {
        if (bits)
            out.append(char((acc << (to - bits)) & maxv));
    } else if (bits >= from || ((acc << (to - bits)) & maxv)) {
        return std::nullopt;
    }
    return out;
}

} // namespace

QString encode(Encoding encoding, const QString& hrp, const QByteArray& data)
{
    QByteArray values = hrpExpand(hrp) + data + QByteArray(6, 0);
    const std::uint32_t mod = polymod(values) ^ (encoding == Encoding::Bech32 ? kBech32Const : kBech32mConst);
    QString out = hrp + QLatin1Char('1');
    for (char c : data)
        out.append(QLatin1Char(kCharset[int(c)]));
    for (int i = 0; i < 6; ++i)
        out.append(QLatin1Char(kCharset[(mod >> (5 * (5 - i))) & 31]));
    return out;
}

Result<Decoded> decode(const QString& text)
{
    bool lower = false, upper = false;
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 33 || u > 126)
            return bad(QStringLiteral("character out of range"));
        lower = lower || (u >= u'a' && u <= u'z');
        upper = upper || (u >= u'A' && u <= u'Z');
    }
    if (lower && upper)
        return bad(QStringLiteral("mixed case"));
    if (text.size() > 90)
        return bad(QStringLiteral("overall max length exceeded"));
    const QString s = text.toLower();
    const qsizetype sep = s.lastIndexOf(QLatin1Char('1'));
    if (sep < 1)
        return bad(QStringLiteral("missing separator or empty HRP"));
    if (s.size() - sep - 1 < 6)
        return bad(QStringLiteral("too short checksum"));
    Decoded d;
    d.hrp = s.left(sep);
    for (qsizetype i = sep + 1; i < s.size(); ++i) {
        const char* p = std::strchr(kCharset, char(s[i].unicode()));
        if (!p || s[i].unicode() == 0)
            return bad(QStringLiteral("invalid data character"));
        d.data.append(char(p - kCharset));
    }
    const std::uint32_t mod = polymod(hrpExpand(d.hrp) + d.data);
    if (mod == kBech32Const)
        d.encoding = Encoding::Bech32;
    else if (mod == kBech32mConst)
        d.encoding = Encoding::Bech32m;
    else
        return bad(QStringLiteral("invalid checksum"));
    d.data.chop(6);
    return d;
}

Result<QString> encodeAddress(const QString& hrp, int version, const QByteArray& program)
{
    if (version < 0 || version > 16 || program.size() < 2 || program.size() > 40 ||
        (version == 0 && program.size() != 20 && program.size() != 32))
        return bad(QStringLiteral("invalid witness program"));
    QByteArray data(1, char(version));
    data += *convertBits(program, 8, 5, true);
    return encode(version == 0 ? Encoding::Bech32 : Encoding::Bech32m, hrp, data);
}

Result<SegwitProgram> decodeAddress(const QString& hrp, const QString& address)
{
    auto d = decode(address);
    if (!d)
        return d.error();
    if (d->hrp != hrp)
        return bad(QStringLiteral("invalid human-readable part (expected %1)").arg(hrp));
    if (d->data.isEmpty())
        return bad(QStringLiteral("empty data section"));
    const int version = std::uint8_t(d->data[0]);
    if (version > 16)
        return bad(QStringLiteral("invalid witness version"));
    const auto program = convertBits(d->data.mid(1), 5, 8, false);
    if (!program)
        return bad(QStringLiteral("invalid padding"));
    if (program->size() < 2 || program->size() > 40)
        return bad(QStringLiteral("invalid program length"));
    if (version == 0 && program->size() != 20 && program->size() != 32)
        return bad(QStringLiteral("invalid program length for witness version 0"));
    if ((version == 0) != (d->encoding == Encoding::Bech32))
        return bad(QStringLiteral("invalid checksum (wrong bech32 variant for this witness version)"));
    return SegwitProgram{version, *program};
}

} // namespace uw::btc::bech32
