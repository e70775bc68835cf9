// Device 2 asked by push, through the widgets (offscreen platform) with a real relay and a real
// HTTP parent: device 1 starts a login, device 2 is notified without any link, the notification
// opens the review window, typing the number signs; Refuse there stops device 1 at once.
#include "login/ProofVerifier.h"
#include "models/PushModel.h"
#include "screens/LoginScreen.h"
#include "screens/ReviewWindow.h"
#include "support/GuiRig.h"

#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QSystemTrayIcon>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestGuiPush : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void notificationOpensTheReviewAndTheNumberSigns();
    void refusingInTheReviewStopsDevice1AtOnce();
    void requestLinkFromTheUrlHandler();
    void answeredOnTheLinkPageIsNotAskedAgain();

private:
    /// Device 1 starts a login to `service`; returns the number it shows.
    QString startLogin(const QString& service);
    /// Device 2 was told: the notification names device 1 and the service; clicking it shows the
    /// review window on that login. Returns the window.
    ui::ReviewWindow* openFromNotification(const QString& service);

    GuiRig m_rig;
    std::unique_ptr<ui::MainWindow> m_d1, m_d2;
};

void TestGuiPush::initTestCase()
{
    QVERIFY(m_rig.setUp());
    m_d1 = m_rig.openWindow(QStringLiteral("device1"));
    m_d2 = m_rig.openWindow(QStringLiteral("device2"));
    QVERIFY(m_d2->reviewWindow());
    QVERIFY(m_d2->trayIcon());
}

QString TestGuiPush::startLogin(const QString& service)
{
    m_d1->showPage(QStringLiteral("loginScreen"));
    auto* serviceEdit = GuiRig::find<QLineEdit>(m_d1.get(), "serviceEdit");
    auto* callback = GuiRig::find<QLineEdit>(m_d1.get(), "callbackEdit");
    serviceEdit->clear();
    callback->clear();
    QTest::keyClicks(serviceEdit, service);
    QTest::keyClicks(callback, m_rig.parent.url());
    auto* number = GuiRig::find<QLabel>(m_d1.get(), "loginNumberLabel");
    number->clear();
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "startButton"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return number->text().size() == 2 && number->isVisible(); }, 20000))
        return {};
    return number->text();
}

ui::ReviewWindow* TestGuiPush::openFromNotification(const QString& service)
{
    ui::ReviewWindow* review = m_d2->reviewWindow();
    if (!QTest::qWaitFor(
            [&] {
                const QStringList n = m_d2->lastNotification();
                return n.size() == 2 && n.at(1).contains(service);
            },
            20000))
        return nullptr;
    // The person clicks the notification (the offscreen platform has no tray to show it: the
    // window came up by itself; close it first so that the click is what opens it).
    review->hide();
    QMetaObject::invokeMethod(m_d2->trayIcon(), "messageClicked");
    if (!review->isVisible())
        return nullptr;
    if (!QTest::qWaitFor(
            [&] {
                return GuiRig::find<QGroupBox>(review, "reviewDetails")->isVisible() &&
                       GuiRig::find<QLabel>(review, "reviewServiceLabel")->text() == service;
            },
            20000))
        return nullptr;
    return review;
}

