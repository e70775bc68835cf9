#pragma once

#include "config/Settings.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QLabel;

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

Q_SIGNALS:
    void saveRequested(const uw::Settings& settings);

private:
    Settings m_settings;
    QListWidget* m_relays;
    QLineEdit* m_newRelay;
    QLineEdit* m_rpcUrl;
    QLineEdit* m_cookie;
    QLineEdit* m_mempool;
    QSpinBox* m_timeout;
    QSpinBox* m_maxValidity;
    QComboBox* m_language;
    QLabel* m_status;
};

} // namespace uw::ui
