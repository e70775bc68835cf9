// The main window's frame, through its widgets (offscreen platform, a real relay): the navigation
// with an icon per page and Ctrl+1… to reach it, the menus, the status bar that says at a glance
// whether the relays are reachable and goes to their page when clicked, and a title that names
// the member and this device.
#include "support/GuiRig.h"

#include <QAction>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QStackedWidget>
#include <QTest>
#include <QToolButton>

using namespace uw;
using namespace uw::test;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void navigationHasIconsAndShortcuts();
    void statusBarSaysWhatIsReachable();
    void titleNamesMemberAndDevice();
    void firstRunOffersARestore();

private:
    GuiRig m_rig;
    std::unique_ptr<ui::MainWindow> m_w;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_rig.setUp());
    m_w = m_rig.openWindow(QStringLiteral("device1"));
    m_w->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_w.get()));
}

void TestMainWindow::navigationHasIconsAndShortcuts()
{
    auto* nav = GuiRig::find<QListWidget>(m_w.get(), "navigation");
    QCOMPARE(nav->count(), 8);
    for (int i = 0; i < nav->count(); ++i) {
        QVERIFY2(!nav->item(i)->icon().isNull(), qPrintable(nav->item(i)->text()));
        QVERIFY(nav->item(i)->toolTip().contains(QStringLiteral("Ctrl+%1").arg(i + 1)));
    }
    // Ctrl+3: Devices, through the View menu's shortcut.
    auto* view = m_w->menuBar()->findChild<QMenu*>(QStringLiteral("viewMenu"));
    QVERIFY(view);
    QCOMPARE(view->actions().size(), 8);
    QCOMPARE(view->actions().at(2)->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_3));
    view->actions().at(2)->trigger();
    QCOMPARE(nav->currentRow(), 2);
    QCOMPARE(m_w->findChild<QWidget*>(QStringLiteral("pairingScreen"))->isVisible(), true);
    // Ctrl+L: the login page.
    auto* file = m_w->menuBar()->findChild<QMenu*>(QStringLiteral("fileMenu"));
    QVERIFY(file);
    QAction* login = file->actions().first();
    QCOMPARE(login->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_L));
    login->trigger();
    QCOMPARE(nav->currentRow(), 0);
    QCOMPARE(m_w->findChild<QAction*>(QStringLiteral("quitAction"))->shortcut(), QKeySequence(QKeySequence::Quit));
}

void TestMainWindow::statusBarSaysWhatIsReachable()
{
    auto* relays = GuiRig::find<QToolButton>(m_w.get(), "relayStatus");
    QTRY_COMPARE_WITH_TIMEOUT(relays->text(), QStringLiteral("Relays: 1 of 1"), 20000);
    QVERIFY(relays->toolTip().contains(m_rig.relayUrl));
    QTest::mouseClick(relays, Qt::LeftButton);
    QVERIFY(m_w->findChild<QWidget*>(QStringLiteral("settingsScreen"))->isVisible());
    // Settings offers the encrypted backup of the profile.
    QVERIFY(m_w->findChild<QWidget*>(QStringLiteral("backupBox"))->isVisible());
    auto* node = GuiRig::find<QToolButton>(m_w.get(), "nodeStatus");
    QVERIFY(!node->text().isEmpty());
    QTest::mouseClick(node, Qt::LeftButton);
    QVERIFY(m_w->findChild<QWidget*>(QStringLiteral("anchoringScreen"))->isVisible());
}

void TestMainWindow::titleNamesMemberAndDevice()
{
    const MemberDocument alice = MemberDocument::load(m_rig.profile(QStringLiteral("device1")).memberFile()).value();
    QString label;
    for (const QString& l : alice.pairLabels())
        label = l;
    QVERIFY(!label.isEmpty());
    QVERIFY2(m_w->windowTitle().startsWith(QStringLiteral("UserWallet — alice (")), qPrintable(m_w->windowTitle()));
    QVERIFY(m_w->windowTitle().contains(label));
    auto* profile = GuiRig::find<QToolButton>(m_w.get(), "profileStatus");
    QVERIFY(profile->text().startsWith(QStringLiteral("alice (")));
    QTest::mouseClick(profile, Qt::LeftButton);
    QVERIFY(m_w->findChild<QWidget*>(QStringLiteral("pairingScreen"))->isVisible());
}

void TestMainWindow::firstRunOffersARestore()
{
    // A profile with nothing in it yet: the welcome screen can restore an encrypted backup.
    ui::MainWindow fresh(m_rig.profile(QStringLiteral("fresh")), m_rig.settings(300), SystemClock::instance());
    QVERIFY(fresh.findChild<QWidget*>(QStringLiteral("restoreButton")));
    QVERIFY(fresh.findChild<QWidget*>(QStringLiteral("restoreFileEdit")));
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
