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

void BackupModel::exportTo(const QString& file, QString passphrase)
{
    auto secret = std::make_shared<SecretBytes>(passphrase.toUtf8());
    wipeString(passphrase);
    if (m_busy) {
        Q_EMIT failed(QStringLiteral("busy"), tr("A backup is already being written or restored."));
        return;
    }
    setBusy(true);
    runInBackground(
        this,
        [profile = m_profile, file, secret]() -> Result<BackupSummary> {
            return ProfileBackup::exportTo(profile, file, secret->bytes());
        },
        [this, file](const Result<BackupSummary>& r) {
            setBusy(false);
            if (r)
                Q_EMIT exported(file, r->files, r->bytes);
            else
                Q_EMIT failed(r.error().code, r.error().message);
        });
}

void BackupModel::restoreFrom(const QString& file, QString passphrase)
{
    auto secret = std::make_shared<SecretBytes>(passphrase.toUtf8());
    wipeString(passphrase);
    if (m_busy) {
        Q_EMIT failed(QStringLiteral("busy"), tr("A backup is already being written or restored."));
        return;
    }
    setBusy(true);
    runInBackground(
        this,
        [profile = m_profile, file, secret]() -> Result<BackupSummary> {
            return ProfileBackup::restore(file, secret->bytes(), profile);
        },
        [this, file](const Result<BackupSummary>& r) {
            setBusy(false);
            if (r)
                Q_EMIT restored(file, r->files);
            else
                Q_EMIT failed(r.error().code, r.error().message);
        });
}

} // namespace uw::ui
