// The main window's frame, through its widgets (offscreen platform, a real relay): the navigation
// with an icon per page and Ctrl+1… to reach it, the menus, the status bar that says at a glance
// whether the relays are reachable and goes to their page when clicked, and a title that names
// the member and this device.
#include "models/AnchoringModel.h"
#include "support/GuiRig.h"
#include "support/Processes.h"
#include "widgets/NavigationIcons.h"
#include "widgets/StateColours.h"

#include <QAction>
#include <QJsonArray>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QStackedWidget>
#include <QTemporaryDir>
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
    void navigationIconsAreCrispAndFollowThePalette();
    void statusBarSaysWhatIsReachable();
    void statusBarFollowsTheNodeAndTheQueue();
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

// The project's own icons: one per page, 24 px and 48 px (a 2x screen gets the 48 px drawing, not
// a blurred 24), an ink for light palettes and one for dark, and the window switches when the
// desktop's palette does.
void TestMainWindow::navigationIconsAreCrispAndFollowThePalette()
{
    QPalette light;
    light.setColor(QPalette::Window, Qt::white);
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    for (const char* name : {"login", "sign", "devices", "history", "anchoring", "dashboard", "settings", "about"}) {
        const QIcon onLight = ui::ownNavigationIcon(QLatin1String(name), light);
        const QIcon onDark = ui::ownNavigationIcon(QLatin1String(name), dark);
        QVERIFY2(!onLight.isNull() && !onDark.isNull(), name);
        QVERIFY2(onLight.availableSizes().contains(QSize(24, 24)), name);
        QVERIFY2(onLight.availableSizes().contains(QSize(48, 48)), name);
        QCOMPARE(onLight.pixmap(QSize(24, 24), 2.0).width(), 48);
        QVERIFY2(onLight.pixmap(24).toImage() != onDark.pixmap(24).toImage(), name);
    }
    QVERIFY(ui::ownNavigationIcon(QStringLiteral("no-such-icon"), light).isNull());

    // This machine's theme has none of the pages' icons: the window shows the project's own, and
    // changes their ink with the palette.
    auto* nav = GuiRig::find<QListWidget>(m_w.get(), "navigation");
    const QPalette before = m_w->palette();
    const bool own = !QIcon::hasThemeIcon(QStringLiteral("dialog-password"));
    const QImage first = nav->item(0)->icon().pixmap(24).toImage();
    if (own)
        QCOMPARE(first, ui::ownNavigationIcon(QStringLiteral("login"), before).pixmap(24).toImage());
    m_w->setPalette(ui::isDark(before) ? light : dark);
    if (own)
        QVERIFY(nav->item(0)->icon().pixmap(24).toImage() != first);
    m_w->setPalette(before);
    QCOMPARE(nav->item(0)->icon().pixmap(24).toImage(), first);
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

// With a node: the status bar says the height the anchoring core follows and whether it caught up,
// and how many anchors are not yet in a block; each goes to the Anchoring page.
void TestMainWindow::statusBarFollowsTheNodeAndTheQueue()
{
    GuiRig rig;
    rig.roundIntervalSeconds = 1;
    QVERIFY(rig.setUp());
    QVERIFY(rig.setUpNode());
    auto w = rig.openWindow(QStringLiteral("device1"));
    QTRY_COMPARE_WITH_TIMEOUT(w->anchoringModel()->status(), ui::AnchoringModel::Status::Running, 30000);
    auto* node = GuiRig::find<QToolButton>(w.get(), "nodeStatus");
    auto* queue = GuiRig::find<QToolButton>(w.get(), "queueStatus");
    auto nodeText = [&rig] {
        return QStringLiteral("Node: block %1, synced")
            .arg(QLocale().toString(rig.node->rpc(QStringLiteral("getblockcount")).toInt()));
    };
    QTRY_COMPARE_WITH_TIMEOUT(node->text(), nodeText(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(queue->isVisible(), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(queue->text(), QStringLiteral("Anchoring: nothing waiting"), 20000);

    // A file to anchor: one waiting (for its round, then in the mempool), none once mined.
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("note.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("status bar\n") > 0);
    file.close();
    const int mempool = int(rig.node->rpc(QStringLiteral("getrawmempool")).toArray().size());
    w->anchoringModel()->addFiles({file.fileName()});
    QTRY_COMPARE_WITH_TIMEOUT(queue->text(), QStringLiteral("Anchoring: 1 waiting"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(int(rig.node->rpc(QStringLiteral("getrawmempool")).toArray().size()), mempool + 1, 40000);
    QCOMPARE(queue->text(), QStringLiteral("Anchoring: 1 waiting"));
    rig.node->rpc(QStringLiteral("generatetoaddress"),
                  {1, QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")});
    QTRY_COMPARE_WITH_TIMEOUT(queue->text(), QStringLiteral("Anchoring: nothing waiting"), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(node->text(), nodeText(), 20000);
    QTest::mouseClick(queue, Qt::LeftButton);
    QVERIFY(w->findChild<QWidget*>(QStringLiteral("anchoringScreen"))->isVisible());
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
