// userwallet-relay: the project's NIP-01 relay daemon.
#include "UserWalletVersion.h"
#include "net/ListenAddress.h"
#include "relay/server/RelayServer.h"
#include "util/FileLimit.h"
#include "util/UnixSignalWatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <cstdio>

using namespace uw;

namespace {

/// "3600", "90s", "30m", "12h", "7d" -> seconds.
std::optional<std::int64_t> parseDuration(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,9})([smhd]?)$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const std::int64_t n = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    const std::int64_t mult = unit == QLatin1String("m")   ? 60
                              : unit == QLatin1String("h") ? 3600
                              : unit == QLatin1String("d") ? 86400
                                                           : 1;
    return n * mult;
}

int fail(const QString& message)
{
    std::fprintf(stderr, "userwallet-relay: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("userwallet-relay"));
    QCoreApplication::setApplicationVersion(QStringLiteral(USERWALLET_VERSION));
    raiseOpenFileLimit();
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("NIP-01 relay for UserWallet: events verified and kept in SQLite."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption({QStringLiteral("listen"), QStringLiteral("Address and port (port 0 picks a free one)."),
                 QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:7447")});
    p.addOption({QStringLiteral("db"), QStringLiteral("SQLite file for the events."), QStringLiteral("PATH"),
                 QStringLiteral("userwallet-relay.sqlite")});
    p.addOption({QStringLiteral("retention"), QStringLiteral("How long events are kept (e.g. 3600, 30m, 12h, 7d)."),
                 QStringLiteral("DURATION"), QStringLiteral("7d")});
    p.addOption({QStringLiteral("max-message-bytes"), QStringLiteral("Largest accepted text frame."),
                 QStringLiteral("N"), QStringLiteral("65536")});
    p.addOption({QStringLiteral("events-per-second"),
                 QStringLiteral("Sustained EVENT rate per IP address (all its connections), bursts of twice that."),
                 QStringLiteral("N"), QStringLiteral("50")});
    p.addOption({QStringLiteral("reqs-per-second"),
                 QStringLiteral("Sustained REQ rate per IP address (all its connections), bursts of twice that."),
                 QStringLiteral("N"), QStringLiteral("10")});
    p.addOption({QStringLiteral("max-subscriptions"), QStringLiteral("Subscriptions per connection."),
                 QStringLiteral("N"), QStringLiteral("20")});
    p.addOption({QStringLiteral("handshake-timeout-ms"),
                 QStringLiteral("Close a connection that has not finished the WebSocket handshake by then."),
                 QStringLiteral("MS"), QStringLiteral("10000")});
    p.addOption({QStringLiteral("idle-timeout-s"),
                 QStringLiteral("Close a connection that has sent no frame for this many seconds."),
                 QStringLiteral("S"), QStringLiteral("300")});
    p.addOption({QStringLiteral("max-connections"),
                 QStringLiteral("Connections in all, those still in their handshake included."), QStringLiteral("N"),
                 QStringLiteral("4096")});
    p.addOption({QStringLiteral("max-connections-per-ip"),
                 QStringLiteral("Connections per IP address (IPv6: per /64), handshakes included."),
                 QStringLiteral("N"), QStringLiteral("64")});
    p.addOption({QStringLiteral("max-pending-output-bytes"),
                 QStringLiteral("Output waiting for one client beyond which it is disconnected (it does not read)."),
                 QStringLiteral("N"), QStringLiteral("8388608")});
    p.addOption({QStringLiteral("max-ids-per-filter"),
                 QStringLiteral("Values of \"ids\", and of \"authors\", in a filter."), QStringLiteral("N"),
                 QStringLiteral("500")});
    p.addOption({QStringLiteral("max-tags-per-filter"), QStringLiteral("Tag conditions (\"#x\") in a filter."),
                 QStringLiteral("N"), QStringLiteral("5")});
    p.addOption({QStringLiteral("max-values-per-tag"), QStringLiteral("Values of one \"#x\" in a filter."),
                 QStringLiteral("N"), QStringLiteral("100")});
    p.addOption({QStringLiteral("max-values-per-req"),
                 QStringLiteral("Values of ids, authors, kinds and tags in all the filters of a REQ."),
                 QStringLiteral("N"), QStringLiteral("1000")});
    p.process(app);

    const auto listen = net::parseListenAddress(p.value(QStringLiteral("listen")));
    if (!listen)
        return fail(listen.error().message);

    RelayLimits limits;
    const auto retention = parseDuration(p.value(QStringLiteral("retention")));
    if (!retention || *retention <= 0)
        return fail(QStringLiteral("--retention must be a duration such as 3600, 30m, 12h or 7d"));
    limits.retentionSeconds = *retention;
    bool ok = false;
    limits.maxMessageBytes = p.value(QStringLiteral("max-message-bytes")).toLongLong(&ok);
    if (!ok || limits.maxMessageBytes < 1024 || limits.maxMessageBytes > limits.hardMessageBytes)
        return fail(QStringLiteral("--max-message-bytes must be between 1024 and %1").arg(limits.hardMessageBytes));
    limits.eventsPerSecond = p.value(QStringLiteral("events-per-second")).toDouble(&ok);
    if (!ok || limits.eventsPerSecond <= 0)
        return fail(QStringLiteral("--events-per-second must be a positive number"));
    limits.eventBurst = std::max(1.0, limits.eventsPerSecond * 2);
    limits.reqsPerSecond = p.value(QStringLiteral("reqs-per-second")).toDouble(&ok);
    if (!ok || limits.reqsPerSecond <= 0)
        return fail(QStringLiteral("--reqs-per-second must be a positive number"));
    limits.reqBurst = std::max(1.0, limits.reqsPerSecond * 2);
    limits.maxSubscriptionsPerConnection = p.value(QStringLiteral("max-subscriptions")).toInt(&ok);
    if (!ok || limits.maxSubscriptionsPerConnection < 1)
        return fail(QStringLiteral("--max-subscriptions must be a positive integer"));
    limits.handshakeTimeoutMs = p.value(QStringLiteral("handshake-timeout-ms")).toInt(&ok);
    if (!ok || limits.handshakeTimeoutMs < 1)
        return fail(QStringLiteral("--handshake-timeout-ms must be a positive integer"));
    limits.idleTimeoutSeconds = p.value(QStringLiteral("idle-timeout-s")).toInt(&ok);
    if (!ok || limits.idleTimeoutSeconds < 1 || limits.idleTimeoutSeconds > 86400)
        return fail(QStringLiteral("--idle-timeout-s must be an integer from 1 to 86400"));
    limits.maxConnections = p.value(QStringLiteral("max-connections")).toInt(&ok);
    if (!ok || limits.maxConnections < 1)
        return fail(QStringLiteral("--max-connections must be a positive integer"));
    limits.maxConnectionsPerIp = p.value(QStringLiteral("max-connections-per-ip")).toInt(&ok);
    if (!ok || limits.maxConnectionsPerIp < 1)
        return fail(QStringLiteral("--max-connections-per-ip must be a positive integer"));
    limits.maxPendingOutputBytes = p.value(QStringLiteral("max-pending-output-bytes")).toLongLong(&ok);
    // One stored event is sent in one frame: the cap must hold a couple of the largest.
    if (!ok || limits.maxPendingOutputBytes < 2 * limits.maxMessageBytes)
        return fail(QStringLiteral("--max-pending-output-bytes must be an integer of at least twice "
                                   "--max-message-bytes (%1)")
                        .arg(2 * limits.maxMessageBytes));

    // The filter parser takes at most 1000 values per list; 52 single letters name tags.
    const struct
    {
        const char* name;
        int* value;
        int max;
    } costBounds[] = {{"max-ids-per-filter", &limits.maxIdsPerFilter, 1000},
                      {"max-tags-per-filter", &limits.maxTagNamesPerFilter, 52},
                      {"max-values-per-tag", &limits.maxValuesPerTag, 1000},
                      {"max-values-per-req", &limits.maxValuesPerReq, 100000}};
    for (const auto& bound : costBounds) {
        const QString name = QString::fromLatin1(bound.name);
        *bound.value = p.value(name).toInt(&ok);
        if (!ok || *bound.value < 1 || *bound.value > bound.max)
            return fail(QStringLiteral("--%1 must be an integer from 1 to %2").arg(name).arg(bound.max));
    }

    auto store = RelayStore::open(p.value(QStringLiteral("db")));
    if (!store)
        return fail(store.error().message);
    RelayServer server(std::move(*store), limits, SystemClock::instance());
    server.setSoftwareVersion(QStringLiteral(USERWALLET_VERSION));
    if (auto r = server.listen(listen->address, listen->port); !r)
        return fail(r.error().message);

    UnixSignalWatcher unixSignals;
    QObject::connect(&unixSignals, &UnixSignalWatcher::terminationRequested, &app, [&](int sig) {
        std::fprintf(stderr, "userwallet-relay: signal %d, shutting down\n", sig);
        server.close();
        QCoreApplication::exit(0);
    });

    // One line on stdout that scripts and tests wait for.
    const QByteArray ready =
        QJsonDocument(QJsonObject{{QStringLiteral("listening"), server.url()}}).toJson(QJsonDocument::Compact);
    std::printf("%s\n", ready.constData());
    std::fflush(stdout);
    return QCoreApplication::exec();
}
