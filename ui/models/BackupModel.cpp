#include "models/BackupModel.h"

#include "crypto/SecretKey.h"
#include "identity/ProfileBackup.h"
#include "models/Background.h"

#include <memory>

namespace uw::ui {

BackupModel::BackupModel(Profile profile, QObject* parent) : QObject(parent), m_profile(std::move(profile)) {}

void BackupModel::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

template <typename Work, typename Done> void BackupModel::run(QString passphrase, Work work, Done done)
{
    auto secret = std::make_shared<SecretBytes>(passphrase.toUtf8());
    wipeString(passphrase);
    if (m_busy) {
        Q_EMIT failed(QStringLiteral("busy"), tr("A backup is already being written or restored."));
        return;
    }
    setBusy(true);
    runInBackground(
        this, [profile = m_profile, secret, work]() -> Result<BackupSummary> { return work(profile, secret->bytes()); },
        [this, done](const Result<BackupSummary>& r) {
            setBusy(false);
            if (r)
                done(*r);
            else
                Q_EMIT failed(r.error().code, r.error().message);
        });
}

void BackupModel::exportTo(const QString& file, QString passphrase)
{
    run(
        std::move(passphrase),
        [file](const Profile& profile, const auto& secret) { return ProfileBackup::exportTo(profile, file, secret); },
        [this, file](const BackupSummary& s) { Q_EMIT exported(file, s.files, s.bytes); });
}

void BackupModel::restoreFrom(const QString& file, QString passphrase)
{
    run(
        std::move(passphrase),
        [file](const Profile& profile, const auto& secret) { return ProfileBackup::restore(file, secret, profile); },
        [this, file](const BackupSummary& s) { Q_EMIT restored(file, s.files); });
}

} // namespace uw::ui
