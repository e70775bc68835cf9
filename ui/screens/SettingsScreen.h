#pragma once

#include "chain/BackendConfig.h"
#include "config/Settings.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QLabel;
class QPushButton;

namespace uw::ui {

/// Settings of this profile: relays (add, remove, live state), the Bitcoin backend, the login
/// timeout, the language. Saving applies at once (the relays reconnect).
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

Q_SIGNALS:
    void saveRequested(const uw::Settings& settings);
    /// "Test connection" with the node fields as they are typed (saved or not).
    void testConnectionRequested(const uw::BackendConfig& backend);

private:
    Settings m_settings;
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
};

} // namespace uw::ui
