#include "screens/ReviewWindow.h"

#include "models/PushModel.h"
#include "models/SigningModel.h"
#include "widgets/SigningPanel.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace uw::ui {

ReviewWindow::ReviewWindow(PushModel* push, SigningModel* signing, QWidget* parent)
    : QWidget(parent, Qt::Window), m_push(push), m_signing(signing)
{
    setObjectName(QStringLiteral("reviewWindow"));
    //: Title of the window that asks this device to sign a login started on another device.
    setWindowTitle(tr("UserWallet — a login asks this device"));
    auto* layout = new QVBoxLayout(this);
    m_intro = new QLabel(this);
    m_intro->setObjectName(QStringLiteral("reviewIntro"));
    m_intro->setWordWrap(true);
    QFont f = m_intro->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    f.setBold(true);
    m_intro->setFont(f);
    m_intro->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    layout->addWidget(m_intro);
    m_lastOutcome = new QLabel(this);
    m_lastOutcome->setObjectName(QStringLiteral("reviewLastOutcome"));
    m_lastOutcome->setWordWrap(true);
    m_lastOutcome->setVisible(false);
    layout->addWidget(m_lastOutcome);
    m_panel = new SigningPanel(signing, QStringLiteral("review"), this);
    layout->addWidget(m_panel);
    m_waitingTitle = new QLabel(this);
    m_waitingTitle->setObjectName(QStringLiteral("reviewWaitingTitle"));
    layout->addWidget(m_waitingTitle);
    m_waiting = new QListWidget(this);
    m_waiting->setObjectName(QStringLiteral("reviewWaitingList"));
    //: Accessible name of the list of other logins waiting for this device's answer.
    m_waiting->setAccessibleName(tr("Other logins waiting"));
    m_waiting->setSelectionMode(QAbstractItemView::NoSelection);
    m_waiting->setMaximumHeight(120);
    layout->addWidget(m_waiting);
    layout->addStretch();
    auto* buttons = new QDialogButtonBox(this);
    //: Closes the review window; the login stays waiting until it expires.
    auto* later = buttons->addButton(tr("Later"), QDialogButtonBox::RejectRole);
    later->setObjectName(QStringLiteral("reviewLaterButton"));
    layout->addWidget(buttons);
    connect(later, &QPushButton::clicked, this, &QWidget::hide);

    connect(m_push, &PushModel::arrived, this, [this](const PushedLogin&, bool first) {
        if (first && m_reviewing.isEmpty())
            reviewCurrent();
        refreshWaiting();
    });
    connect(m_push, &PushModel::waitingChanged, this, &ReviewWindow::refreshWaiting);
    connect(m_push, &PushModel::currentChanged, this, &ReviewWindow::reviewCurrent);
    connect(m_signing, &SigningModel::requestReady, this, [this](const SigningRequest& r) {
        const PushedLogin* login = m_push->current();
        if (!login || login->challenge.hash != r.hash)
            return;
        //: Who started the login: %1 the device's label, %2 its member.
        m_panel->showRequest(r, tr("%1 (member %2)").arg(login->askedByLabel, login->askedByMember));
    });
    connect(m_panel, &SigningPanel::answered, this, [this] { m_answered = true; });
    connect(m_signing, &SigningModel::published, this, [this] {
        //: %1: the service the login was for.
        finishCurrent(tr("Signed: your login to %1 can go on.")
                          .arg(m_push->current() ? m_push->current()->challenge.message.service : QString()));
    });
    connect(m_signing, &SigningModel::declined, this,
            [this] { finishCurrent(tr("Refused: nothing was signed, and the other device was told.")); });
    connect(m_signing, &SigningModel::failed, this, [this](const QString& why) {
        if (m_answered) // a failure before the answer stays on screen with the request
            finishCurrent(why);
    });
    reviewCurrent();
}

void ReviewWindow::present()
{
    show();
    raise();
    activateWindow();
}

void ReviewWindow::reviewCurrent()
{
    const PushedLogin* login = m_push->current();
    m_answered = false;
    if (!login) {
        m_reviewing.clear();
        m_panel->hideRequest();
        m_intro->setText(tr("No login waits for this device."));
        return;
    }
    m_reviewing = login->challenge.hash;
    //: %1 the device's label that started the login, %2 the service.
    m_intro->setText(tr("%1 is logging in to %2 and asks this device to sign.")
                         .arg(login->askedByLabel, login->challenge.message.service));
    m_panel->showStatus(tr("Checking the login…"), false);
    m_signing->review(login->challenge);
}

void ReviewWindow::finishCurrent(const QString& outcome)
{
    if (m_reviewing.isEmpty())
        return;
    m_lastOutcome->setText(outcome);
    m_lastOutcome->setVisible(true);
    m_reviewing.clear();
    m_push->answerCurrent();
}

void ReviewWindow::refreshWaiting()
{
    m_waiting->clear();
    const QList<PushedLogin> waiting = m_push->waiting();
    const QLocale locale;
    for (qsizetype i = 1; i < waiting.size(); ++i) {
        const PushedLogin& l = waiting.at(i);
        //: A waiting login: %1 service, %2 the asking device's label, %3 the time it ends.
        m_waiting->addItem(tr("%1 — asked by %2 — until %3")
                               .arg(l.challenge.message.service, l.askedByLabel,
                                    locale.toString(QDateTime::fromSecsSinceEpoch(l.challenge.message.expiresAt).time(),
                                                    QLocale::ShortFormat)));
    }
    const int others = int(waiting.size()) - 1;
    //: Above the list of other logins waiting for an answer, after the one on screen.
    m_waitingTitle->setText(tr("%n other login(s) waiting", nullptr, std::max(0, others)));
    m_waitingTitle->setVisible(others > 0);
    m_waiting->setVisible(others > 0);
}

} // namespace uw::ui
