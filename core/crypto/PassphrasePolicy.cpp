#include "crypto/PassphrasePolicy.h"

#include <QChar>
#include <algorithm>
#include <cmath>

namespace uw {

namespace {

Error tooShort()
{
    return makeError(
        QStringLiteral("weak_passphrase"),
        QStringLiteral("The passphrase must have at least %1 characters.").arg(PassphrasePolicy::kMinimumLength));
}

} // namespace

qsizetype PassphrasePolicy::length(QStringView text)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        // A surrogate pair is one code point; a lone surrogate still counts as one.
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            ++i;
        ++n;
    }
    return n;
}

qsizetype PassphrasePolicy::length(QByteArrayView utf8)
{
    const auto byte = [&](qsizetype k) { return static_cast<unsigned char>(utf8[k]); };
    qsizetype n = 0;
    qsizetype i = 0;
    while (i < utf8.size()) {
        const unsigned char lead = byte(i);
        const int follow = (lead & 0xE0) == 0xC0 ? 1 : (lead & 0xF0) == 0xE0 ? 2 : (lead & 0xF8) == 0xF0 ? 3 : 0;
        bool whole = i + follow < utf8.size();
        for (int k = 1; whole && k <= follow; ++k)
            whole = (byte(i + k) & 0xC0) == 0x80;
        i += whole ? 1 + follow : 1;
        ++n;
    }
    return n;
}

Result<void> PassphrasePolicy::check(QStringView text)
{
    if (length(text) < kMinimumLength)
        return tooShort();
    return {};
}

Result<void> PassphrasePolicy::check(QByteArrayView utf8)
{
    if (length(utf8) < kMinimumLength)
        return tooShort();
    return {};
}

int PassphrasePolicy::strength(QStringView text)
{
    if (text.isEmpty())
        return 0;
    bool lower = false, upper = false, digit = false, other = false;
    for (QChar c : text) {
        lower = lower || c.isLower();
        upper = upper || c.isUpper();
        digit = digit || c.isDigit();
        other = other || !c.isLetterOrNumber();
    }
    const int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
    const qsizetype n = length(text);
    const double bits = double(n) * std::log2(std::max(pool, 2));
    const int s = bits < 28 ? 1 : bits < 45 ? 2 : bits < 70 ? 3 : 4;
    return n < kMinimumLength ? std::min(s, 1) : s;
}

} // namespace uw
