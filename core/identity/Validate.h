#pragma once

#include <QString>

namespace uw {

/// Checks shared by every parser of protocol data.
namespace validate {
bool isUuid(const QString& text);
/// True when `text` contains a control character (Unicode Cc: U+0000–U+001F, U+007F–U+009F).
bool hasControlCharacters(const QString& text);
} // namespace validate

} // namespace uw
