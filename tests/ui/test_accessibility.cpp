// Accessibility (#14), through Qt's own accessibility layer (QAccessible) as a screen reader sees
// it: every interactive control of every page has a name, Tab walks each page in reading order,
// and a QR code tells its link in words. Real windows (offscreen platform) over a real relay:
// the welcome screen of a fresh profile (create, join), the unlock form, the checklist after a
// first run, each page of an unlocked main window (each step of the login, each tab of a tab
// widget), the controls around the pages (shown or not yet) and the review window.
#include "screens/LoginScreen.h"
#include "screens/ReviewWindow.h"
#include "screens/WelcomeScreen.h"
#include "support/GuiRig.h"
#include "widgets/QrCodeWidget.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QComboBox>
#include <QGraphicsView>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTextEdit>
#include <QToolButton>

using namespace uw;
using namespace uw::test;

namespace {

/// A control a person operates (as opposed to text to read or a container).
bool isInteractive(const QWidget* w)
{
    if (qobject_cast<const QScrollBar*>(w))
        return false; // part of the scroll area it moves
    if (auto* box = qobject_cast<const QGroupBox*>(w))
        return box->isCheckable();
    return qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QLineEdit*>(w) ||
           qobject_cast<const QComboBox*>(w) || qobject_cast<const QAbstractSpinBox*>(w) ||
           qobject_cast<const QAbstractItemView*>(w) || qobject_cast<const QAbstractSlider*>(w) ||
           qobject_cast<const QTextEdit*>(w) || qobject_cast<const QPlainTextEdit*>(w) ||
           qobject_cast<const QTabBar*>(w) || qobject_cast<const QGraphicsView*>(w); // a chart takes focus
}

/// The control that `w` is part of, below `root`: a spin box for its line edit, a table for its
/// header or corner button; `w` itself when it belongs to no other control.
QWidget* owner(QWidget* w, const QWidget* root)
{
    QWidget* found = isInteractive(w) ? w : nullptr;
    for (QWidget* p = w->parentWidget(); p && p != root; p = p->parentWidget())
        if (isInteractive(p))
            found = p;
    return found ? found : w;
}

QString describe(const QString& where, const QWidget* w)
{
    QString name = w->objectName();
    if (name.isEmpty()) // say where it is: the nearest named ancestor
        for (const QWidget* p = w->parentWidget(); p && name.isEmpty(); p = p->parentWidget())
            if (!p->objectName().isEmpty())
                name = QStringLiteral("<unnamed, in %1>").arg(p->objectName());
    return QStringLiteral("%1: %2 (%3)").arg(where, name, QString::fromLatin1(w->metaObject()->className()));
}

/// What a screen reader says for `w`: its accessible name as Qt reports it (an explicit name, a
/// QLabel buddy, a button's text without its & mnemonic).
QString spokenName(QWidget* w)
{
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(w);
    if (!iface)
        return {};
    QString name = iface->text(QAccessible::Name).trimmed();
    if (auto* combo = qobject_cast<QComboBox*>(w)) {
        // On Linux Qt names a combo box by its current item: a value, not a name. What names it
        // is its own accessible name or the label that labels it (a buddy).
        name = combo->accessibleName().trimmed();
        const auto labels = iface->relations(QAccessible::Label);
        for (const auto& [label, relation] : labels)
            if (name.isEmpty())
                name = label->text(QAccessible::Name).trimmed();
    }
    if (name.isEmpty())
        if (auto* button = qobject_cast<QAbstractButton*>(w))
            name = QString(button->text()).remove(QLatin1Char('&')).trimmed();
    if (name.isEmpty())
        if (auto* bar = qobject_cast<QTabBar*>(w)) { // a tab bar is named by its tabs
            bool all = bar->count() > 0;
            for (int i = 0; i < iface->childCount(); ++i)
                all = all && !iface->child(i)->text(QAccessible::Name).trimmed().isEmpty();
            if (all)
                name = bar->tabText(0);
        }
    return name;
}

/// Every interactive control under `root` without a spoken name: the ones shown now, and the
/// ones a later step of the page shows (hidden panels, other steps of a stacked page).
QStringList unnamed(const QString& where, QWidget* root)
{
    QStringList out;
    const auto widgets = root->findChildren<QWidget*>();
    for (QWidget* w : widgets) {
        if (w->isWindow() || owner(w, root) != w || !isInteractive(w))
            continue;
        if (spokenName(w).isEmpty())
            out << describe(where, w);
    }
    return out;
}

/// Where `w` is, in its window's coordinates.
QRect placeOf(const QWidget* w)
{
    return QRect(w->mapTo(w->window(), QPoint(0, 0)), w->size());
}

constexpr int kTolerance = 4; ///< pixels: a row's controls need not be aligned exactly

/// Whether `next` may follow `prev` in reading order: further right on the same row, or lower, or
/// at the top of a column further right (a two-column layout is read column by column).
bool readsAfter(const QRect& prev, const QRect& next)
{
    const bool sameRow =
        next.top() < prev.bottom() - kTolerance && prev.top() < next.bottom() - kTolerance; // they overlap vertically
    if (sameRow)
        return next.center().x() + kTolerance >= prev.center().x();
    if (next.top() >= prev.top())
        return true;                                 // a lower row
    return next.left() >= prev.right() - kTolerance; // higher: only as the next column
}

/// The controls Tab reaches under `root`, in the order it reaches them (QWidget::nextInFocusChain,
/// with QWidget::focusNextPrevChild's rules: tab focus, shown, enabled, no focus proxy).
QList<QWidget*> tabOrder(QWidget* root)
{
    QList<QWidget*> out;
    QWidget* w = root;
    for (int guard = 0; guard < 100000; ++guard) {
        w = w->nextInFocusChain();
        if (w == root)
            break;
        if (!root->isAncestorOf(w) || !(w->focusPolicy() & Qt::TabFocus) || !w->isVisible() || !w->isEnabled() ||
            w->focusProxy())
            continue;
        QWidget* control = owner(w, root);
        if (!out.contains(control))
            out << control;
    }
    return out;
}

QString rectText(const QRect& r)
{
    return QStringLiteral("at (%1, %2) %3×%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

/// The first pair that Tab visits against reading order, or an empty string.
QString tabOrderProblem(const QString& where, QWidget* root)
{
    const QList<QWidget*> order = tabOrder(root);
    if (qEnvironmentVariableIsSet("A11Y_DEBUG")) // each page's Tab order, with what a screen reader says
        for (QWidget* w : order)
            qDebug().noquote() << describe(where, w) << rectText(placeOf(w)) << spokenName(w);
    for (int i = 1; i < order.size(); ++i)
        if (!order[i - 1]->isAncestorOf(order[i]) && // into a scroll area: its content comes next
            !readsAfter(placeOf(order[i - 1]), placeOf(order[i])))
            return QStringLiteral("Tab goes from %1 %2 to %3 %4, against reading order")
                .arg(describe(where, order[i - 1]), rectText(placeOf(order[i - 1])), describe(where, order[i]),
                     rectText(placeOf(order[i])));
    return {};
}

void settle(QWidget* w)
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    (void)w;
}

/// The tab order of `root` as shown, and of each step of its stacked widgets and each tab of its
/// tab widgets (each shown in turn, then the one shown before restored).
QStringList tabOrderProblems(const QString& where, QWidget* root)
{
    QStringList out;
    settle(root);
    if (QString p = tabOrderProblem(where, root); !p.isEmpty())
        out << p;
    const auto stacks = root->findChildren<QStackedWidget*>();
    for (QStackedWidget* stack : stacks) {
        if (!stack->isVisible() || qobject_cast<QTabWidget*>(stack->parentWidget()))
            continue;
        const int before = stack->currentIndex();
        for (int i = 0; i < stack->count(); ++i) {
            if (i == before)
                continue;
            stack->setCurrentIndex(i);
            settle(root);
            if (QString p = tabOrderProblem(
                    QStringLiteral("%1 (step %2 of %3)").arg(where).arg(i).arg(stack->objectName()), root);
                !p.isEmpty())
                out << p;
        }
        stack->setCurrentIndex(before);
    }
    // Panels shown later (a login's details once its link is checked): each shown in turn.
    const auto all = root->findChildren<QWidget*>();
    for (QWidget* panel : all) {
        QWidget* parent = panel->parentWidget();
        if (!panel->isHidden() || panel->isWindow() || !parent || !parent->isVisible() ||
            qobject_cast<QStackedWidget*>(parent) || isInteractive(panel) || owner(panel, root) != panel)
            continue;
        const auto inside = panel->findChildren<QWidget*>();
        if (std::none_of(inside.cbegin(), inside.cend(), [](const QWidget* w) { return isInteractive(w); }))
            continue;
        panel->show();
        settle(root);
        if (QString p = tabOrderProblem(
                QStringLiteral("%1 (with %2 shown)")
                    .arg(where, panel->objectName().isEmpty() ? QStringLiteral("a hidden panel") : panel->objectName()),
                root);
            !p.isEmpty())
            out << p;
        panel->hide();
    }
    const auto tabs = root->findChildren<QTabWidget*>();
    for (QTabWidget* tab : tabs) {
        if (!tab->isVisible())
            continue;
        const int before = tab->currentIndex();
        for (int i = 0; i < tab->count(); ++i) {
            tab->setCurrentIndex(i);
            settle(root);
            if (QString p = tabOrderProblem(QStringLiteral("%1 (tab %2)").arg(where, tab->tabText(i)), root);
                !p.isEmpty())
                out << p;
        }
        tab->setCurrentIndex(before);
    }
    return out;
}

QStackedWidget* pagesOf(ui::MainWindow* w)
{
    return qobject_cast<QStackedWidget*>(w->loginScreen()->parentWidget());
}

} // namespace

class TestAccessibility : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void welcomeOfAFreshProfile();
    void unlockForm();
    void checklistAfterAFirstRun();
    void everyPageOfTheMainWindow();
    void menuBarOverflowButton();
    void reviewWindow();
    void qrCodeTellsItsLink();
    void theCheckItselfCatchesWhatItShould();

private:
    GuiRig m_rig;
    std::unique_ptr<ui::MainWindow> m_main;
};

