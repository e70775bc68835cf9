// userwallet-anchord: the anchoring service. The anchoring runtime of one data dir (wallet key,
// anchor database, node) on its thread, and an HTTP API on loopback for a node's back end
// (docs/ANCHORD.md).
#include "UserWalletVersion.h"
#include "anchor/AnchorRuntime.h"
#include "anchor/server/AnchorApi.h"
#include "anchor/server/AnchorProfile.h"
#include "anchor/server/RuntimeBackend.h"
#include "crypto/SecretFile.h"
#include "net/HttpServer.h"
#include "net/ListenAddress.h"
#include "util/FileLimit.h"
#include "util/UnixSignalWatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <cstdio>

using namespace uw;

namespace {

/// Exit codes: 2 = refused at start (options, token file, data dir, wallet, node settings),
/// 1 = failed while starting or running (listen, the anchoring core), 0 = stopped on a signal.
constexpr int kRefused = 2;
constexpr int kFailed = 1;

int fail(const QString& message, int code = kRefused)
{
    std::fprintf(stderr, "userwallet-anchord: %s\n", qPrintable(message));
    return code;
}

void info(const QString& message)
{
    std::fprintf(stderr, "userwallet-anchord: %s\n", qPrintable(message));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("userwallet-anchord"));
    QCoreApplication::setApplicationVersion(QStringLiteral(USERWALLET_VERSION));
    raiseOpenFileLimit();
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Anchoring service for UserWallet: digests posted over HTTP are committed to disk, batched "
                       "into Merkle rounds and anchored on Bitcoin; their OpenTimestamps proofs are served."));
    p.addHelpOption();
    p.addVersionOption();
    const net::HttpLimits defaults;
    const AnchorApi::Options apiDefaults;
    p.addOption({QStringLiteral("data-dir"),
                 QStringLiteral("The data dir: anchoring wallet key, anchor database, settings.ini (as userwallet-cli "
                                "--data-dir)."),
                 QStringLiteral("DIR")});
    p.addOption({QStringLiteral("listen"), QStringLiteral("Address and port (port 0 picks a free one)."),
                 QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:7448")});
    p.addOption({QStringLiteral("token-file"),
                 QStringLiteral("File holding the API token (mode 0600 or 0400, not a symbolic link)."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("passphrase-file"),
                 QStringLiteral("File holding the wallet key's passphrase (same rules as the token file); else "
                                "USERWALLET_PASSPHRASE."),
                 QStringLiteral("FILE")});
    p.addOption({QStringLiteral("batch-interval"),
                 QStringLiteral("A round closes at most this many seconds after its first digest (0: at once); "
                                "default: the setting anchoring/round_interval_seconds (10)."),
                 QStringLiteral("S"), QStringLiteral("10")});
    p.addOption({QStringLiteral("poll-ms"), QStringLiteral("How often the chain is checked (ZMQ tells at once)."),
                 QStringLiteral("MS"), QStringLiteral("2000")});
    p.addOption({QStringLiteral("requests-per-second"),
                 QStringLiteral("Sustained request budget of the token (every route but /v1/health)."),
                 QStringLiteral("N"), QString::number(apiDefaults.requestsPerSecond)});
    p.addOption({QStringLiteral("burst"), QStringLiteral("Requests the token may make at once."), QStringLiteral("N"),
                 QString::number(apiDefaults.burst)});
    p.addOption({QStringLiteral("max-connections"), QStringLiteral("Connections in all."), QStringLiteral("N"),
                 QString::number(defaults.maxConnections)});
    p.addOption({QStringLiteral("max-connections-per-ip"),
                 QStringLiteral("Connections per IP address (IPv6: per /64)."), QStringLiteral("N"),
                 QString::number(defaults.maxConnectionsPerIp)});
    p.addOption({QStringLiteral("header-timeout-ms"),
                 QStringLiteral("Time a request's header may take from its first byte."), QStringLiteral("MS"),
                 QString::number(defaults.headerTimeoutMs)});
    p.addOption({QStringLiteral("body-timeout-ms"), QStringLiteral("Time a request's body may take."),
                 QStringLiteral("MS"), QString::number(defaults.bodyTimeoutMs)});
    p.addOption({QStringLiteral("idle-timeout-s"),
                 QStringLiteral("A kept-alive connection with nothing in flight is closed after this long."),
                 QStringLiteral("S"), QString::number(defaults.idleTimeoutMs / 1000)});
    p.addOption({QStringLiteral("max-output-bytes"),
                 QStringLiteral("Answers waiting for a client beyond which it is closed (it does not read)."),
                 QStringLiteral("N"), QString::number(defaults.maxOutputBytes)});
    p.addOption({QStringLiteral("drain-timeout-s"),
                 QStringLiteral("On SIGTERM/SIGINT, how long requests in flight may take before the exit."),
                 QStringLiteral("S"), QStringLiteral("30")});
    p.process(app);
    if (!p.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().first()));

    // --- options ---------------------------------------------------------------------------------
    const QString dataDir = p.value(QStringLiteral("data-dir"));
    if (dataDir.isEmpty())
        return fail(QStringLiteral("--data-dir DIR is required (the folder userwallet-cli --data-dir DIR address "
                                   "made)"));
    if (!p.isSet(QStringLiteral("token-file")))
        return fail(QStringLiteral("--token-file FILE is required (the API token, mode 0600)"));
    const auto listen = net::parseListenAddress(p.value(QStringLiteral("listen")));
    if (!listen)
        return fail(listen.error().message);
    bool ok = false;
    auto integer = [&](const char* name, qint64 min, qint64 max, qint64* out) -> bool {
        *out = p.value(QString::fromLatin1(name)).toLongLong(&ok);
        return ok && *out >= min && *out <= max;
    };
    qint64 batchSeconds = 0, pollMs = 0, maxConnections = 0, perIp = 0, headerMs = 0, bodyMs = 0, idleS = 0,
           outputBytes = 0, drainS = 0;
    const struct
    {
        const char* name;
        qint64 min;
        qint64 max;
        qint64* value;
    } integers[] = {{"batch-interval", 0, 86400, &batchSeconds},
                    {"poll-ms", 50, 3'600'000, &pollMs},
                    {"max-connections", 1, 1'000'000, &maxConnections},
                    {"max-connections-per-ip", 1, 1'000'000, &perIp},
                    {"header-timeout-ms", 1, 3'600'000, &headerMs},
                    {"body-timeout-ms", 1, 3'600'000, &bodyMs},
                    {"idle-timeout-s", 1, 86400, &idleS},
                    {"max-output-bytes", 1024 * 1024, qint64(1) << 32, &outputBytes},
                    {"drain-timeout-s", 0, 3600, &drainS}};
    for (const auto& option : integers)
        if (!integer(option.name, option.min, option.max, option.value))
            return fail(QStringLiteral("--%1 must be an integer from %2 to %3")
                            .arg(QString::fromLatin1(option.name))
                            .arg(option.min)
                            .arg(option.max));
    AnchorApi::Options apiOptions;
    apiOptions.requestsPerSecond = p.value(QStringLiteral("requests-per-second")).toDouble(&ok);
    if (!ok || !(apiOptions.requestsPerSecond > 0) || apiOptions.requestsPerSecond > 1e6)
        return fail(QStringLiteral("--requests-per-second must be a positive number (fractions allowed)"));
    apiOptions.burst = p.value(QStringLiteral("burst")).toDouble(&ok);
    if (!ok || apiOptions.burst < 1 || apiOptions.burst > 1e6)
        return fail(QStringLiteral("--burst must be a number of at least 1"));
    net::HttpLimits limits;
    limits.maxBodyBytes = AnchorApi::kMaxBodyBytes;
    limits.maxConnections = int(maxConnections);
    limits.maxConnectionsPerIp = int(perIp);
    limits.headerTimeoutMs = int(headerMs);
    limits.bodyTimeoutMs = int(bodyMs);
    limits.idleTimeoutMs = int(idleS * 1000);
    limits.maxOutputBytes = outputBytes;

    // --- secrets and the data dir ----------------------------------------------------------------
    auto token = readSecretFile(p.value(QStringLiteral("token-file")));
    if (!token)
        return fail(QStringLiteral("refusing the token file: %1").arg(token.error().message));
    if (!QFileInfo(dataDir).isDir())
        return fail(
            QStringLiteral("the data dir %1 does not exist (create it with userwallet-cli --data-dir %1 address)")
                .arg(dataDir));
    auto profile = Profile::resolve(QString(), dataDir);
    if (!profile)
        return fail(profile.error().message);
    auto settings = Settings::load(profile->settingsFile());
    if (!settings)
        return fail(settings.error().message);
    const QString passphraseFile = p.value(QStringLiteral("passphrase-file"));
    auto anchoring =
        openAnchorProfile(*profile, *settings, AnchorWallet::IfMissing::Refuse, [&]() -> Result<SecretBytes> {
            if (!passphraseFile.isEmpty()) {
                auto pass = readSecretFile(passphraseFile);
                if (!pass)
                    return makeError(QStringLiteral("no_passphrase"),
                                     QStringLiteral("refusing the passphrase file: %1").arg(pass.error().message));
                return pass;
            }
            if (qEnvironmentVariableIsSet("USERWALLET_PASSPHRASE"))
                return SecretBytes(qgetenv("USERWALLET_PASSPHRASE"));
            return makeError(QStringLiteral("no_passphrase"), QStringLiteral("the wallet key needs its passphrase: "
                                                                             "--passphrase-file FILE or "
                                                                             "USERWALLET_PASSPHRASE (a daemon does not "
                                                                             "ask)"));
        });
    if (!anchoring)
        return fail(anchoring.error().message);
    if (!anchoring->backend.isConfigured())
        return fail(QStringLiteral("no Bitcoin node configured: set BITCOIN_RPC_URL (and BITCOIN_RPC_COOKIE) or "
                                   "MEMPOOL_API_URL, or bitcoin/rpc_url in %1")
                        .arg(profile->settingsFile()));

    // --- the object graph ------------------------------------------------------------------------
    AnchorRuntime::Config config{anchoring->database, anchoring->backend, anchoring->key,
                                 AnchorService::Options{anchoring->settings.feeFloorSatPerVb}, int(pollMs)};
    // The profile's settings (anchoring/round_interval_seconds, anchoring/round_max_digests, or
    // their environment variables) unless --batch-interval says otherwise (0 included).
    const qint64 roundSeconds =
        p.isSet(QStringLiteral("batch-interval")) ? batchSeconds : qint64(anchoring->settings.roundIntervalSeconds);
    config.batchIntervalMs = int(roundSeconds * 1000);
    config.batchMaxDigests = anchoring->settings.roundMaxDigests;
    AnchorRuntime runtime(config, SystemClock::instance());
    RuntimeBackend backend(runtime);
    AnchorApi api(backend, std::move(*token), apiOptions);
    net::HttpServer server(limits);
    api.attach(server);

    bool running = false;
    bool stopping = false;
    QObject::connect(&runtime, &AnchorRuntime::failed, &app, [&](const QString& why) {
        if (!running) {
            fail(QStringLiteral("the anchoring core did not start: %1").arg(why), kFailed);
            QCoreApplication::exit(kFailed);
            return;
        }
        info(QStringLiteral("anchoring: %1").arg(why)); // the runtime goes on (a digest's error, a node's refusal)
    });
    QObject::connect(&runtime, &AnchorRuntime::started, &app, [&] {
        if (stopping)
            return;
        if (auto r = server.listen(listen->address, listen->port); !r) {
            fail(r.error().message, kFailed);
            QCoreApplication::exit(kFailed);
            return;
        }
        running = true;
        info(QStringLiteral("anchoring with %1 (%2), data dir %3, rounds every %4 s")
                 .arg(anchoring->key.address(), anchoring->settings.bitcoinNetwork, profile->dataDir())
                 .arg(roundSeconds));
        // One line on stdout that scripts and tests wait for.
        const QByteArray ready =
            QJsonDocument(QJsonObject{{QStringLiteral("listening"), server.url()}}).toJson(QJsonDocument::Compact);
        std::printf("%s\n", ready.constData());
        std::fflush(stdout);
    });

    // SIGTERM/SIGINT: stop accepting, let the requests in flight finish (a POST answers once its
    // digests are on disk), then leave the loop; the runtime stops on its thread as it goes.
    UnixSignalWatcher unixSignals;
    QTimer drainDeadline;
    drainDeadline.setSingleShot(true);
    QObject::connect(&drainDeadline, &QTimer::timeout, &app, [&] {
        info(QStringLiteral("%1 connection(s) still busy after %2 s; stopping anyway")
                 .arg(server.connectionCount())
                 .arg(drainS));
        QCoreApplication::exit(0);
    });
    QObject::connect(&server, &net::HttpServer::drained, &app, [] { QCoreApplication::exit(0); });
    QObject::connect(&unixSignals, &UnixSignalWatcher::terminationRequested, &app, [&](int sig) {
        if (stopping)
            return;
        stopping = true;
        info(QStringLiteral("signal %1: draining %2 connection(s), then stopping")
                 .arg(sig)
                 .arg(server.connectionCount()));
        if (!running) {
            QCoreApplication::exit(0);
            return;
        }
        drainDeadline.start(int(drainS * 1000));
        server.drain();
    });

    runtime.start();
    const int code = QCoreApplication::exec();
    if (code == 0)
        info(QStringLiteral("stopped"));
    return code;
}