void TestGuiPush::notificationOpensTheReviewAndTheNumberSigns()
{
    const auto before = m_rig.parent.requests().size();
    const QString number = startLogin(QStringLiteral("push-demo"));
    QCOMPARE(number.size(), 2);
    ui::ReviewWindow* review = openFromNotification(QStringLiteral("push-demo"));
    QVERIFY(review);
    QCOMPARE(m_d2->lastNotification().at(0), QStringLiteral("Login request"));
    // What the person checks: where the proof goes, who asked, and nothing signed before the number.
    QCOMPARE(GuiRig::find<QLabel>(review, "reviewCallbackHostLabel")->text(), QUrl(m_rig.parent.url()).host());
    // Device 1 is named by its label in device 2's copy of the member document.
    const MemberDocument alice = MemberDocument::load(m_rig.profile(QStringLiteral("device2")).memberFile()).value();
    const PushedLogin* pushed = m_d2->pushModel()->current();
    QVERIFY(pushed);
    const QString label = alice.pairLabels().value(pushed->askedByPair);
    QVERIFY(!label.isEmpty());
    QCOMPARE(GuiRig::find<QLabel>(review, "reviewAskedByLabel")->text(), label + QStringLiteral(" (member alice)"));
    QVERIFY(GuiRig::find<QLabel>(review, "reviewIntro")->text().contains(QStringLiteral("push-demo")));
    auto* sign = GuiRig::find<QPushButton>(review, "reviewSignButton");
    QVERIFY(!sign->isEnabled());
    QTest::keyClicks(GuiRig::find<QLineEdit>(review, "reviewNumberEdit"), number);
    QVERIFY(sign->isEnabled());
    QTest::mouseClick(sign, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        GuiRig::find<QLabel>(review, "reviewLastOutcome")->text().startsWith(QStringLiteral("Signed")), 20000);
    // Answered: nothing else waits.
    QTRY_VERIFY_WITH_TIMEOUT(!GuiRig::find<QGroupBox>(review, "reviewDetails")->isVisible(), 20000);
    QCOMPARE(m_d2->pushModel()->waiting().size(), 0);

    // Device 1 got the signature and asks its own confirmation; then the service gets the proof.
    auto* pages = GuiRig::find<QStackedWidget>(m_d1.get(), "loginPages");
    QTRY_COMPARE_WITH_TIMEOUT(pages->currentIndex(), 2, 20000);
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "acceptButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d1.get(), "resultTitle")->text(),
                              QStringLiteral("You are logged in."), 20000);
    QCOMPARE(m_rig.parent.requests().size(), before + 1);
    auto proof = Proof::fromBytes(m_rig.parent.requests().last().body);
    QVERIFY(proof.ok());
    QVERIFY(ProofVerifier::verify(*proof, SystemClock::instance()).ok());
    QCOMPARE(proof->message.service, QStringLiteral("push-demo"));
}

void TestGuiPush::refusingInTheReviewStopsDevice1AtOnce()
{
    QVERIFY(!startLogin(QStringLiteral("push-refused")).isEmpty());
    ui::ReviewWindow* review = openFromNotification(QStringLiteral("push-refused"));
    QVERIFY(review);
    QTest::mouseClick(GuiRig::find<QPushButton>(review, "reviewRefuseButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QLabel>(review, "reviewLastOutcome")->text(),
                              QStringLiteral("Refused: nothing was signed, and the other device was told."), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        GuiRig::find<QLabel>(m_d1.get(), "resultReason")->text().startsWith(QStringLiteral("Refused on")), 20000);
}

void TestGuiPush::requestLinkFromTheUrlHandler()
{
    // A userwallet://login?request=… link handed to the running window (the URL handler, a second
    // launch) goes to the login screen, which fetches the request or says why it will not.
    m_d1->showPage(QStringLiteral("historyScreen"));
    m_d1->handleUrl(QStringLiteral("userwallet://login?request=http%3A%2F%2Fservice.example%2Flogin-request"));
    QVERIFY(m_d1->loginScreen()->isVisible());
    auto* reason = GuiRig::find<QLabel>(m_d1.get(), "resultReason");
    QTRY_VERIFY_WITH_TIMEOUT(reason->isVisible() && reason->text().contains(QStringLiteral("only https://")), 20000);
    QCOMPARE(GuiRig::find<QLabel>(m_d1.get(), "resultTitle")->text(),
             QStringLiteral("This login request was refused."));
}

void TestGuiPush::answeredOnTheLinkPageIsNotAskedAgain()
{
    // The person used the link instead (pasted on the signing page): once signed there, the
    // review window does not ask for the same login again.
    const QString number = startLogin(QStringLiteral("push-linked"));
    QCOMPARE(number.size(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(m_d2->pushModel()->current() && m_d2->pushModel()->current()->challenge.message.service ==
                                                                 QLatin1String("push-linked"),
                             20000);
    m_d2->showPage(QStringLiteral("signScreen"));
    auto* edit = GuiRig::find<QLineEdit>(m_d2.get(), "signLinkEdit");
    edit->setText(GuiRig::find<QLineEdit>(m_d1.get(), "linkEdit")->text());
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d2.get(), "checkButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(GuiRig::find<QGroupBox>(m_d2.get(), "signDetails")->isVisible(), 20000);
    QTest::keyClicks(GuiRig::find<QLineEdit>(m_d2.get(), "signNumberEdit"), number);
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d2.get(), "signButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d2.get(), "signStatusLabel")->text(),
                              QStringLiteral("Signature published"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(m_d2->pushModel()->waiting().size(), 0, 20000);
    QVERIFY(!GuiRig::find<QGroupBox>(m_d2->reviewWindow(), "reviewDetails")->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QStackedWidget>(m_d1.get(), "loginPages")->currentIndex(), 2, 20000);
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "acceptButton"), Qt::LeftButton);
}

QTEST_MAIN(TestGuiPush)
#include "test_gui_push.moc"
