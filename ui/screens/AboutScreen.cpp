#include "screens/AboutScreen.h"

#include <QCoreApplication>
#include <QLabel>
#include <QVBoxLayout>

namespace uw::ui {

AboutScreen::AboutScreen(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("aboutScreen"));
    auto* layout = new QVBoxLayout(this);
    auto* text = new QLabel(this);
    text->setObjectName(QStringLiteral("aboutLabel"));
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    text->setText(
        tr("<h2>UserWallet %1</h2><p>Log in to services with signatures from several of your devices, co-sign from a "
           "second device, and anchor document hashes on Bitcoin.</p><p>Your secret keys never leave this device and "
           "are "
           "stored encrypted. Every relay is untrusted: every signature is verified here.</p><p>Built with Qt %2, "
           "libsecp256k1, libsodium, libqrencode and ZXing-C++.</p>")
            .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    layout->addWidget(text);
    layout->addStretch();
}

} // namespace uw::ui
