// The desktop GUI driven through its widgets (offscreen platform), with real relays and a real
// HTTP parent: a two-device login, Refuse, the timeout screen, Back disabled during the
// confirmation, and the QR codes decoded back (ZXing) to their exact links.
#include "login/ProofVerifier.h"
#include "screens/LoginScreen.h"
#include "support/GuiRig.h"
#include "widgets/QrCodeWidget.h"
#include "widgets/QrDecoder.h"

#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestGuiLogin : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void twoDeviceLogin();
    void refuseSendsNothing();
    void timeoutScreen();
    void pairingQrCode();
    void badLinkIsRefusedOnScreen();
    void wrongNumberStopsDevice1AtOnce();
    void refusalOnDevice2StopsDevice1AtOnce();

private:
    /// Device 1 starts a login; returns the link shown.
    QString startLogin(ui::MainWindow* w);
    /// Device 2 opens the link, types the number device 1 shows, and signs.
    void signOnDevice2(const QString& link);
    /// Device 2 opens the link and shows the login; returns device 1's number as shown.
    QString openOnDevice2(const QString& link);

    GuiRig m_rig;
    std::unique_ptr<ui::MainWindow> m_d1, m_d2;
};

void TestGuiLogin::initTestCase()
{
    QVERIFY(m_rig.setUp());
    m_d1 = m_rig.openWindow(QStringLiteral("device1"));
    m_d2 = m_rig.openWindow(QStringLiteral("device2"));
    QVERIFY(GuiRig::find<QListWidget>(m_d1.get(), "navigation"));
    QVERIFY(GuiRig::find<QListWidget>(m_d2.get(), "navigation"));
    QVERIFY(GuiRig::find<QLabel>(m_d1.get(), "identityLabel")->text().contains(QStringLiteral("Alice Martin")));
}

QString TestGuiLogin::startLogin(ui::MainWindow* w)
{
    w->showPage(QStringLiteral("loginScreen"));
    auto* service = GuiRig::find<QLineEdit>(w, "serviceEdit");
    auto* callback = GuiRig::find<QLineEdit>(w, "callbackEdit");
    service->clear();
    callback->clear();
    QTest::keyClicks(service, QStringLiteral("demo"));
    QTest::keyClicks(callback, m_rig.parent.url());
    auto* link = GuiRig::find<QLineEdit>(w, "linkEdit");
    const QString previous = link->text(); // an earlier login's link stays until the new one is ready
    QTest::mouseClick(GuiRig::find<QPushButton>(w, "startButton"), Qt::LeftButton);
    if (!QTest::qWaitFor(
            [&] {
                return link->text() != previous &&
                       link->text().startsWith(QStringLiteral("userwallet://login-sign?")) &&
                       GuiRig::find<QLabel>(w, "waitingLabel")->isVisible();
            },
            20000))
        return {};
    return link->text();
}

QString TestGuiLogin::openOnDevice2(const QString& link)
{
    m_d2->showPage(QStringLiteral("signScreen"));
    auto* edit = GuiRig::find<QLineEdit>(m_d2.get(), "signLinkEdit");
    edit->clear();
    QTest::keyClicks(edit, link);
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d2.get(), "checkButton"), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return GuiRig::find<QGroupBox>(m_d2.get(), "signDetails")->isVisible(); }, 20000))
        return {};
    // Nothing can be signed before the number is typed.
    if (GuiRig::find<QPushButton>(m_d2.get(), "signButton")->isEnabled())
        return {};
    return GuiRig::find<QLabel>(m_d1.get(), "loginNumberLabel")->text();
}

void TestGuiLogin::signOnDevice2(const QString& link)
{
    const QString number = openOnDevice2(link);
    QCOMPARE(number.size(), 2); // two digits, large on device 1
    QCOMPARE(GuiRig::find<QLabel>(m_d2.get(), "signServiceLabel")->text(), QStringLiteral("demo"));
    QCOMPARE(GuiRig::find<QLabel>(m_d2.get(), "signMembersLabel")->text(), QStringLiteral("alice"));
    // Where the proof goes stands apart: the callback's host alone (the test parent on loopback).
    QCOMPARE(GuiRig::find<QLabel>(m_d2.get(), "signCallbackHostLabel")->text(), QUrl(m_rig.parent.url()).host());
    QTest::keyClicks(GuiRig::find<QLineEdit>(m_d2.get(), "signNumberEdit"), number);
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d2.get(), "signButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d2.get(), "signStatusLabel")->text(),
                              QStringLiteral("Signature published"), 20000);
}

