// userwallet: the desktop application.
#include "MainWindow.h"
#include "SingleInstance.h"
#include "UserWalletVersion.h"
#include "config/Settings.h"
#include "identity/Profile.h"
#include "util/Clock.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLibraryInfo>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QTimer>
#include <QTranslator>
#include <QUrl>
#include <cstdio>

using namespace uw;

namespace {

/// One JSON line on standard output (--report-startup: what tests and benchmarks read).
void report(const QJsonObject& line)
{
    std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
    QElapsedTimer launch;
    launch.start();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("userwallet"));
    QApplication::setApplicationDisplayName(QStringLiteral("UserWallet"));
    QApplication::setApplicationVersion(QStringLiteral(USERWALLET_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("userwallet"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/userwallet.svg")));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("UserWallet: multi-device login, co-signing and anchoring."));
    p.addHelpOption();
    p.addVersionOption(); // handled by process() below: before any window or the single-instance hand-over
    p.addOption(
        {QStringLiteral("profile"), QStringLiteral("Profile (one device per profile)."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("data-dir"), QStringLiteral("Data directory (instead of a named profile)."),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("lang"), QStringLiteral("Language: fr or en (default: the settings, then the system)."),
                 QStringLiteral("LANG")});
    p.addOption({QStringLiteral("report-startup"),
                 QStringLiteral("Print the time to the first window shown, the menus' titles and each link "
                                "opened (JSON lines), then keep running.")});
    p.addOption({QStringLiteral("minimized"),
                 QStringLiteral("Start in the system tray (as the desktop's autostart entry does).")});
    p.addPositionalArgument(QStringLiteral("link"), QStringLiteral("userwallet:// links to open."));
    p.process(app);

    auto profile = Profile::resolve(p.value(QStringLiteral("profile")), p.value(QStringLiteral("data-dir")));
    if (!profile) {
        std::fprintf(stderr, "userwallet: %s\n", qPrintable(profile.error().message));
        return 2;
    }
    SingleInstance instance(profile->dataDir());
    if (!p.positionalArguments().isEmpty() && instance.handOver(p.positionalArguments()))
        return 0;

    auto settings = Settings::load(profile->settingsFile());
    // Translations: the command line, the profile's setting, then the system locale.
    const QString lang = p.isSet(QStringLiteral("lang"))             ? p.value(QStringLiteral("lang"))
                         : settings && !settings->language.isEmpty() ? settings->language
                                                                     : QLocale::system().name().left(2);
    QTranslator ours, qtbase;
    if (ours.load(
            QStringLiteral(":/i18n/userwallet_%1.qm").arg(lang == QLatin1String("fr") ? lang : QStringLiteral("en"))))
        QApplication::installTranslator(&ours);
    if (qtbase.load(QStringLiteral("qtbase_%1").arg(lang), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtbase);
    if (lang == QLatin1String("fr"))
        QLocale::setDefault(QLocale(QLocale::French, QLocale::France));

    if (!settings) {
        // A malformed setting stops start-up with an error that names it.
        QMessageBox::critical(nullptr, QObject::tr("UserWallet cannot start"), settings.error().message);
        return 2;
    }
    ui::MainWindow window(*profile, *settings, SystemClock::instance());
    // With --report-startup, each link the window was given is also said on standard output, by
    // its kind and SHA-256 (never the link itself: a pairing link holds a one-time code).
    const bool reporting = p.isSet(QStringLiteral("report-startup"));
    auto open = [&window, reporting](const QString& link) {
        window.handleUrl(link);
        if (reporting)
            report(
                {{QStringLiteral("link_opened"), QUrl(link.trimmed()).host()},
                 {QStringLiteral("sha256"),
                  QString::fromLatin1(QCryptographicHash::hash(link.toUtf8(), QCryptographicHash::Sha256).toHex())}});
    };
    QObject::connect(&instance, &SingleInstance::linkReceived, &window, open);
    instance.listen();
    if (p.isSet(QStringLiteral("minimized")) && p.positionalArguments().isEmpty())
        window.startInTray();
    else
        window.show();
    if (reporting) // the menu bar's titles tell in which language the window speaks (--lang, the settings)
        QTimer::singleShot(0, &window, [&launch, &window] {
            QJsonArray menus;
            for (const QAction* menu : window.menuBar()->actions())
                menus.append(menu->text());
            report({{QStringLiteral("first_window_ms"), launch.elapsed()}, {QStringLiteral("menus"), menus}});
        });
    for (const QString& link : p.positionalArguments())
        open(link);
    return QApplication::exec();
}
