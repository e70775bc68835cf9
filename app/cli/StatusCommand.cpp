#include "Commands.h"
#include "status/StatusCollector.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <cstdio>

namespace uw::cli {

int runStatus(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("json"), QStringLiteral("JSON output (the default).")});
    p.addOption({QStringLiteral("csv"), QStringLiteral("CSV output instead.")});
    p.addOption({QStringLiteral("services"), QStringLiteral("Services to check: [{\"name\",\"url\",\"depends_on\"}]."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Per-check timeout in ms."), QStringLiteral("MS"),
                 QStringLiteral("3000")});
    if (!p.parse(QStringList{QStringLiteral("status")} + args))
        return CliContext::fail(makeError(QStringLiteral("usage"), p.errorText()));
    auto profile = ctx.profile();
    if (!profile)
        return CliContext::fail(profile.error());
    auto settings = ctx.settings(*profile);
    if (!settings)
        return CliContext::fail(settings.error());

    QList<ServiceSpec> services = ServiceSpec::defaultsFor(*settings);
    // The services file: --services, else services.json in the profile.
    const QString file = p.isSet(QStringLiteral("services")) ? p.value(QStringLiteral("services"))
                                                             : profile->dataDir() + QStringLiteral("/services.json");
    if (QFile::exists(file) || p.isSet(QStringLiteral("services"))) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return CliContext::fail(makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(file)));
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
        if (err.error != QJsonParseError::NoError || !doc.isArray())
            return CliContext::fail(makeError(QStringLiteral("bad_services"),
                                              QStringLiteral("%1 must hold a JSON array of services.").arg(file)));
        auto parsed = ServiceSpec::fromJson(doc.array());
        if (!parsed)
            return CliContext::fail(parsed.error());
        services = *parsed;
    }
    StatusCollector collector(
        {profile->dataDir() + QStringLiteral("/anchor.sqlite"),
         BackendConfig{settings->bitcoinRpcUrl, settings->bitcoinRpcCookie, settings->mempoolApiUrl, QUrl()}, services,
         std::clamp(p.value(QStringLiteral("timeout")).toInt(), 100, 60000)},
        SystemClock::instance());
    QObject::connect(&collector, &StatusCollector::snapshotReady, &collector, [&](const QJsonObject& snapshot) {
        if (p.isSet(QStringLiteral("csv"))) {
            const QByteArray csv = StatusCollector::toCsv(snapshot);
            std::fwrite(csv.constData(), 1, std::size_t(csv.size()), stdout);
        } else {
            CliContext::printJson(snapshot);
        }
        QCoreApplication::exit(0);
    });
    collector.collect();
    return QCoreApplication::exec();
}

} // namespace uw::cli
