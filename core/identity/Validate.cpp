#include "identity/Validate.h"

#include <QList>

namespace uw::validate {

bool isUuid(const QString& text)
{
    if (text.size() != 36)
        return false;
    for (qsizetype i = 0; i < 36; ++i) {
        const char16_t c = text[i].unicode();
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != u'-')
                return false;
        } else if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'))) {
            return false;
        }
    }
    return true;
}

bool hasControlCharacters(const QString& text)
{
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7F && u <= 0x9F))
            return true;
    }
    return false;
}

namespace {

bool invisible(char32_t u)
{
    switch (QChar::category(u)) {
    case QChar::Other_Format:        // Cf: bidi controls, zero-width characters, U+FEFF, soft hyphen
    case QChar::Separator_Line:      // U+2028
    case QChar::Separator_Paragraph: // U+2029
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
        return true;
    default:
        return false;
    }
}

} // namespace

bool hasInvisibleCharacters(const QString& text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t u = text[i].unicode();
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            u = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        } // a lone half of a pair is left to the canonical form, which refuses it (json_unsupported)
        if (invisible(u))
            return true;
    }
    return false;
}

bool mixesLookalikeScripts(const QString& text)
{
    bool latin = false, greek = false, cyrillic = false;
    for (uint u : text.toUcs4()) {
        if (!QChar::isLetter(char32_t(u)))
            continue;
        switch (QChar::script(char32_t(u))) {
        case QChar::Script_Latin:
            latin = true;
            break;
        case QChar::Script_Greek:
            greek = true;
            break;
        case QChar::Script_Cyrillic:
            cyrillic = true;
            break;
        default:
            break;
        }
    }
    return int(latin) + int(greek) + int(cyrillic) > 1;
}

QString identifierProblem(const QString& text)
{
    if (hasControlCharacters(text))
        return QStringLiteral("contains control characters");
    if (hasInvisibleCharacters(text))
        return QStringLiteral("contains invisible or direction-changing characters");
    if (mixesLookalikeScripts(text))
        return QStringLiteral("mixes Latin, Greek or Cyrillic letters that look alike");
    return {};
}

QString escapedForDisplay(const QString& text)
{
    QString out;
    for (uint u : text.toUcs4()) {
        const char32_t c = char32_t(u);
        if (invisible(c) || QChar::category(c) == QChar::Other_Control)
            out += QStringLiteral("\\u{%1}").arg(QString::number(u, 16).toUpper().rightJustified(4, QLatin1Char('0')));
        else
            out += QString::fromUcs4(&c, 1);
    }
    return out;
}

} // namespace uw::validate
