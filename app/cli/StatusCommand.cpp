#include "CommandLine.h"
#include "Commands.h"
#include "anchor/server/AnchorProfile.h"
#include "status/StatusCollector.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <cstdio>

namespace uw::cli {

int runStatus(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("JSON output (the default)."));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("CSV output instead."));
    const QCommandLineOption servicesFile(QStringLiteral("services"),
                                          QStringLiteral("Services to check: [{\"name\",\"url\",\"depends_on\"}]."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption timeout(QStringLiteral("timeout"), QStringLiteral("Per-check timeout in ms."),
                                     QStringLiteral("MS"), QStringLiteral("3000"));
    p.addOptions({json, csv, servicesFile, timeout});
    if (auto done = parseOptionsOnly(p, QStringLiteral("status"), args,
                                     QStringLiteral("usage: userwallet-cli status [--json | --csv] [--services FILE] "
                                                    "[--timeout MS]")))
        return *done;
    auto profile = ctx.profile();
    if (!profile)
        return CliContext::fail(profile.error());
    auto settings = ctx.settings(*profile);
    if (!settings)
        return CliContext::fail(settings.error());

    QList<ServiceSpec> services = ServiceSpec::defaultsFor(*settings);
    // The services file: --services, else services.json in the profile.
    const QString file = p.isSet(servicesFile) ? p.value(servicesFile) : profile->servicesFile();
    if (QFile::exists(file) || p.isSet(servicesFile)) {
        auto parsed = ServiceSpec::fromFile(file);
        if (!parsed)
            return CliContext::fail(parsed.error());
        services = *parsed;
    }
    StatusCollector collector({profile->anchorDatabase(), anchorBackend(*settings), services,
                               std::clamp(p.value(timeout).toInt(), 100, 60000)},
                              SystemClock::instance());
    const bool asCsv = p.isSet(csv);
    QObject::connect(&collector, &StatusCollector::snapshotReady, &collector, [asCsv](const StatusSnapshot& snapshot) {
        if (asCsv) {
            const QByteArray rows = snapshot.toCsv();
            std::fwrite(rows.constData(), 1, std::size_t(rows.size()), stdout);
        } else {
            CliContext::printJson(snapshot.toJson());
        }
        QCoreApplication::exit(0);
    });
    collector.collect();
    return QCoreApplication::exec();
}

} // namespace uw::cli
