// Screenshots of every screen, in one language, with real data (relays, two devices, a
// parent service): scripts/screenshots.sh runs it under Xvfb for French and English.
//   screenshots OUTPUT_DIR fr|en [dark]
// "dark": the Fusion style with a dark palette, as a desktop in dark mode gives it; the scale
// comes from the environment (QT_SCALE_FACTOR=2 for 200 %).
#include "login/LoginRequest.h"
#include "models/AnchoredFileNames.h"
#include "models/AnchoringModel.h"
#include "models/FileAnchorModel.h"
#include "screens/AnchoringScreen.h"
#include "screens/ReviewWindow.h"
#include "support/GuiRig.h"
#include "support/HttpTestServer.h"
#include "widgets/QrCodeWidget.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QPalette>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <cstdio>

using namespace uw;
using namespace uw::test;

namespace {

QString g_out;
int g_n = 0;

void shoot(QWidget* w, const char* name)
{
    QTest::qWait(150); // let the window settle before the picture (a screenshot tool, not a test)
    const QString path =
        QStringLiteral("%1/%2-%3.png").arg(g_out).arg(++g_n, 2, 10, QLatin1Char('0')).arg(QLatin1String(name));
    w->grab().save(path);
    std::printf("%s\n", qPrintable(path));
}

bool waitFor(const std::function<bool()>& f)
{
    return QTest::qWaitFor(f, 20000);
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    if (argc < 3)
        return 2;
    g_out = QString::fromLocal8Bit(argv[1]);
    const QString lang = QString::fromLatin1(argv[2]);
    if (argc > 3 && QLatin1String(argv[3]) == QLatin1String("dark")) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(45, 45, 48));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Base, QColor(30, 30, 32));
        dark.setColor(QPalette::AlternateBase, QColor(50, 50, 54));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        dark.setColor(QPalette::Button, QColor(55, 55, 60));
        dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        dark.setColor(QPalette::Highlight, QColor(42, 130, 218));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
        dark.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
        dark.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
        dark.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
        dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
        QApplication::setPalette(dark);
    }
    QDir().mkpath(g_out);
    QTranslator tr, qtbase;
    if (tr.load(QStringLiteral(UW_QM_DIR "/userwallet_%1.qm").arg(lang)))
        QApplication::installTranslator(&tr);
    // Qt's own words (a JSON parser's message, standard buttons), as the application loads them.
    if (qtbase.load(QStringLiteral("qtbase_%1").arg(lang), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtbase);
    if (lang == QLatin1String("fr"))
        QLocale::setDefault(QLocale(QLocale::French, QLocale::France));
    else
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));

    GuiRig rig;
    if (!rig.setUp() || !rig.setUpNode())
        return 3;
    {
        ui::MainWindow fresh(rig.profile(QStringLiteral("fresh")), rig.settings(300), SystemClock::instance());
        fresh.show();
        shoot(&fresh, "welcome-create");
    }
    auto d1 = std::make_unique<ui::MainWindow>(rig.profile(QStringLiteral("device1")), rig.settings(300),
                                               SystemClock::instance());
    d1->show();
    shoot(d1.get(), "welcome-unlock");
    d1.reset();
    d1 = rig.openWindow(QStringLiteral("device1"));
    auto d2 = rig.openWindow(QStringLiteral("device2"));
    d1->move(0, 0);

    d1->showPage(QStringLiteral("loginScreen"));
    GuiRig::find<QLineEdit>(d1.get(), "serviceEdit")->setText(QStringLiteral("lecoffre"));
    GuiRig::find<QLineEdit>(d1.get(), "callbackEdit")->setText(rig.parent.url());
    shoot(d1.get(), "login-form");
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "startButton"), Qt::LeftButton);
    auto* link = GuiRig::find<QLineEdit>(d1.get(), "linkEdit");
    waitFor([&] {
        return link->text().startsWith(QStringLiteral("userwallet://")) &&
               GuiRig::find<QLabel>(d1.get(), "waitingLabel")->isVisible();
    });
    waitFor([&] { return GuiRig::find<QListWidget>(d1.get(), "signaturesList")->count() == 1; });
    shoot(d1.get(), "login-collecting");

    d2->showPage(QStringLiteral("signScreen"));
    GuiRig::find<QLineEdit>(d2.get(), "signLinkEdit")->setText(link->text());
    QTest::mouseClick(GuiRig::find<QPushButton>(d2.get(), "checkButton"), Qt::LeftButton);
    waitFor([&] { return GuiRig::find<QGroupBox>(d2.get(), "signDetails")->isVisible(); });
    // The person types the number device 1 shows.
    QTest::keyClicks(GuiRig::find<QLineEdit>(d2.get(), "signNumberEdit"),
                     GuiRig::find<QLabel>(d1.get(), "loginNumberLabel")->text());
    shoot(d2.get(), "sign-request");
    QTest::mouseClick(GuiRig::find<QPushButton>(d2.get(), "signButton"), Qt::LeftButton);
    waitFor([&] {
        return !GuiRig::find<QPushButton>(d2.get(), "signButton")->isEnabled() &&
               GuiRig::find<QLabel>(d2.get(), "signStatusLabel")->text().size() > 12;
    });
    shoot(d2.get(), "sign-published");

    waitFor([&] { return GuiRig::find<QStackedWidget>(d1.get(), "loginPages")->currentIndex() == 2; });
    shoot(d1.get(), "login-confirm");
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "acceptButton"), Qt::LeftButton);
    waitFor([&] { return GuiRig::find<QStackedWidget>(d1.get(), "loginPages")->currentIndex() == 3; });
    shoot(d1.get(), "login-success");

    // A refused one, for the failure screen.
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "newLoginButton"), Qt::LeftButton);
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "startButton"), Qt::LeftButton);
    waitFor([&] {
        return link->text() != GuiRig::find<QLineEdit>(d2.get(), "signLinkEdit")->text() && !link->text().isEmpty();
    });
    GuiRig::find<QLineEdit>(d2.get(), "signLinkEdit")->setText(link->text());
    QTest::mouseClick(GuiRig::find<QPushButton>(d2.get(), "checkButton"), Qt::LeftButton);
    waitFor([&] { return GuiRig::find<QPushButton>(d2.get(), "signRefuseButton")->isEnabled(); });
    QTest::keyClicks(GuiRig::find<QLineEdit>(d2.get(), "signNumberEdit"),
                     GuiRig::find<QLabel>(d1.get(), "loginNumberLabel")->text());
    QTest::mouseClick(GuiRig::find<QPushButton>(d2.get(), "signButton"), Qt::LeftButton);
    waitFor([&] { return GuiRig::find<QStackedWidget>(d1.get(), "loginPages")->currentIndex() == 2; });
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "refuseButton"), Qt::LeftButton);
    waitFor([&] { return GuiRig::find<QStackedWidget>(d1.get(), "loginPages")->currentIndex() == 3; });
    shoot(d1.get(), "login-refused");

    d1->showPage(QStringLiteral("pairingScreen"));
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "offerButton"), Qt::LeftButton);
    waitFor([&] { return !GuiRig::find<QLineEdit>(d1.get(), "pairingLinkEdit")->text().isEmpty(); });
    shoot(d1.get(), "devices-pairing");
    d1->showPage(QStringLiteral("historyScreen"));
    QTest::qWait(300);
    shoot(d1.get(), "history");
    d1->showPage(QStringLiteral("settingsScreen"));
    shoot(d1.get(), "settings");
    d1->showPage(QStringLiteral("aboutScreen"));
    shoot(d1.get(), "about");
    d1->resize(1180, 860);
    d1->showPage(QStringLiteral("dashboardScreen"));
    waitFor([&] { return GuiRig::find<QTableView>(d1.get(), "servicesTable")->model()->rowCount() > 0; });
    shoot(d1.get(), "dashboard");

    // Anchoring: files in several states (confirmed, broadcast, waiting for their round).
    d1->resize(1100, 720);
    d1->showPage(QStringLiteral("anchoringScreen"));
    waitFor([&] { return d1->anchoringModel()->status() == ui::AnchoringModel::Status::Running; });
    QTemporaryDir files;
    auto file = [&](const QString& name, const QByteArray& content) {
        QFile f(files.filePath(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(content);
        return f.fileName();
    };
    auto stateOf = [&](int row) {
        return d1->anchoringModel()->files()->index(row, ui::FileAnchorModel::State).data(Qt::UserRole).toString();
    };
    auto* screen = d1->anchoringScreen();
    screen->addFiles({file(QStringLiteral("bail-commercial-2024.pdf"), "bail"),
                      file(QStringLiteral("statuts-signés.pdf"), "statuts")});
    (void)QTest::qWaitFor(
        [&] { return d1->anchoringModel()->files()->rowCount() == 2 && stateOf(1) == QLatin1String("broadcast"); },
        40000);
    rig.node->rpc(QStringLiteral("generatetoaddress"),
                  {1, QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")});
    waitFor([&] { return stateOf(1) == QLatin1String("confirmed"); });
    screen->addFiles({file(QStringLiteral("facture-117.txt"), "facture")});
    (void)QTest::qWaitFor(
        [&] { return d1->anchoringModel()->files()->rowCount() == 3 && stateOf(2) == QLatin1String("broadcast"); },
        40000);
    screen->addFiles({file(QStringLiteral("procès-verbal AG.docx"), "pv")});
    waitFor([&] { return d1->anchoringModel()->files()->rowCount() == 4; });
    GuiRig::find<QTableView>(d1.get(), "fileAnchorsTable")->selectRow(0);
    shoot(d1.get(), "anchoring");
    d1->showPage(QStringLiteral("settingsScreen"));
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "testNodeButton"), Qt::LeftButton);
    waitFor([&] { return GuiRig::find<QPushButton>(d1.get(), "testNodeButton")->isEnabled(); });
    shoot(d1.get(), "settings-node-test");

    // Device 2 without a node: the Anchoring page says so.
    d2.reset();
    Settings noNode = rig.settings(300);
    noNode.bitcoinRpcUrl = QUrl();
    noNode.bitcoinRpcCookie.clear();
    d2 = std::make_unique<ui::MainWindow>(rig.profile(QStringLiteral("device2")), noNode, SystemClock::instance());
    d2->resize(1100, 720);
    d2->show();
    QTest::keyClicks(GuiRig::find<QLineEdit>(d2.get(), "unlockPassphraseEdit"), QStringLiteral("test passphrase"));
    QTest::mouseClick(GuiRig::find<QPushButton>(d2.get(), "unlockButton"), Qt::LeftButton);
    waitFor([&] { return GuiRig::find<QListWidget>(d2.get(), "navigation") != nullptr; });
    d2->showPage(QStringLiteral("anchoringScreen"));
    shoot(d2.get(), "anchoring-no-node");

    // Device 1 again after a restart: the files anchored earlier are listed by name again (from
    // the page's name table), their state from the anchoring core.
    d2.reset();
    d1.reset();
    d1 = rig.openWindow(QStringLiteral("device1"));
    d1->resize(1100, 720);
    d1->showPage(QStringLiteral("anchoringScreen"));
    auto restoredState = [&](int row) {
        return d1->anchoringModel()->files()->index(row, ui::FileAnchorModel::State).data(Qt::UserRole).toString();
    };
    waitFor([&] {
        auto* f = d1->anchoringModel()->files();
        if (f->rowCount() != 4)
            return false;
        for (int r = 0; r < 4; ++r)
            if (restoredState(r) == QLatin1String("saved"))
                return false;
        return true;
    });
    shoot(d1.get(), "anchoring-restored");

    // The name table cut in the middle: the page says so above the table and goes on.
    d1.reset();
    const QString names = ui::AnchoredFileNames::fileIn(rig.profile(QStringLiteral("device1")).dataDir());
    QFile::remove(ui::AnchoredFileNames::setAsidePath(names));
    {
        QFile f(names);
        if (f.open(QIODevice::ReadWrite))
            f.resize(f.size() / 2);
    }
    d1 = rig.openWindow(QStringLiteral("device1"));
    d1->resize(1100, 720);
    d1->showPage(QStringLiteral("anchoringScreen"));
    waitFor([&] {
        return d1->anchoringModel()->namesLoaded() &&
               d1->anchoringModel()->status() == ui::AnchoringModel::Status::Running;
    });
    shoot(d1.get(), "anchoring-names-unreadable");

    // Issue #13. Device 2 asked by push: device 1 logs in, device 2's review window comes up
    // (no tray under Xvfb: the window itself), the person types the number.
    d1->resize(960, 680);
    d2 = rig.openWindow(QStringLiteral("device2"));
    d1->showPage(QStringLiteral("loginScreen"));
    GuiRig::find<QLineEdit>(d1.get(), "serviceEdit")->setText(QStringLiteral("notaires"));
    GuiRig::find<QLineEdit>(d1.get(), "callbackEdit")->setText(rig.parent.url());
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "startButton"), Qt::LeftButton);
    ui::ReviewWindow* review = d2->reviewWindow();
    waitFor([&] {
        return review->isVisible() && GuiRig::find<QGroupBox>(review, "reviewDetails")->isVisible() &&
               GuiRig::find<QLabel>(review, "reviewServiceLabel")->text() == QLatin1String("notaires");
    });
    review->resize(620, 560);
    QTest::keyClicks(GuiRig::find<QLineEdit>(review, "reviewNumberEdit"),
                     GuiRig::find<QLabel>(d1.get(), "loginNumberLabel")->text());
    shoot(review, "push-review");
    QTest::mouseClick(GuiRig::find<QPushButton>(review, "reviewSignButton"), Qt::LeftButton);
    waitFor([&] { return GuiRig::find<QStackedWidget>(d1.get(), "loginPages")->currentIndex() == 2; });
    shoot(d1.get(), "push-confirm-labels");
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "acceptButton"), Qt::LeftButton);
    waitFor([&] { return GuiRig::find<QStackedWidget>(d1.get(), "loginPages")->currentIndex() == 3; });
    QTest::mouseClick(GuiRig::find<QPushButton>(d1.get(), "newLoginButton"), Qt::LeftButton);

    // A service's login request, fetched from its link: the members it asks, before Log in.
    HttpTestServer requestHost;
    requestHost.listen();
    LoginRequest request;
    request.service = QStringLiteral("notaires");
    request.callback = rig.parent.url();
    request.members = {MemberDocument::load(rig.profile(QStringLiteral("device1")).memberFile()).value().requirement()};
    requestHost.setResponse(200, QJsonDocument(request.toJson()).toJson());
    d1->handleUrl(QStringLiteral("userwallet://login?request=") +
                  QString::fromUtf8(QUrl::toPercentEncoding(requestHost.url(QStringLiteral("/login-request")))));
    waitFor([&] { return GuiRig::find<QLabel>(d1.get(), "requestLabel")->isVisible(); });
    shoot(d1.get(), "login-request");
    // One the wallet refuses, in words.
    d1->handleUrl(QStringLiteral("userwallet://login?request=http%3A%2F%2Fservice.example%2Flogin-request"));
    waitFor([&] { return GuiRig::find<QLabel>(d1.get(), "resultReason")->isVisible(); });
    shoot(d1.get(), "login-request-refused");
    d1->showPage(QStringLiteral("pairingScreen"));
    shoot(d1.get(), "devices-labels");

    // The checklist after a first run: a member that needs two devices, the relay reached.
    ui::MainWindow first(rig.profile(QStringLiteral("newcomer")), rig.settings(300), SystemClock::instance());
    first.show();
    QTest::keyClicks(GuiRig::find<QLineEdit>(&first, "memberIdEdit"), QStringLiteral("bob"));
    GuiRig::find<QSpinBox>(&first, "cardinalitySpin")->setValue(2);
    QTest::keyClicks(GuiRig::find<QLineEdit>(&first, "newPassphraseEdit"), QStringLiteral("test passphrase"));
    QTest::keyClicks(GuiRig::find<QLineEdit>(&first, "repeatPassphraseEdit"), QStringLiteral("test passphrase"));
    QTest::mouseClick(GuiRig::find<QPushButton>(&first, "createButton"), Qt::LeftButton);
    waitFor([&] {
        auto* mark = GuiRig::find<QLabel>(&first, "relaysMark");
        return mark && mark->isVisible() && mark->text() == QStringLiteral("✓");
    });
    shoot(&first, "welcome-checklist");
    return 0;
}
