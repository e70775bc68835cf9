#include "screens/SignScreen.h"

#include "models/SigningModel.h"
#include "widgets/QrDecoder.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace uw::ui {

SignScreen::SignScreen(SigningModel* model, QWidget* parent) : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("signScreen"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Sign for another device"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    auto* hint =
        new QLabel(tr("Paste the link shown by the device that is logging in, or open an image of its QR code."), this);
    hint->setWordWrap(true);
    layout->addWidget(hint);
    auto* row = new QHBoxLayout;
    m_link = new QLineEdit(this);
    m_link->setObjectName(QStringLiteral("signLinkEdit"));
    m_link->setPlaceholderText(QStringLiteral("userwallet://login-sign?hash=…&nonce=…"));
    m_link->setAccessibleName(tr("Signing link"));
    auto* check = new QPushButton(tr("Check"), this);
    check->setObjectName(QStringLiteral("checkButton"));
    auto* image = new QPushButton(tr("Open a QR image…"), this);
    image->setObjectName(QStringLiteral("qrImageButton"));
    row->addWidget(m_link);
    row->addWidget(check);
    row->addWidget(image);
    layout->addLayout(row);

    m_details = new QGroupBox(tr("You are asked to sign"), this);
    m_details->setObjectName(QStringLiteral("signDetails"));
    auto* form = new QFormLayout(m_details);
    m_service = new QLabel(m_details);
    m_service->setObjectName(QStringLiteral("signServiceLabel"));
    m_callbackHost = new QLabel(m_details);
    m_callbackHost->setObjectName(QStringLiteral("signCallbackHostLabel"));
    QFont hostFont = m_callbackHost->font();
    hostFont.setBold(true);
    hostFont.setPointSizeF(hostFont.pointSizeF() * 1.25);
    m_callbackHost->setFont(hostFont);
    m_callback = new QLabel(m_details);
    m_callback->setObjectName(QStringLiteral("signCallbackLabel"));
    m_created = new QLabel(m_details);
    m_expires = new QLabel(m_details);
    m_expires->setObjectName(QStringLiteral("signExpiresLabel"));
    m_members = new QLabel(m_details);
    m_members->setObjectName(QStringLiteral("signMembersLabel"));
    for (QLabel* l : {m_service, m_callbackHost, m_callback, m_created, m_expires, m_members})
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Service:"), m_service);
    //: Form label: the host (server name) that will receive the proof of this login, shown large.
    form->addRow(tr("Proof goes to:"), m_callbackHost);
    //: Form label: the whole URL that will receive the proof of this login.
    form->addRow(tr("Full address:"), m_callback);
    form->addRow(tr("Created:"), m_created);
    form->addRow(tr("Expires:"), m_expires);
    //: Form label: the members whose devices must sign this login.
    form->addRow(tr("Members:"), m_members);
    // Number matching: the person types the two digits device 1 shows, so that this device signs
    // the login they are looking at, not one someone else started.
    m_number = new QLineEdit(m_details);
    m_number->setObjectName(QStringLiteral("signNumberEdit"));
    m_number->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,2}")), m_number));
    m_number->setMaxLength(2);
    m_number->setAlignment(Qt::AlignCenter);
    QFont numberFont = m_number->font();
    numberFont.setPointSizeF(numberFont.pointSizeF() * 2);
    numberFont.setBold(true);
    m_number->setFont(numberFont);
    m_number->setFixedWidth(QFontMetrics(numberFont).horizontalAdvance(QStringLiteral("000")) + 16);
    //: Accessible name of the field where the person types the two-digit number shown by device 1.
    m_number->setAccessibleName(tr("Number shown on the other device"));
    //: Form label: the two-digit number shown by the device that is logging in.
    form->addRow(tr("Number shown there:"), m_number);
    m_sign = new QPushButton(tr("Sign"), m_details);
    m_sign->setObjectName(QStringLiteral("signButton"));
    m_sign->setMinimumWidth(160);
    m_refuse = new QPushButton(tr("Refuse"), m_details);
    m_refuse->setObjectName(QStringLiteral("signRefuseButton"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_sign);
    buttons->addWidget(m_refuse);
    form->addRow(QString(), buttons);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_details->setVisible(false);
    layout->addWidget(m_details);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("signStatusLabel"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addStretch();

    connect(check, &QPushButton::clicked, this, [this] { openLink(m_link->text()); });
    connect(m_link, &QLineEdit::returnPressed, this, [this] { openLink(m_link->text()); });
    connect(image, &QPushButton::clicked, this, &SignScreen::openImage);
    connect(m_number, &QLineEdit::textChanged, this,
            [this](const QString& text) { m_sign->setEnabled(m_refuse->isEnabled() && !text.isEmpty()); });
    connect(m_number, &QLineEdit::returnPressed, m_sign, &QPushButton::click);
    connect(m_sign, &QPushButton::clicked, this, [this] {
        if (m_number->text().isEmpty())
            return;
        m_sign->setEnabled(false);
        m_refuse->setEnabled(false);
        showStatus(tr("Signing and publishing…"), false);
        m_model->sign(m_number->text().toInt());
    });
    connect(m_refuse, &QPushButton::clicked, this, [this] {
        m_sign->setEnabled(false);
        m_refuse->setEnabled(false);
        showStatus(tr("Telling the other device that you refused…"), false);
        m_model->decline();
    });
    connect(m_model, &SigningModel::declined, this,
            [this] { showStatus(tr("Refused: nothing was signed, and the other device was told."), false); });
    connect(m_model, &SigningModel::requestReady, this, &SignScreen::showRequest);
    connect(m_model, &SigningModel::published, this, [this] { showStatus(tr("Signature published"), false); });
    connect(m_model, &SigningModel::failed, this, [this](const QString& why) {
        m_sign->setEnabled(false);
        m_refuse->setEnabled(false);
        showStatus(why, true);
    });
}

void SignScreen::openLink(const QString& link)
{
    m_link->setText(link.trimmed());
    m_link->setCursorPosition(0);
    m_details->setVisible(false);
    showStatus(tr("Looking for the login on the relays…"), false);
    m_model->open(link);
}

void SignScreen::openImage()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("QR code image"), QString(), tr("Images (*.png *.jpg *.jpeg *.bmp)"));
    if (path.isEmpty())
        return;
    showStatus(tr("Reading the QR code…"), false);
    // Loading and decoding run on a worker: the window stays responsive.
    auto* watcher = new QFutureWatcher<Result<QString>>(this);
    connect(watcher, &QFutureWatcher<Result<QString>>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Result<QString> text = watcher->result();
        if (!text) {
            showStatus(text.error().message, true);
            return;
        }
        openLink(*text);
    });
    watcher->setFuture(QtConcurrent::run([path] { return decodeQrFile(path); }));
}

void SignScreen::showRequest(const SigningRequest& r)
{
    const QLocale locale;
    m_service->setText(r.service);
    m_callbackHost->setText(r.callbackHost);
    m_callback->setText(r.callback);
    m_created->setText(locale.toString(r.createdAt, QLocale::LongFormat));
    m_expires->setText(locale.toString(r.expiresAt, QLocale::LongFormat));
    m_members->setText(r.members.join(QStringLiteral(", ")));
    m_details->setVisible(true);
    m_number->clear();
    m_refuse->setEnabled(true);
    m_sign->setEnabled(false); // until the number is typed
    m_number->setFocus();
    //: %1 is the host that receives the proof (e.g. service.example).
    showStatus(tr("Sign only if you are logging in to %1 right now, on your other device: type the number it shows.")
                   .arg(r.callbackHost),
               false);
}

void SignScreen::showStatus(const QString& text, bool error)
{
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
    m_status->setText(text);
}

} // namespace uw::ui
