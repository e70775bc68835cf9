#pragma once

#include "util/Result.h"

#include <QByteArrayView>
#include <QStringView>

namespace uw {

/// The one rule for a new passphrase (a key being created: init, pairing, the anchoring wallet),
/// shared by the GUI's welcome screen and userwallet-cli so that they cannot disagree. Length
/// is counted in Unicode code points, what a person calls characters: "éééééééé" is 8, not 16
/// bytes, and an emoji is one, not two UTF-16 units. Only new passphrases are checked: a key
/// sealed earlier under a shorter one still unlocks.
class PassphrasePolicy
{
public:
    /// The GUI has always asked for 8 characters; the CLI asks the same.
    static constexpr int kMinimumLength = 8;

    /// Code points in `text`.
    static qsizetype length(QStringView text);
    /// Code points in UTF-8 `bytes` (what a passphrase file, the environment or the terminal
    /// gives); a byte that is not valid UTF-8 counts as one, never as nothing.
    static qsizetype length(QByteArrayView utf8);

    /// Error "weak_passphrase" that says the minimum, or nothing.
    static Result<void> check(QStringView text);
    static Result<void> check(QByteArrayView utf8);

    /// The welcome screen's meter, 0 (empty) to 4 (strong), from the length and the variety of
    /// characters; below kMinimumLength it is never more than 1 ("weak"), as such a passphrase
    /// is refused.
    static int strength(QStringView text);
};

} // namespace uw
