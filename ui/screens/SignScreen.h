#pragma once

#include <QWidget>

class QLineEdit;

namespace uw::ui {

class SigningModel;
class SigningPanel;

/// Device 2: a login-sign link from the URL handler, a paste, or an image of its QR
/// code; what will be signed (service, time, expiry, members); Sign; « Signature publiée » or
/// why not. Nothing is signed before the click.
class SignScreen : public QWidget
{
    Q_OBJECT
public:
    explicit SignScreen(SigningModel* model, QWidget* parent = nullptr);

    /// Opens a link (from the URL handler): the message is fetched and shown, not signed.
    void openLink(const QString& link);

private:
    void showStatus(const QString& text, bool error);
    void openImage();

    SigningModel* m_model;
    QLineEdit* m_link;
    SigningPanel* m_panel;
};

} // namespace uw::ui
