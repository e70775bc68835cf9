#pragma once

#include "chain/BackendConfig.h"
#include "config/Settings.h"

#include <QWidget>

class QComboBox;
class QTableWidget;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QLabel;
class QPushButton;

namespace uw::ui {

class BackupModel;

/// Settings of this profile: relays (add, remove, live state), the Bitcoin backend, the login
/// timeout, the services the login screen offers (add, edit, remove), the language. Saving applies
/// at once (the relays reconnect).
class SettingsScreen : public QWidget
{
    Q_OBJECT
public:
    SettingsScreen(const Settings& settings, QWidget* parent = nullptr);
    void setRelayState(const QString& url, const QString& state);
    /// The outcome of the last save: `error` is empty when the settings reached the disk.
    void showSaveResult(const QString& error);
    /// The answer to "Test connection": the chain and height, or the error, in words.
    void showConnectionResult(bool ok, const QString& sentence);
    /// Offers "Export a backup" of this profile through `model` (its work runs on a worker).
    /// Without a model, no such box.
    void setBackupModel(BackupModel* model);

Q_SIGNALS:
    void saveRequested(const uw::Settings& settings);
    /// "Test connection" with the node fields as they are typed (saved or not).
    void testConnectionRequested(const uw::BackendConfig& backend);

private:
    void buildKnownServices(QWidget* box);
    void fillKnownServices();
    /// The entry the known-service form describes, or why it cannot be kept (a sentence).
    Result<KnownService> knownServiceFromForm() const;

    Settings m_settings;
    QList<KnownService> m_known; ///< as edited, saved with the rest
    QTableWidget* m_knownTable = nullptr;
    QLineEdit* m_knownName = nullptr;
    QLineEdit* m_knownRequest = nullptr;
    QLineEdit* m_knownService = nullptr;
    QLineEdit* m_knownCallback = nullptr;
    QListWidget* m_relays;
    QLineEdit* m_newRelay;
    QLineEdit* m_rpcUrl;
    QLineEdit* m_cookie;
    QLineEdit* m_mempool;
    QPushButton* m_testNode;
    QLabel* m_nodeResult;
    QSpinBox* m_timeout;
    QSpinBox* m_maxValidity;
    QComboBox* m_language;
    QLabel* m_status;
    BackupModel* m_backup = nullptr;
    QLineEdit* m_backupFile = nullptr;
    QLineEdit* m_backupPass = nullptr;
    QLineEdit* m_backupPass2 = nullptr;
    QPushButton* m_exportBackup = nullptr;
    QLabel* m_backupStatus = nullptr;
};

} // namespace uw::ui
