#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace uw::ui {

/// The colours that carry a meaning (an error, a success, a warning), the only hard-coded colours
/// of the interface: each in a shade that reads on the current palette, dark or light.
enum class StateColour
{
    Error,
    Good,
    Warning,
};

/// True when the palette's window is dark (a desktop in dark mode).
inline bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

inline QColor stateColour(StateColour state, const QPalette& palette)
{
    const bool dark = isDark(palette);
    switch (state) {
    case StateColour::Error:
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xb0, 0x00, 0x20);
    case StateColour::Good:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x1b, 0x5e, 0x20);
    case StateColour::Warning:
        return dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0xb2, 0x6a, 0x00);
    }
    return palette.color(QPalette::WindowText);
}

/// A style sheet that gives a label's text the state's colour ("color: #rrggbb;").
inline QString stateStyle(StateColour state, const QPalette& palette)
{
    return QStringLiteral("color: %1;").arg(stateColour(state, palette).name());
}

} // namespace uw::ui
