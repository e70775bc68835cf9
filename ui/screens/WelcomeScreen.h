#pragma once

#include <QWidget>

class QLineEdit;
class QSpinBox;
class QProgressBar;
class QLabel;
class QPushButton;
class QTabWidget;

namespace uw::ui {

class BackupModel;

/// First run and unlock: create an identity (member id, name, cardinalite_minimale, passphrase
/// with its strength), join a member from another device's pairing link, or unlock the
/// identity this profile holds. Password fields are cleared as soon as they are used.
class WelcomeScreen : public QWidget
{
    Q_OBJECT
public:
    WelcomeScreen(bool hasIdentity, QWidget* parent = nullptr);

    /// While a key is derived or a pairing runs: inputs disabled, the reason shown.
    void setBusy(bool busy, const QString& message = {});
    void showError(const QString& message);
    void showJoinFingerprint(const QString& fingerprint);
    /// Offers "Restore from a backup" (a tab beside create and join) into this profile, through
    /// `model` (its work runs on a worker). After a restore the screen offers to unlock the
    /// restored identity (unlockRequested). Without a model, no such tab.
    void setBackupModel(BackupModel* model);

Q_SIGNALS:
    void createRequested(const QString& memberId, const QString& name, int cardinality, const QString& passphrase);
    void unlockRequested(const QString& passphrase);
    void joinRequested(const QString& link, const QString& passphrase);
    /// A backup was restored into this profile: it holds an identity now.
    void backupRestored();

private:
    QWidget* buildCreate();
    QWidget* buildUnlock();
    QWidget* buildJoin();
    QWidget* buildRestore();
    void updateStrength();

    QTabWidget* m_tabs;
    QLineEdit* m_memberId = nullptr;
    QLineEdit* m_name = nullptr;
    QSpinBox* m_cardinality = nullptr;
    QLineEdit* m_newPass = nullptr;
    QLineEdit* m_newPass2 = nullptr;
    QProgressBar* m_strength = nullptr;
    QLabel* m_strengthLabel = nullptr;
    QLineEdit* m_unlockPass = nullptr;
    QLineEdit* m_joinLink = nullptr;
    QLineEdit* m_joinPass = nullptr;
    QLabel* m_joinFingerprint = nullptr;
    BackupModel* m_backup = nullptr;
    QLineEdit* m_restoreFile = nullptr;
    QLineEdit* m_restorePass = nullptr;
    QLabel* m_status;
};

} // namespace uw::ui
