#include "config/Autostart.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>

namespace uw::autostart {

namespace {

/// A desktop entry's Exec value: arguments with a space, quote or backslash are quoted, as the
/// Desktop Entry Specification asks.
QString quoted(const QString& arg)
{
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    if (std::none_of(arg.cbegin(), arg.cend(), [](QChar c) { return reserved.contains(c); }))
        return arg;
    QString out = QStringLiteral("\"");
    for (QChar c : arg) {
        if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out + QLatin1Char('"');
}

} // namespace

QString entryPath(const QString& profile)
{
    const QString dir =
        QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/autostart");
    const QString suffix = profile.isEmpty() ? QString() : QLatin1Char('-') + profile;
    return dir + QStringLiteral("/userwallet") + suffix + QStringLiteral(".desktop");
}

bool isEnabled(const QString& profile)
{
    return QFile::exists(entryPath(profile));
}

Result<void> setEnabled(const QString& profile, bool enabled, const QString& executable)
{
    const QString path = entryPath(profile);
    if (!enabled) {
        if (QFile::exists(path) && !QFile::remove(path))
            return makeError(QStringLiteral("autostart"), QStringLiteral("Could not remove %1.").arg(path));
        return {};
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(QStringLiteral("autostart"),
                         QStringLiteral("Could not create %1.").arg(QFileInfo(path).absolutePath()));
    QString exec = quoted(executable);
    if (!profile.isEmpty())
        exec += QStringLiteral(" --profile ") + quoted(profile);
    exec += QStringLiteral(" --minimized");
    const QString text = QStringLiteral("[Desktop Entry]\n"
                                        "Type=Application\n"
                                        "Name=UserWallet\n"
                                        "Comment=Wait in the system tray for logins that ask this device\n"
                                        "Exec=%1\n"
                                        "Icon=userwallet\n"
                                        "Terminal=false\n"
                                        "X-GNOME-Autostart-enabled=true\n")
                             .arg(exec);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit())
        return makeError(QStringLiteral("autostart"), QStringLiteral("Could not write %1.").arg(path));
    return {};
}

} // namespace uw::autostart
