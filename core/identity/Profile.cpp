#include "identity/Profile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace uw {

Result<Profile> Profile::resolve(const QString& profileName, const QString& dataDir)
{
    Profile p;
    p.m_name = profileName.isEmpty() ? QStringLiteral("default") : profileName;
    static const QRegularExpression validName(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    if (!validName.match(p.m_name).hasMatch() || p.m_name.startsWith(QLatin1Char('.')))
        return makeError(
            QStringLiteral("bad_profile"),
            QStringLiteral("Profile names use letters, digits, '.', '_' and '-' (1 to 64, not starting with '.')."));
    if (!dataDir.isEmpty()) {
        p.m_dir = QFileInfo(dataDir).absoluteFilePath();
    } else {
        const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
        if (base.isEmpty())
            return makeError(QStringLiteral("bad_profile"),
                             QStringLiteral("No data location is available on this system."));
        p.m_dir = base + QStringLiteral("/userwallet/profiles/") + p.m_name;
    }
    return p;
}

Result<void> Profile::ensureExists() const
{
    // A symlinked profile or keys folder would be followed, and its target chmod'ed: refused.
    const auto refuseLink = [](const QString& path) -> Result<void> {
        if (QFileInfo(path).isSymLink())
            return makeError(QStringLiteral("symlinked_profile"),
                             QStringLiteral("%1 is a symbolic link; a profile folder and its keys/ must be "
                                            "real folders.")
                                 .arg(path));
        return {};
    };
    if (auto r = refuseLink(m_dir); !r)
        return r;
    QDir dir(m_dir);
    if (!dir.exists() && !QDir().mkpath(m_dir))
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot create the data directory %1.").arg(m_dir));
    QFile::setPermissions(m_dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (auto r = refuseLink(keysDir()); !r)
        return r;
    if (!QDir().mkpath(keysDir()))
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot create %1.").arg(keysDir()));
    QFile::setPermissions(keysDir(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return {};
}

QString Profile::memberFile() const
{
    return m_dir + QStringLiteral("/member.json");
}

QString Profile::keysDir() const
{
    return m_dir + QStringLiteral("/keys");
}

QString Profile::walletDatabase() const
{
    return m_dir + QStringLiteral("/wallet.sqlite");
}

QString Profile::settingsFile() const
{
    return m_dir + QStringLiteral("/settings.ini");
}

QString Profile::anchorDatabase() const
{
    return m_dir + QStringLiteral("/anchor.sqlite");
}

QString Profile::anchorKeyFile() const
{
    return m_dir + QStringLiteral("/anchor-wallet.key");
}

QString Profile::memberEventFile() const
{
    return m_dir + QStringLiteral("/member.event.json");
}

QString Profile::servicesFile() const
{
    return m_dir + QStringLiteral("/services.json");
}

bool Profile::isInitialized() const
{
    return QFileInfo::exists(memberFile());
}

} // namespace uw
