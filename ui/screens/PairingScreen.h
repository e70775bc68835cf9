#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace uw::ui {

class DeviceListModel;
class QrCodeWidget;
class ReadOnlyTable;

/// Device 1's side of pairing: the one-time link and its QR code, the fingerprint of
/// the device that answered, the explicit confirmation, and the member's device list, where this
/// device's label can be changed (published as a new version of the member document).
class PairingScreen : public QWidget
{
    Q_OBJECT
public:
    explicit PairingScreen(DeviceListModel* devices, QWidget* parent = nullptr);

    /// How many devices must sign each login.
    void setRequired(int required);
    void showLink(const QString& link);
    void showRequest(const QString& fingerprint);
    void showDone(const QString& message, bool error);

Q_SIGNALS:
    void offerRequested();
    void confirmed(bool accept);

private:
    void startRename();
    void showRenameResult(const QString& message, bool error);
    /// Asks to confirm the removal of the selected device (a window-modal box; Cancel is the default).
    void askRemove();
    void showRemoveResult(const QString& message, bool error);
    void refreshRemove();

    DeviceListModel* m_deviceModel;
    ReadOnlyTable* m_devices;
    QLineEdit* m_labelEdit;
    QPushButton* m_rename;
    QLabel* m_renameStatus;
    QPushButton* m_remove;
    QLabel* m_removeStatus;
    QLabel* m_required;
    QPushButton* m_offer;
    QLineEdit* m_link;
    QrCodeWidget* m_qr;
    QLabel* m_fingerprint;
    QPushButton* m_accept;
    QPushButton* m_reject;
    QLabel* m_status;
};

} // namespace uw::ui
