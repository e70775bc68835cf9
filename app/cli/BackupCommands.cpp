#include "CommandLine.h"
#include "Commands.h"
#include "identity/ProfileBackup.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>

namespace uw::cli {

namespace {

const QString kBackupUsage = QStringLiteral("usage: userwallet-cli backup export FILE | backup restore FILE");

QJsonObject describe(const QString& event, const QString& file, const Profile& profile, const BackupSummary& summary,
                     qint64 ms)
{
    return QJsonObject{{QStringLiteral("event"), event},
                       {QStringLiteral("file"), QFileInfo(file).absoluteFilePath()},
                       {QStringLiteral("profile"), profile.dataDir()},
                       {QStringLiteral("files"), QJsonArray::fromStringList(summary.files)},
                       {QStringLiteral("bytes"), double(summary.bytes)},
                       {QStringLiteral("ms"), double(ms)}};
}

int backupExport(const CliContext& ctx, const QString& file)
{
    auto profile = ctx.profile();
    if (!profile)
        return CliContext::fail(profile.error());
    if (!profile->isInitialized())
        return CliContext::fail(
            makeError(QStringLiteral("no_identity"), QStringLiteral("Profile \"%1\" holds no identity to back up (%2).")
                                                         .arg(profile->name(), profile->dataDir())));
    // A new secret: asked twice on a terminal, and held to the passphrase policy.
    auto passphrase = ctx.passphrase(/*confirm=*/true);
    if (!passphrase)
        return CliContext::fail(passphrase.error());
    QElapsedTimer timer;
    timer.start();
    auto summary = ProfileBackup::exportTo(*profile, file, passphrase->bytes());
    if (!summary)
        return CliContext::fail(summary.error());
    CliContext::info(QStringLiteral("Backed up profile \"%1\" (%2 files) to %3; it was read back and opens.")
                         .arg(profile->name())
                         .arg(summary->files.size())
                         .arg(file));
    CliContext::printJson(describe(QStringLiteral("backup_exported"), file, *profile, *summary, timer.elapsed()));
    return 0;
}

int backupRestore(const CliContext& ctx, const QString& file)
{
    auto profile = ctx.profile();
    if (!profile)
        return CliContext::fail(profile.error());
    auto passphrase = ctx.passphrase(/*confirm=*/false);
    if (!passphrase)
        return CliContext::fail(passphrase.error());
    QElapsedTimer timer;
    timer.start();
    auto summary = ProfileBackup::restore(file, passphrase->bytes(), *profile);
    if (!summary)
        return CliContext::fail(summary.error());
    CliContext::info(QStringLiteral("Restored %1 files from %2 into %3 (the key files keep their own passphrase).")
                         .arg(summary->files.size())
                         .arg(file, profile->dataDir()));
    CliContext::printJson(describe(QStringLiteral("backup_restored"), file, *profile, *summary, timer.elapsed()));
    return 0;
}

} // namespace

int runBackup(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("An encrypted backup of this profile in one file (export), or a new profile from one "
                       "(restore: the profile must not exist or be empty). The backup's passphrase comes from "
                       "--passphrase-file, USERWALLET_PASSPHRASE, or a prompt."));
    p.addPositionalArgument(QStringLiteral("subcommand"), QStringLiteral("export FILE or restore FILE."));
    if (auto done = parseCommand(p, QStringLiteral("backup"), args))
        return *done;
    const QStringList positional = p.positionalArguments();
    if (positional.size() != 2 || positional.at(1).isEmpty())
        return usageError(kBackupUsage);
    if (positional.at(0) == QLatin1String("export"))
        return backupExport(ctx, positional.at(1));
    if (positional.at(0) == QLatin1String("restore"))
        return backupRestore(ctx, positional.at(1));
    return usageError(kBackupUsage);
}

} // namespace uw::cli
