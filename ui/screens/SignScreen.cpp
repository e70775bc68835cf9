#include "screens/SignScreen.h"

#include "models/SigningModel.h"
#include "widgets/QrDecoder.h"
#include "widgets/SigningPanel.h"

#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
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

    m_panel = new SigningPanel(m_model, QStringLiteral("sign"), this);
    layout->addWidget(m_panel);
    layout->addStretch();

    connect(check, &QPushButton::clicked, this, [this] { openLink(m_link->text()); });
    connect(m_link, &QLineEdit::returnPressed, this, [this] { openLink(m_link->text()); });
    connect(image, &QPushButton::clicked, this, &SignScreen::openImage);
    connect(m_model, &SigningModel::requestReady, m_panel,
            [this](const SigningRequest& r) { m_panel->showRequest(r); });
}

void SignScreen::openLink(const QString& link)
{
    m_link->setText(link.trimmed());
    m_link->setCursorPosition(0);
    m_panel->hideRequest();
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

void SignScreen::showStatus(const QString& text, bool error)
{
    m_panel->showStatus(text, error);
}

} // namespace uw::ui