void TestAccessibility::initTestCase()
{
    QVERIFY(m_rig.setUp());
    m_main = m_rig.openWindow(QStringLiteral("device1"));
    QVERIFY(pagesOf(m_main.get()));
    QVERIFY(QTest::qWaitForWindowExposed(m_main.get()));
}

void TestAccessibility::welcomeOfAFreshProfile()
{
    ui::MainWindow w(m_rig.profile(QStringLiteral("fresh")), m_rig.settings(300), SystemClock::instance());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* welcome = w.welcomeScreen();
    QVERIFY(GuiRig::find<QLineEdit>(welcome, "memberIdEdit"));
    QVERIFY(GuiRig::find<QLineEdit>(welcome, "joinLinkEdit"));
    const QStringList missing = unnamed(QStringLiteral("welcome (fresh profile)"), welcome);
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
    const QStringList order = tabOrderProblems(QStringLiteral("welcome (fresh profile)"), welcome);
    QVERIFY2(order.isEmpty(), qPrintable(order.join(QLatin1Char('\n'))));
}

void TestAccessibility::unlockForm()
{
    ui::MainWindow w(m_rig.profile(QStringLiteral("device2")), m_rig.settings(300), SystemClock::instance());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* welcome = w.welcomeScreen();
    QVERIFY(GuiRig::find<QLineEdit>(welcome, "unlockPassphraseEdit"));
    const QStringList missing = unnamed(QStringLiteral("welcome (unlock)"), welcome);
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
    const QStringList order = tabOrderProblems(QStringLiteral("welcome (unlock)"), welcome);
    QVERIFY2(order.isEmpty(), qPrintable(order.join(QLatin1Char('\n'))));
}

