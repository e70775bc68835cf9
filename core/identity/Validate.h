#pragma once

#include <QString>

namespace uw {

/// Checks shared by every parser of protocol data.
namespace validate {
bool isUuid(const QString& text);
/// True when `text` contains a control character (Unicode Cc: U+0000–U+001F, U+007F–U+009F).
bool hasControlCharacters(const QString& text);
/// True when `text` holds a character a person cannot see or that changes the order of what they
/// see: format characters (Unicode Cf: bidirectional embeddings, overrides and isolates such as
/// U+202E, zero-width spaces and joiners, U+FEFF, the soft hyphen), line and paragraph separators,
/// private-use and unassigned code points. (A lone surrogate has no UTF-8 form: the canonical JSON
/// of anything signed refuses it.)
bool hasInvisibleCharacters(const QString& text);
/// True when the letters of `text` come from more than one of the scripts whose letters look
/// alike (Latin, Greek, Cyrillic): "аlice" with a Cyrillic "а" passes for "alice" on screen.
bool mixesLookalikeScripts(const QString& text);
/// The rules of an identifier a person compares by eye (a member id, a service name): no control
/// or invisible character, no mix of lookalike scripts. Empty when it is acceptable, else what is
/// wrong, in words.
QString identifierProblem(const QString& text);
/// `text` with every control, invisible or non-printable character written as \u{XXXX}, for
/// showing a name that came from outside (a refusal message names what it refused).
QString escapedForDisplay(const QString& text);
} // namespace validate

} // namespace uw
