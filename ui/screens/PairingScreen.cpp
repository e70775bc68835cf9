#include "screens/PairingScreen.h"

#include "models/DeviceListModel.h"
#include "widgets/QrCodeWidget.h"
#include "widgets/ReadOnlyTable.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace uw::ui {

PairingScreen::PairingScreen(DeviceListModel* devices, QWidget* parent) : QWidget(parent)
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
    layout->addWidget(m_devices);

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
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
    m_status->setText(message);
    m_offer->setEnabled(true);
    m_link->clear();
    m_qr->setText(QString());
    m_qr->setVisible(false);
    m_fingerprint->clear();
}

} // namespace uw::ui
