#pragma once

#include <QWidget>

class QLabel;
class QListWidget;

namespace uw {
struct PushedLogin;
}

namespace uw::ui {

class PushModel;
class SigningModel;
class SigningPanel;

/// Device 2, asked by push: a window of its own (it opens from the tray's notification, the
/// main window may be hidden) that shows one login at a time: the service, where the proof goes,
/// which device of which member asked, when and until when; the person types the number device 1
/// shows, or refuses. The other logins that wait are listed below, never opened on top.
class ReviewWindow : public QWidget
{
    Q_OBJECT
public:
    ReviewWindow(PushModel* push, SigningModel* signing, QWidget* parent = nullptr);

    /// Shows the window on the login under review (or the last outcome when none waits).
    void present();

private:
    void reviewCurrent();
    void refreshWaiting();
    void finishCurrent(const QString& outcome);

    PushModel* m_push;
    SigningModel* m_signing;
    SigningPanel* m_panel;
    QLabel* m_intro;
    QLabel* m_lastOutcome;
    QLabel* m_waitingTitle;
    QListWidget* m_waiting;
    QString m_reviewing; ///< hash of the login shown, empty when none
    bool m_answered = false;
};

} // namespace uw::ui