void TestAccessibility::checklistAfterAFirstRun()
{
    ui::MainWindow w(m_rig.profile(QStringLiteral("firstrun")), m_rig.settings(300), SystemClock::instance());
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTest::keyClicks(GuiRig::find<QLineEdit>(&w, "memberIdEdit"), QStringLiteral("dora"));
    QTest::keyClicks(GuiRig::find<QLineEdit>(&w, "newPassphraseEdit"), QStringLiteral("test passphrase"));
    QTest::keyClicks(GuiRig::find<QLineEdit>(&w, "repeatPassphraseEdit"), QStringLiteral("test passphrase"));
    QTest::mouseClick(GuiRig::find<QPushButton>(&w, "createButton"), Qt::LeftButton);
    QWidget* checklist = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((checklist = GuiRig::find<QWidget>(&w, "checklistScreen")) && checklist->isVisible(),
                             30000);
    settle(checklist);
    const QStringList missing = unnamed(QStringLiteral("checklist"), checklist);
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
    const QStringList order = tabOrderProblems(QStringLiteral("checklist"), checklist);
    QVERIFY2(order.isEmpty(), qPrintable(order.join(QLatin1Char('\n'))));
}

void TestAccessibility::everyPageOfTheMainWindow()
{
    QStackedWidget* pages = pagesOf(m_main.get());
    QVERIFY(pages->count() >= 8);
    QStringList missing, order;
    // The window around the pages: navigation, status bar, menus, including the controls it
    // shows only when needed (the menu bar's overflow button, a status bar entry that comes later).
    const auto around = m_main->findChildren<QWidget*>();
    for (QWidget* w : around)
        if (!pages->isAncestorOf(w) && w != pages && isInteractive(w) && owner(w, m_main.get()) == w &&
            !w->isWindow() && spokenName(w).isEmpty())
            missing << describe(QStringLiteral("main window"), w);
    for (int i = 0; i < pages->count(); ++i) {
        QWidget* page = pages->widget(i);
        QVERIFY2(!page->objectName().isEmpty(), qPrintable(QStringLiteral("page %1 has no object name").arg(i)));
        m_main->showPage(page->objectName());
        QVERIFY2(page->isVisible(), qPrintable(page->objectName()));
        settle(page);
        missing << unnamed(page->objectName(), page);
        order << tabOrderProblems(page->objectName(), page);
    }
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("%1 unnamed:\n").arg(missing.size()) + missing.join(QLatin1Char('\n'))));
    QVERIFY2(order.isEmpty(), qPrintable(order.join(QLatin1Char('\n'))));
}

