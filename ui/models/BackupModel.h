#pragma once

#include "identity/Profile.h"

#include <QObject>
#include <QStringList>

namespace uw::ui {

/// The encrypted backup of a profile for the GUI (identity/ProfileBackup): export this profile
/// to a file, or restore a file into a profile that does not exist or is empty. Key derivation and
/// the disk run on a worker (Argon2id takes about 0.2 s, a large anchoring store seconds); the
/// answer comes back as a signal. Passphrases are wiped once copied.
class BackupModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackupModel)
public:
    explicit BackupModel(Profile profile, QObject* parent = nullptr);

    const Profile& profile() const { return m_profile; }
    bool isBusy() const { return m_busy; }

    /// Writes the backup of this profile to `file` (read back and opened before `exported`).
    void exportTo(const QString& file, QString passphrase);
    /// Restores `file` into this profile's folder (which must not exist or be empty).
    void restoreFrom(const QString& file, QString passphrase);

Q_SIGNALS:
    void exported(const QString& file, const QStringList& files, qint64 bytes);
    void restored(const QString& file, const QStringList& files);
    void failed(const QString& code, const QString& reason);
    void busyChanged(bool busy);

private:
    void setBusy(bool busy);
    /// Refuses a second job; otherwise runs `work(profile, passphrase)` on a worker (the copy of
    /// the passphrase wiped when it ends), then `done(summary)` here, or failed().
    template <typename Work, typename Done> void run(QString passphrase, Work work, Done done);
    Profile m_profile;
    bool m_busy = false;
};

} // namespace uw::ui
