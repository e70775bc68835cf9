#include "screens/PairingScreen.h"

#include "models/DeviceListModel.h"
#include "widgets/QrCodeWidget.h"
#include "widgets/ReadOnlyTable.h"
#include "widgets/StateColours.h"

#include <QApplication>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace uw::ui {

PairingScreen::PairingScreen(DeviceListModel* devices, QWidget* parent) : QWidget(parent), m_deviceModel(devices)
{
    setObjectName(QStringLiteral("pairingScreen"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Devices"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    m_required = new QLabel(this);
    m_required->setObjectName(QStringLiteral("requiredLabel"));
    layout->addWidget(m_required);
    m_devices = new ReadOnlyTable(devices, DeviceListModel::Fingerprint, QStringLiteral("devicesList"), this);
    m_devices->followRowCount();
    //: Accessible name of the table of the member's devices.
    m_devices->setAccessibleName(tr("Devices of this member"));
    layout->addWidget(m_devices);

    // Another device taken out of the member (lost, sold): a new version of the document without it.
    auto* removeRow = new QHBoxLayout;
    //: Button: remove the device selected in the list from the member (asks to confirm first).
    m_remove = new QPushButton(tr("Remove device…"), this);
    m_remove->setObjectName(QStringLiteral("removeDeviceButton"));
    removeRow->addWidget(m_remove);
    m_removeStatus = new QLabel(this);
    m_removeStatus->setObjectName(QStringLiteral("removeStatusLabel"));
    m_removeStatus->setWordWrap(true);
    removeRow->addWidget(m_removeStatus, 1);
    layout->addLayout(removeRow);
    connect(m_remove, &QPushButton::clicked, this, &PairingScreen::askRemove);
    connect(m_devices->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PairingScreen::refreshRemove);
    connect(devices, &QAbstractItemModel::modelReset, this, &PairingScreen::refreshRemove);
    connect(devices, &DeviceListModel::removeProgress, this, [this](const QString& step) {
        m_removeStatus->setStyleSheet(QString());
        m_removeStatus->setText(step);
    });
    connect(devices, &DeviceListModel::removed, this, [this](const QString& name, int version) {
        //: A device was removed; %1 its name, %2 the member document's new version number.
        showRemoveResult(
            tr("“%1” was removed (member document version %2, published).").arg(name, QString::number(version)), false);
    });
    connect(devices, &DeviceListModel::removeFailed, this,
            [this](const QString& reason) { showRemoveResult(tr("Not removed: %1").arg(reason), true); });
    refreshRemove();

    // This device's label: what the other devices show when they name it.
    auto* renameRow = new QHBoxLayout;
    //: Label of the field holding this device's name, as the member's other devices show it.
    auto* nameLabel = new QLabel(tr("Name of this device:"), this);
    renameRow->addWidget(nameLabel);
    m_labelEdit = new QLineEdit(this);
    m_labelEdit->setObjectName(QStringLiteral("deviceLabelEdit"));
    m_labelEdit->setMaxLength(2 * DeviceListModel::kMaxLabelLength); // UTF-16 units; the rule counts characters
    //: Placeholder of this device's name field.
    m_labelEdit->setPlaceholderText(tr("laptop, phone…"));
    m_labelEdit->setAccessibleName(tr("Name of this device"));
    nameLabel->setBuddy(m_labelEdit);
    renameRow->addWidget(m_labelEdit, 1);
    //: Button: publish this device's new name (a new signed version of the member document).
    m_rename = new QPushButton(tr("Rename"), this);
    m_rename->setObjectName(QStringLiteral("renameDeviceButton"));
    renameRow->addWidget(m_rename);
    layout->addLayout(renameRow);
    m_renameStatus = new QLabel(this);
    m_renameStatus->setObjectName(QStringLiteral("renameStatusLabel"));
    m_renameStatus->setWordWrap(true);
    layout->addWidget(m_renameStatus);
    const auto refreshLabel = [this] {
        if (!m_labelEdit->isModified() && !m_deviceModel->isRenaming())
            m_labelEdit->setText(m_deviceModel->localLabel());
        const bool can = m_deviceModel->canRename();
        m_labelEdit->setEnabled(can && !m_deviceModel->isChanging());
        m_rename->setEnabled(can && !m_deviceModel->isChanging());
    };
    connect(devices, &QAbstractItemModel::modelReset, this, refreshLabel);
    refreshLabel();
    connect(m_rename, &QPushButton::clicked, this, &PairingScreen::startRename);
    connect(m_labelEdit, &QLineEdit::returnPressed, this, &PairingScreen::startRename);
    connect(devices, &DeviceListModel::renameProgress, this, [this](const QString& step) {
        m_renameStatus->setStyleSheet(QString());
        m_renameStatus->setText(step);
    });
    connect(devices, &DeviceListModel::renamed, this, [this](const QString& label, int version) {
        m_labelEdit->setText(label);
        m_labelEdit->setModified(false);
        //: This device was renamed; %1 its new name, %2 the member document's new version number.
        showRenameResult(
            tr("This device is now “%1” (member document version %2, published).").arg(label, QString::number(version)),
            false);
    });
    connect(devices, &DeviceListModel::renameFailed, this,
            [this](const QString& reason) { showRenameResult(tr("Renaming failed: %1").arg(reason), true); });

    auto* box = new QGroupBox(tr("Add a device"), this);
    auto* row = new QHBoxLayout(box);
    auto* left = new QVBoxLayout;
    auto* hint = new QLabel(
        tr("Show this one-time link or QR code to the new device (in its first run, choose “Join from another "
           "device”). Then compare the fingerprints."),
        box);
    hint->setWordWrap(true);
    left->addWidget(hint);
    m_offer = new QPushButton(tr("Create a pairing link"), box);
    m_offer->setObjectName(QStringLiteral("offerButton"));
    left->addWidget(m_offer, 0, Qt::AlignLeft);
    m_link = new QLineEdit(box);
    m_link->setObjectName(QStringLiteral("pairingLinkEdit"));
    m_link->setReadOnly(true);
    m_link->setAccessibleName(tr("Pairing link"));
    left->addWidget(m_link);
    m_fingerprint = new QLabel(box);
    m_fingerprint->setObjectName(QStringLiteral("pairingFingerprintLabel"));
    m_fingerprint->setWordWrap(true);
    left->addWidget(m_fingerprint);
    auto* buttons = new QHBoxLayout;
    m_accept = new QPushButton(tr("Same fingerprint: add this device"), box);
    m_accept->setObjectName(QStringLiteral("confirmPairButton"));
    m_reject = new QPushButton(tr("Different: refuse"), box);
    m_reject->setObjectName(QStringLiteral("rejectPairButton"));
    buttons->addWidget(m_accept);
    buttons->addWidget(m_reject);
    buttons->addStretch();
    left->addLayout(buttons);
    m_status = new QLabel(box);
    m_status->setObjectName(QStringLiteral("pairingStatusLabel"));
    m_status->setWordWrap(true);
    left->addWidget(m_status);
    left->addStretch();
    row->addLayout(left, 3);
    m_qr = new QrCodeWidget(box);
    m_qr->setObjectName(QStringLiteral("pairingQr"));
    row->addWidget(m_qr, 2);
    layout->addWidget(box);
    layout->addStretch();
    m_accept->setEnabled(false);
    m_reject->setEnabled(false);
    m_qr->setVisible(false);
    connect(m_offer, &QPushButton::clicked, this, [this] {
        m_offer->setEnabled(false);
        m_status->clear();
        Q_EMIT offerRequested();
    });
    connect(m_accept, &QPushButton::clicked, this, [this] {
        m_accept->setEnabled(false);
        m_reject->setEnabled(false);
        Q_EMIT confirmed(true);
    });
    connect(m_reject, &QPushButton::clicked, this, [this] {
        m_accept->setEnabled(false);
        m_reject->setEnabled(false);
        Q_EMIT confirmed(false);
    });
}

void PairingScreen::startRename()
{
    if (!m_rename->isEnabled())
        return;
    const QString label = m_labelEdit->text().trimmed();
    if (const QString problem = DeviceListModel::labelProblem(label); !problem.isEmpty()) {
        //: A device's new name was refused before anything was sent; %1 says why.
        showRenameResult(tr("This name cannot be used: %1.").arg(problem), true);
        return;
    }
    m_rename->setEnabled(false);
    m_labelEdit->setEnabled(false);
    m_renameStatus->setStyleSheet(QString());
    //: Shown at once when Rename is clicked, before the first progress message.
    m_renameStatus->setText(tr("Renaming…"));
    m_deviceModel->renameThisDevice(label);
}

void PairingScreen::showRenameResult(const QString& message, bool error)
{
    m_renameStatus->setStyleSheet(error ? stateStyle(StateColour::Error, QApplication::palette()) : QString());
    m_renameStatus->setText(message);
    const bool can = m_deviceModel->canRename();
    m_rename->setEnabled(can);
    m_labelEdit->setEnabled(can);
}

void PairingScreen::refreshRemove()
{
    const QModelIndexList rows = m_devices->selectionModel()->selectedRows();
    const QString pair = rows.isEmpty() ? QString() : m_deviceModel->pairAt(rows.first().row());
    m_remove->setEnabled(!pair.isEmpty() && !m_deviceModel->isChanging());
    // Why a device may not be removed is said on the button, before anyone asks.
    m_remove->setToolTip(pair.isEmpty() ? tr("Select another device in the list first.")
                                        : m_deviceModel->removalProblem(pair));
}

void PairingScreen::askRemove()
{
    const QModelIndexList rows = m_devices->selectionModel()->selectedRows();
    const QString pair = rows.isEmpty() ? QString() : m_deviceModel->pairAt(rows.first().row());
    if (pair.isEmpty())
        return;
    if (const QString problem = m_deviceModel->removalProblem(pair); !problem.isEmpty()) {
        showRemoveResult(problem, true);
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Warning,
                                //: Title of the box that confirms the removal of a device.
                                tr("Remove a device"),
                                //: %1 the device's name, %2 its key's fingerprint (XXXX-XXXX-XXXX-XXXX).
                                tr("Remove “%1” (key fingerprint %2) from this member?")
                                    .arg(m_deviceModel->deviceName(pair), m_deviceModel->fingerprint(pair)),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("removeDeviceDialog"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(
        tr("Its signatures will no longer count for the member once the new version of the member document is "
           "published. To use that device again, pair it anew."));
    //: The confirmation's destructive button.
    QPushButton* confirm = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirmRemoveButton"));
    QPushButton* cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(cancel);
    box->setEscapeButton(cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, confirm, pair] {
        if (box->clickedButton() != confirm)
            return;
        m_remove->setEnabled(false);
        m_removeStatus->setStyleSheet(QString());
        //: Shown at once when a removal is confirmed, before the first progress message.
        m_removeStatus->setText(tr("Removing…"));
        m_deviceModel->removeDevice(pair);
        refreshRemove();
    });
    box->open();
}

void PairingScreen::showRemoveResult(const QString& message, bool error)
{
    m_removeStatus->setStyleSheet(error ? stateStyle(StateColour::Error, QApplication::palette()) : QString());
    m_removeStatus->setText(message);
    refreshRemove();
}

void PairingScreen::setRequired(int required)
{
    //: The member's rule: how many of its devices must sign a login.
    m_required->setText(tr("%n device(s) must sign each login.", nullptr, required));
}

void PairingScreen::showLink(const QString& link)
{
    m_link->setText(link);
    m_qr->setText(link);
    m_qr->setVisible(true);
    m_fingerprint->setText(tr("Waiting for the new device…"));
}

void PairingScreen::showRequest(const QString& fingerprint)
{
    m_fingerprint->setText(
        //: %1 is the fingerprint of the new device's key, as XXXX-XXXX-XXXX-XXXX.
        tr("A device answered with the fingerprint <b>%1</b>. Does the new device show the same?").arg(fingerprint));
    m_accept->setEnabled(true);
    m_reject->setEnabled(true);
}

void PairingScreen::showDone(const QString& message, bool error)
{
    m_status->setStyleSheet(error ? stateStyle(StateColour::Error, QApplication::palette()) : QString());
    m_status->setText(message);
    m_offer->setEnabled(true);
    m_link->clear();
    m_qr->setText(QString());
    m_qr->setVisible(false);
    m_fingerprint->clear();
}

} // namespace uw::ui
