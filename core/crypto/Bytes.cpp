#include "crypto/Bytes.h"

namespace uw {

bool isLowerHex(QStringView text, qsizetype length)
{
    if (text.size() != length)
        return false;
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (!((u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f')))
            return false;
    }
    return true;
}

QString toHex(const std::uint8_t* data, std::size_t size)
{
    static constexpr char16_t digits[] = u"0123456789abcdef";
    QString out(qsizetype(size * 2), Qt::Uninitialized);
    QChar* p = out.data();
    for (std::size_t i = 0; i < size; ++i) {
        *p++ = QChar(digits[data[i] >> 4]);
        *p++ = QChar(digits[data[i] & 0x0f]);
    }
    return out;
}

std::optional<QByteArray> fromHexAnyCase(QStringView text)
{
    if (text.size() % 2 != 0)
        return std::nullopt;
    QByteArray out(text.size() / 2, Qt::Uninitialized);
    auto nibble = [](char16_t c) -> int {
        if (c >= u'0' && c <= u'9')
            return c - u'0';
        if (c >= u'a' && c <= u'f')
            return c - u'a' + 10;
        if (c >= u'A' && c <= u'F')
            return c - u'A' + 10;
        return -1;
    };
    for (qsizetype i = 0; i < out.size(); ++i) {
        const int hi = nibble(text[2 * i].unicode());
        const int lo = nibble(text[2 * i + 1].unicode());
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out[i] = char(hi << 4 | lo);
    }
    return out;
}

} // namespace uw
