// userwallet: the desktop application.
#include "MainWindow.h"
#include "SingleInstance.h"
#include "UserWalletVersion.h"
#include "config/Settings.h"
#include "identity/Profile.h"
#include "util/Clock.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QTimer>
#include <QTranslator>
#include <cstdio>

using namespace uw;

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
                 QStringLiteral("Print the time to the first window shown, then keep running.")});
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
    QObject::connect(&instance, &SingleInstance::linkReceived, &window, &ui::MainWindow::handleUrl);
    instance.listen();
    if (p.isSet(QStringLiteral("minimized")) && p.positionalArguments().isEmpty())
        window.startInTray();
    else
        window.show();
    for (const QString& link : p.positionalArguments())
        window.handleUrl(link);
    if (p.isSet(QStringLiteral("report-startup")))
        QTimer::singleShot(0, &window, [&launch] {
            std::printf("{\"first_window_ms\":%lld}\n", launch.elapsed()), std::fflush(stdout);
        });
    return QApplication::exec();
}
