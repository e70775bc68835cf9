#include "widgets/SigningPanel.h"

#include "models/SigningModel.h"
#include "widgets/StateColours.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

namespace uw::ui {

QString SigningPanel::name(const char* suffix) const
{
    return m_prefix + QLatin1String(suffix);
}

SigningPanel::SigningPanel(SigningModel* model, const QString& prefix, QWidget* parent)
    : QWidget(parent), m_model(model), m_prefix(prefix)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_details = new QGroupBox(tr("You are asked to sign"), this);
    m_details->setObjectName(name("Details"));
    auto* form = new QFormLayout(m_details);
    m_service = new QLabel(m_details);
    m_service->setObjectName(name("ServiceLabel"));
    m_callbackHost = new QLabel(m_details);
    m_callbackHost->setObjectName(name("CallbackHostLabel"));
    QFont hostFont = m_callbackHost->font();
    hostFont.setBold(true);
    hostFont.setPointSizeF(hostFont.pointSizeF() * 1.25);
    m_callbackHost->setFont(hostFont);
    m_callback = new QLabel(m_details);
    m_callback->setObjectName(name("CallbackLabel"));
    m_askedBy = new QLabel(m_details);
    m_askedBy->setObjectName(name("AskedByLabel"));
    m_created = new QLabel(m_details);
    m_created->setObjectName(name("CreatedLabel"));
    m_expires = new QLabel(m_details);
    m_expires->setObjectName(name("ExpiresLabel"));
    m_members = new QLabel(m_details);
    m_members->setObjectName(name("MembersLabel"));
    for (QLabel* l : {m_service, m_callbackHost, m_callback, m_askedBy, m_created, m_expires, m_members})
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Service:"), m_service);
    //: Form label: the host (server name) that will receive the proof of this login, shown large.
    form->addRow(tr("Proof goes to:"), m_callbackHost);
    //: Form label: the whole URL that will receive the proof of this login.
    form->addRow(tr("Full address:"), m_callback);
    //: Form label: the device (its label) and member that started this login.
    form->addRow(tr("Asked by:"), m_askedBy);
    form->addRow(tr("Created:"), m_created);
    form->addRow(tr("Expires:"), m_expires);
    //: Form label: the members whose devices must sign this login.
    form->addRow(tr("Members:"), m_members);
    // Number matching: the person types the two digits device 1 shows, so that this device signs
    // the login they are looking at, not one someone else started.
    m_number = new QLineEdit(m_details);
    m_number->setObjectName(name("NumberEdit"));
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
    m_sign->setObjectName(m_prefix == QLatin1String("sign") ? QStringLiteral("signButton") : name("SignButton"));
    m_sign->setMinimumWidth(160);
    m_refuse = new QPushButton(tr("Refuse"), m_details);
    m_refuse->setObjectName(name("RefuseButton"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_sign);
    buttons->addWidget(m_refuse);
    form->addRow(QString(), buttons);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_details->setVisible(false);
    layout->addWidget(m_details);
    m_status = new QLabel(this);
    m_status->setObjectName(name("StatusLabel"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

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
        Q_EMIT answered();
    });
    connect(m_refuse, &QPushButton::clicked, this, [this] {
        m_sign->setEnabled(false);
        m_refuse->setEnabled(false);
        showStatus(tr("Telling the other device that you refused…"), false);
        m_model->decline();
        Q_EMIT answered();
    });
    connect(m_model, &SigningModel::declined, this,
            [this] { showStatus(tr("Refused: nothing was signed, and the other device was told."), false); });
    connect(m_model, &SigningModel::published, this, [this] { showStatus(tr("Signature published"), false); });
    connect(m_model, &SigningModel::failed, this, [this](const QString& why) {
        m_sign->setEnabled(false);
        m_refuse->setEnabled(false);
        showStatus(why, true);
    });
}

void SigningPanel::showRequest(const SigningRequest& r, const QString& askedBy)
{
    const QLocale locale;
    m_service->setText(r.service);
    m_callbackHost->setText(r.callbackHost);
    m_callback->setText(r.callback);
    m_askedBy->setText(askedBy);
    m_askedBy->setVisible(!askedBy.isEmpty());
    if (auto* form = qobject_cast<QFormLayout*>(m_details->layout()))
        if (QWidget* label = form->labelForField(m_askedBy))
            label->setVisible(!askedBy.isEmpty());
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

void SigningPanel::hideRequest()
{
    m_details->setVisible(false);
}

void SigningPanel::showStatus(const QString& text, bool error)
{
    m_status->setStyleSheet(error ? stateStyle(StateColour::Error, palette()) : QString());
    m_status->setText(text);
}

} // namespace uw::ui