void TestGuiLogin::twoDeviceLogin()
{
    const auto before = m_rig.parent.requests().size();
    const QString link = startLogin(m_d1.get());
    QVERIFY(!link.isEmpty());
    // What device 1 shows while it waits.
    QTRY_VERIFY_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d1.get(), "countdownLabel")->text().contains(QLatin1Char(':')),
                             20000);
    auto* relays = GuiRig::find<QTableView>(m_d1.get(), "relaysList")->model();
    QTRY_VERIFY_WITH_TIMEOUT(
        relays->rowCount() == 1 && relays->index(0, 1).data().toString() == QStringLiteral("connected"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QListWidget>(m_d1.get(), "signaturesList")->count(), 1, 20000);
    // The QR code says exactly the link.
    const QImage qr = GuiRig::find<ui::QrCodeWidget>(m_d1.get(), "loginQr")->render(480);
    QCOMPARE(ui::decodeQr(qr).value(), link);

    signOnDevice2(link);

    // The confirmation: the question, Back disabled, navigation locked.
    auto* pages = GuiRig::find<QStackedWidget>(m_d1.get(), "loginPages");
    QTRY_COMPARE_WITH_TIMEOUT(pages->currentIndex(), 2, 20000);
    QVERIFY(GuiRig::find<QLabel>(m_d1.get(), "confirmLabel")->text().contains(QStringLiteral("intercepted")));
    // Each remote signature is named: device label, member, when it was signed, which relay brought it.
    const QString signers = GuiRig::find<QLabel>(m_d1.get(), "remoteSignersLabel")->text();
    const MemberDocument alice = MemberDocument::load(m_rig.profile(QStringLiteral("device2")).memberFile()).value();
    QString label2;
    for (const QString& label : alice.pairLabels())
        if (signers.contains(label + QStringLiteral(" (member alice)")))
            label2 = label;
    QVERIFY2(!label2.isEmpty(), qPrintable(signers));
    QVERIFY2(signers.contains(QStringLiteral("(member alice), signed at ")), qPrintable(signers));
    QVERIFY2(signers.contains(QStringLiteral(", via 127.0.0.1:")), qPrintable(signers));
    QVERIFY(!GuiRig::find<QPushButton>(m_d1.get(), "backButton")->isEnabled());
    QVERIFY(!GuiRig::find<QListWidget>(m_d1.get(), "navigation")->isEnabled());
    QCOMPARE(GuiRig::find<QListWidget>(m_d1.get(), "signaturesList")->count(), 2);
    QCOMPARE(m_rig.parent.requests().size(), before);

    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "acceptButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d1.get(), "resultTitle")->text(),
                              QStringLiteral("You are logged in."), 20000);
    QVERIFY(GuiRig::find<QListWidget>(m_d1.get(), "navigation")->isEnabled());
    QCOMPARE(m_rig.parent.requests().size(), before + 1);
    auto proof = Proof::fromBytes(m_rig.parent.requests().last().body);
    QVERIFY(proof.ok());
    QVERIFY(ProofVerifier::verify(*proof, SystemClock::instance()).ok());
    QCOMPARE(proof->signatures.size(), 2);
}

void TestGuiLogin::refuseSendsNothing()
{
    const auto before = m_rig.parent.requests().size();
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "newLoginButton"), Qt::LeftButton);
    const QString link = startLogin(m_d1.get());
    QVERIFY(!link.isEmpty());
    signOnDevice2(link);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QStackedWidget>(m_d1.get(), "loginPages")->currentIndex(), 2, 20000);
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "refuseButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d1.get(), "resultTitle")->text(),
                              QStringLiteral("The login did not go through."), 20000);
    QVERIFY(GuiRig::find<QLabel>(m_d1.get(), "resultReason")->text().contains(QStringLiteral("refused")));
    QCOMPARE(m_rig.parent.requests().size(), before);
}

void TestGuiLogin::timeoutScreen()
{
    auto w = m_rig.openWindow(QStringLiteral("device1"), /*timeoutSeconds=*/2);
    const auto before = m_rig.parent.requests().size();
    QVERIFY(!startLogin(w.get()).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QLabel>(w.get(), "resultTitle")->text(),
                              QStringLiteral("The login did not go through."), 20000);
    QVERIFY2(GuiRig::find<QLabel>(w.get(), "resultReason")->text().contains(QStringLiteral("Timed out after 2 s")),
             qPrintable(GuiRig::find<QLabel>(w.get(), "resultReason")->text()));
    QCOMPARE(m_rig.parent.requests().size(), before);
}