// The menu bar's overflow button (the menus a narrow window has no room for): Qt makes it without
// a name, and it is hidden while the window is wide, so only a check of hidden controls sees it.
void TestAccessibility::menuBarOverflowButton()
{
    auto* more = m_main->menuBar()->findChild<QToolButton*>(QStringLiteral("qt_menubar_ext_button"));
    QVERIFY(more);
    QVERIFY(!spokenName(more).isEmpty());
    QVERIFY(!more->toolTip().isEmpty());
}

void TestAccessibility::reviewWindow()
{
    ui::ReviewWindow* review = m_main->reviewWindow();
    QVERIFY(review);
    review->show();
    QVERIFY(QTest::qWaitForWindowExposed(review));
    const QStringList missing = unnamed(QStringLiteral("reviewWindow"), review);
    const QStringList order = tabOrderProblems(QStringLiteral("reviewWindow"), review);
    review->hide();
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
    QVERIFY2(order.isEmpty(), qPrintable(order.join(QLatin1Char('\n'))));
}

void TestAccessibility::qrCodeTellsItsLink()
{
    // The pairing page's code, once it holds a real link over the relay.
    m_main->showPage(QStringLiteral("pairingScreen"));
    QTest::mouseClick(GuiRig::find<QPushButton>(m_main.get(), "offerButton"), Qt::LeftButton);
    auto* link = GuiRig::find<QLineEdit>(m_main.get(), "pairingLinkEdit");
    QTRY_VERIFY_WITH_TIMEOUT(link->text().startsWith(QStringLiteral("userwallet://pair?code=")), 20000);
    auto* qr = GuiRig::find<ui::QrCodeWidget>(m_main.get(), "pairingQr");
    QVERIFY(qr->isVisible());
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(qr);
    QVERIFY(iface);
    QVERIFY(!iface->text(QAccessible::Name).isEmpty());
    QVERIFY2(iface->text(QAccessible::Description).contains(link->text()) ||
                 iface->text(QAccessible::Name).contains(link->text()),
             qPrintable(iface->text(QAccessible::Description)));
    // A graphic, not an empty pane.
    QCOMPARE(iface->role(), QAccessible::Graphic);

    // Every QR code widget of the window, whatever it shows: its text alternative follows its link.
    const auto codes = m_main->findChildren<ui::QrCodeWidget*>();
    QVERIFY(codes.size() >= 2); // login and pairing
    for (ui::QrCodeWidget* code : codes) {
        const QString text = QStringLiteral("userwallet://login-sign?hash=%1").arg(code->objectName());
        code->setText(text);
        QAccessibleInterface* i = QAccessible::queryAccessibleInterface(code);
        QVERIFY2(i->text(QAccessible::Description).contains(text) || i->text(QAccessible::Name).contains(text),
                 qPrintable(code->objectName()));
        QVERIFY2(!i->text(QAccessible::Name).isEmpty(), qPrintable(code->objectName()));
    }
}

// The checks fail where they should: an unnamed field, a label without buddy, Tab going upwards.
void TestAccessibility::theCheckItselfCatchesWhatItShould()
{
    QWidget form;
    auto* named = new QLineEdit(&form);
    named->setObjectName(QStringLiteral("namedEdit"));
    auto* label = new QLabel(QStringLiteral("&Name:"), &form);
    label->setBuddy(named);
    auto* bare = new QLineEdit(&form);
    bare->setObjectName(QStringLiteral("bareEdit"));
    auto* button = new QPushButton(QStringLiteral("&Go"), &form);
    button->setObjectName(QStringLiteral("goButton"));
    label->setGeometry(0, 0, 60, 20);
    named->setGeometry(70, 0, 100, 20);
    bare->setGeometry(70, 40, 100, 20);
    button->setGeometry(70, 80, 100, 20);
    form.resize(200, 120);
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    QCOMPARE(spokenName(named), QStringLiteral("Name:"));
    QCOMPARE(spokenName(button), QStringLiteral("Go"));
    QCOMPARE(unnamed(QStringLiteral("form"), &form), QStringList{QStringLiteral("form: bareEdit (QLineEdit)")});
    QVERIFY(tabOrderProblem(QStringLiteral("form"), &form).isEmpty());
    QWidget::setTabOrder(bare, named); // upwards
    QVERIFY(tabOrderProblem(QStringLiteral("form"), &form).contains(QStringLiteral("form: bareEdit (QLineEdit)")));
}

QTEST_MAIN(TestAccessibility)
#include "test_accessibility.moc"
