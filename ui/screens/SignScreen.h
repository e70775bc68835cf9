#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QGroupBox;

namespace uw::ui {

class SigningModel;
struct SigningRequest;

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
    void showRequest(const SigningRequest& r);
    void showStatus(const QString& text, bool error);
    void openImage();

    SigningModel* m_model;
    QLineEdit* m_link;
    QGroupBox* m_details;
    QLabel* m_service;
    QLabel* m_callbackHost;
    QLabel* m_callback;
    QLabel* m_created;
    QLabel* m_expires;
    QLabel* m_members;
    QLineEdit* m_number;
    QPushButton* m_sign;
    QPushButton* m_refuse;
    QLabel* m_status;
};

} // namespace uw::ui
