#include "widgets/NavigationIcons.h"

#include "widgets/StateColours.h"

#include <QFile>

namespace uw::ui {

QIcon ownNavigationIcon(const QString& name, const QPalette& palette)
{
    const QString variant = isDark(palette) ? QStringLiteral("dark") : QStringLiteral("light");
    QIcon icon;
    for (const int size : {24, 48}) {
        const QString path = QStringLiteral(":/icons/nav/png/%1-%2-%3.png").arg(name, variant).arg(size);
        if (QFile::exists(path))
            icon.addFile(path, QSize(size, size));
    }
    return icon;
}

QIcon navigationIcon(const QString& name, const QString& themeName, const QPalette& palette)
{
    if (QIcon::hasThemeIcon(themeName))
        return QIcon::fromTheme(themeName);
    return ownNavigationIcon(name, palette);
}

} // namespace uw::ui
