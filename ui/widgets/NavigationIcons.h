#pragma once

#include <QIcon>
#include <QPalette>
#include <QString>

namespace uw::ui {

/// The icon of a navigation entry: the desktop theme's `themeName` when the theme has one, the
/// project's own otherwise (resources/icons/nav/NAME.svg, embedded as 24 px and 48 px PNGs, so it is
/// crisp on 1x and 2x screens), in the ink that reads on `palette` (dark or light).
QIcon navigationIcon(const QString& name, const QString& themeName, const QPalette& palette);

/// The project's own icon alone (no theme lookup): what navigationIcon falls back to. Null when
/// `name` is not one of the embedded icons.
QIcon ownNavigationIcon(const QString& name, const QPalette& palette);

} // namespace uw::ui
