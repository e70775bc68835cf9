#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QGroupBox;

namespace uw::ui {

class SigningModel;
struct SigningRequest;

/// What device 2 is asked to sign and the person's answer, shared by the signing page (a link)
/// and the review window (a push): service, where the proof goes (large), the full address, who
/// asked, when and until when, the members; the number typed from device 1's screen; Sign and
/// Refuse; the outcome. Nothing is signed before the click, and Sign needs the number.
///
/// Child object names start with `prefix` ("sign": signNumberEdit, signButton, signRefuseButton,
/// signStatusLabel, signServiceLabel, …), so that two panels of one application stay apart.
class SigningPanel : public QWidget
{
    Q_OBJECT
public:
    SigningPanel(SigningModel* model, const QString& prefix, QWidget* parent = nullptr);

    /// Shows a request to answer; `askedBy` (a device label and its member) may be empty.
    void showRequest(const SigningRequest& request, const QString& askedBy = {});
    void hideRequest();
    void showStatus(const QString& text, bool error);

Q_SIGNALS:
    /// The person answered and the model is at work (the panel shows the outcome itself).
    void answered();

private:
    QString name(const char* suffix) const;

    SigningModel* m_model;
    QString m_prefix;
    QGroupBox* m_details;
    QLabel* m_service;
    QLabel* m_callbackHost;
    QLabel* m_callback;
    QLabel* m_askedBy;
    QLabel* m_created;
    QLabel* m_expires;
    QLabel* m_members;
    QLineEdit* m_number;
    QPushButton* m_sign;
    QPushButton* m_refuse;
    QLabel* m_status;
};

} // namespace uw::ui