void TestGuiLogin::pairingQrCode()
{
    m_d1->showPage(QStringLiteral("pairingScreen"));
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "offerButton"), Qt::LeftButton);
    auto* link = GuiRig::find<QLineEdit>(m_d1.get(), "pairingLinkEdit");
    QTRY_VERIFY_WITH_TIMEOUT(link->text().startsWith(QStringLiteral("userwallet://pair?code=")), 20000);
    const QImage qr = GuiRig::find<ui::QrCodeWidget>(m_d1.get(), "pairingQr")->render(360);
    QCOMPARE(ui::decodeQr(qr).value(), link->text());
    // Crisp at any scale: a small rendering decodes too.
    QCOMPARE(ui::decodeQr(GuiRig::find<ui::QrCodeWidget>(m_d1.get(), "pairingQr")->render(180)).value(), link->text());
}

void TestGuiLogin::badLinkIsRefusedOnScreen()
{
    m_d2->showPage(QStringLiteral("signScreen"));
    auto* edit = GuiRig::find<QLineEdit>(m_d2.get(), "signLinkEdit");
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("userwallet://login-sign?hash=ABC&nonce=1"));
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d2.get(), "checkButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d2.get(), "signStatusLabel")
                                 ->text()
                                 .contains(QStringLiteral("not a valid signing link")),
                             10000);
    QVERIFY(!GuiRig::find<QGroupBox>(m_d2.get(), "signDetails")->isVisible());
}

// Number matching: device 2 types a number that is not device 1's. Nothing is signed, and device 1
// stops at once (not at its timeout), naming the device where it was refused.
void TestGuiLogin::wrongNumberStopsDevice1AtOnce()
{
    const auto before = m_rig.parent.requests().size();
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "newLoginButton"), Qt::LeftButton);
    const QString link = startLogin(m_d1.get());
    QVERIFY(!link.isEmpty());
    const QString number = openOnDevice2(link);
    QCOMPARE(number.size(), 2);
    const QString wrong = QStringLiteral("%1").arg((number.toInt() + 1) % 100, 2, 10, QLatin1Char('0'));
    QTest::keyClicks(GuiRig::find<QLineEdit>(m_d2.get(), "signNumberEdit"), wrong);
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d2.get(), "signButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d2.get(), "signStatusLabel")
                                 ->text()
                                 .contains(QStringLiteral("is not the number of this login")),
                             20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        GuiRig::find<QLabel>(m_d1.get(), "resultReason")->text().startsWith(QStringLiteral("Refused on")), 20000);
    QCOMPARE(GuiRig::find<QLabel>(m_d1.get(), "resultTitle")->text(), QStringLiteral("The login did not go through."));
    const QString reason = GuiRig::find<QLabel>(m_d1.get(), "resultReason")->text();
    QVERIFY2(reason.contains(QStringLiteral("Refused on")) && reason.contains(QStringLiteral("number")),
             qPrintable(reason));
    QCOMPARE(GuiRig::find<QListWidget>(m_d1.get(), "signaturesList")->count(), 1); // only device 1's own
    QCOMPARE(m_rig.parent.requests().size(), before);
}

void TestGuiLogin::refusalOnDevice2StopsDevice1AtOnce()
{
    const auto before = m_rig.parent.requests().size();
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "newLoginButton"), Qt::LeftButton);
    const QString link = startLogin(m_d1.get());
    QVERIFY(!link.isEmpty());
    QVERIFY(!openOnDevice2(link).isEmpty());
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d2.get(), "signRefuseButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d2.get(), "signStatusLabel")->text(),
                              QStringLiteral("Refused: nothing was signed, and the other device was told."), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        GuiRig::find<QLabel>(m_d1.get(), "resultReason")->text().startsWith(QStringLiteral("Refused on")), 20000);
    QCOMPARE(GuiRig::find<QLabel>(m_d1.get(), "resultTitle")->text(), QStringLiteral("The login did not go through."));
    QCOMPARE(m_rig.parent.requests().size(), before);
}

QTEST_MAIN(TestGuiLogin)
#include "test_gui_login.moc"
