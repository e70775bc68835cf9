#include "CommandLine.h"
#include "Commands.h"
#include "LoginOutput.h"
#include "devices/CoSigner.h"
#include "devices/LoginSession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <algorithm>

namespace uw::cli {

namespace {

const char* const kConfirmText =
    "Les mots ont pu être visibles à l'écran et interceptés. Confirmer que c'est bien vous qui "
    "avez validé sur l'autre appareil ?";

/// A login refused before anything was published: one failure line with its code, exit code 1.
int refuseLogin(const Error& error)
{
    CliContext::info(QStringLiteral("login refused: ") + error.message);
    CliContext::printJson({{QStringLiteral("event"), QStringLiteral("failure")},
                           {QStringLiteral("code"), error.code},
                           {QStringLiteral("reason"), error.message}});
    return 1;
}

/// A login request from a file, read no further than a request may be long.
Result<LoginRequest> readLoginRequestFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("io"),
                         QStringLiteral("Cannot read the login request %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.read(LoginRequest::kMaxBytes + 1);
    if (bytes.size() > LoginRequest::kMaxBytes)
        return makeError(QStringLiteral("invalid_request"),
                         QStringLiteral("Invalid login request: %1 is larger than %2 KiB.")
                             .arg(path)
                             .arg(LoginRequest::kMaxBytes / 1024));
    return LoginRequest::fromBytes(bytes);
}

} // namespace

int runLogin(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    const QCommandLineOption service(QStringLiteral("service"), QStringLiteral("Service id."), QStringLiteral("ID"));
    const QCommandLineOption callback(QStringLiteral("callback"),
                                      QStringLiteral("Where the proof is POSTed (https://, or http:// on loopback)."),
                                      QStringLiteral("URL"));
    const QCommandLineOption requestOption(
        QStringLiteral("request"),
        QStringLiteral("The service's login request: a file, or its https:// URL (http:// on loopback)."),
        QStringLiteral("FILE|URL"));
    const QCommandLineOption timeoutOption(
        QStringLiteral("timeout"), QStringLiteral("Seconds to wait for the other devices."), QStringLiteral("S"));
    const QCommandLineOption acceptRemote(QStringLiteral("accept-remote"),
                                          QStringLiteral("Accept the other devices' signatures without asking."));
    const QCommandLineOption refuseRemote(QStringLiteral("refuse-remote"),
                                          QStringLiteral("Refuse any signature from another device."));
    p.addOptions({service, callback, requestOption, timeoutOption, acceptRemote, refuseRemote});
    if (auto done = parseOptionsOnly(p, QStringLiteral("login"), args,
                                     QStringLiteral("usage: userwallet-cli login (--service ID --callback URL | "
                                                    "--request FILE|URL) [--timeout S] [--accept-remote | "
                                                    "--refuse-remote]")))
        return *done;
    std::optional<LoginRequest> fileRequest;
    QString requestUrl;
    if (p.isSet(requestOption)) {
        if (p.isSet(service) || p.isSet(callback))
            return CliContext::fail(
                makeError(QStringLiteral("usage"),
                          QStringLiteral("--request takes the service and callback from the request: no --service or "
                                         "--callback beside it.")));
        const QString source = p.value(requestOption);
        if (source.contains(QStringLiteral("://"))) {
            requestUrl = source; // fetched once the identity is open, with the fetcher's limits
        } else {
            // A bad request file refuses before the passphrase is asked: nothing to unlock for.
            auto read = readLoginRequestFile(source);
            if (!read)
                return refuseLogin(read.error());
            fileRequest = std::move(*read);
        }
    } else if (p.value(service).isEmpty() || p.value(callback).isEmpty()) {
        return CliContext::fail(makeError(QStringLiteral("usage"),
                                          QStringLiteral("login needs --service ID and --callback URL, or --request "
                                                         "FILE|URL.")));
    }
    if (p.isSet(acceptRemote) && p.isSet(refuseRemote))
        return CliContext::fail(makeError(QStringLiteral("usage"),
                                          QStringLiteral("--accept-remote and --refuse-remote exclude each other.")));

    auto identity = ctx.unlockIdentity();
    if (!identity)
        return CliContext::fail(identity.error());
    const Settings* settings = &identity->settings;
    int timeout = settings->loginTimeoutSeconds;
    if (p.isSet(timeoutOption)) {
        bool ok = false;
        timeout = p.value(timeoutOption).toInt(&ok);
        if (!ok || timeout < 1 || timeout > Settings::kMaxLoginTimeoutSeconds)
            return CliContext::fail(
                makeError(QStringLiteral("usage"),
                          QStringLiteral("--timeout takes 1 to %1 seconds.").arg(Settings::kMaxLoginTimeoutSeconds)));
    }

    LoginSession session(
        settings->relayUrls, identity->keys,
        {identity->member.requirement(), identity->profile.walletDatabase(), timeout, identity->member.pairLabels()},
        SystemClock::instance());
    int collectTimeout = timeout; // a request's ttl may shorten it

    QObject::connect(&session, &LoginSession::stateChanged, &session, [&](LoginState s) {
        if (s == LoginState::S_LOGIN_SIGN_LOCAL) {
            // The number the other devices ask the person to type (shown large in the GUI).
            CliContext::info(QStringLiteral("Number to type on the other device: %1")
                                 .arg(session.flow()->number(), 2, 10, QLatin1Char('0')));
            CliContext::printJson({{QStringLiteral("event"), QStringLiteral("number")},
                                   {QStringLiteral("number"), session.flow()->number()}});
        }
        if (s == LoginState::S_LOGIN_COLLECT_SIGNATURES) {
            CliContext::info(
                QStringLiteral("En attente des signatures des autres appareils… (%1 s)").arg(collectTimeout));
            CliContext::printJson({{QStringLiteral("event"), QStringLiteral("link")},
                                   {QStringLiteral("link"), session.flow()->signingLink()}});
        }
    });
    QObject::connect(&session, &LoginSession::publishOutcome, &session, [](const QMap<QString, bool>& perRelay) {
        CliContext::printJson(
            {{QStringLiteral("event"), QStringLiteral("published")}, {QStringLiteral("relays"), relaysJson(perRelay)}});
    });
    QObject::connect(&session, &LoginSession::signatureAdded, &session, [](const LoginSignature& s, bool remote) {
        CliContext::printJson({{QStringLiteral("event"), QStringLiteral("signature")},
                               {QStringLiteral("member"), s.member},
                               {QStringLiteral("pair"), s.pair},
                               {QStringLiteral("remote"), remote}});
    });
    QObject::connect(&session, &LoginSession::confirmationRequested, &session, [&](const QList<LoginSignature>&) {
        if (p.isSet(acceptRemote) || p.isSet(refuseRemote)) {
            session.answerConfirmation(p.isSet(acceptRemote));
            return;
        }
        const bool asked = CliContext::askOnTerminal(QString::fromUtf8(kConfirmText), &session,
                                                     [&session](bool yes) { session.answerConfirmation(yes); });
        if (!asked) {
            CliContext::info(QStringLiteral("No terminal to confirm the other device's signature: refused "
                                            "(use --accept-remote to accept without asking)."));
            session.answerConfirmation(false);
        }
    });
    QObject::connect(&session, &LoginSession::finished, &session, [](bool success, const QString& reason) {
        if (success) {
            CliContext::printJson({{QStringLiteral("event"), QStringLiteral("success")}});
        } else {
            CliContext::info(QStringLiteral("login failed: ") + reason);
            CliContext::printJson(
                {{QStringLiteral("event"), QStringLiteral("failure")}, {QStringLiteral("reason"), reason}});
        }
        QCoreApplication::exit(success ? 0 : 1);
    });

    // A request is checked for this device before anything is published; the refusal says why.
    auto accept = [&](const LoginRequest& r) {
        if (auto ok = session.checkRequest(r); !ok) {
            refuseLogin(ok.error());
            return false;
        }
        collectTimeout = session.timeoutSeconds(r);
        QJsonArray members;
        for (const MemberRequirement& m : r.members)
            members.append(m.id);
        CliContext::printJson({{QStringLiteral("event"), QStringLiteral("login-request")},
                               {QStringLiteral("service"), r.service},
                               {QStringLiteral("callback"), r.callback},
                               {QStringLiteral("members"), members},
                               {QStringLiteral("ttl"), r.ttlSeconds}});
        return true;
    };
    if (fileRequest) {
        if (!accept(*fileRequest))
            return 1;
        session.start(*fileRequest);
    } else if (!requestUrl.isEmpty()) {
        QObject::connect(&session, &LoginSession::requestReady, &session, [&](const QString&, const LoginRequest& r) {
            if (accept(r))
                session.start(r);
            else
                QCoreApplication::exit(1);
        });
        QObject::connect(&session, &LoginSession::requestRefused, &session,
                         [](const QString&, const QString& code, const QString& reason) {
                             refuseLogin(makeError(code, reason));
                             QCoreApplication::exit(1);
                         });
        session.fetchRequest(requestUrl);
    } else {
        session.start(p.value(service), p.value(callback));
    }
    return QCoreApplication::exec();
}

int runSign(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("link"), QStringLiteral("userwallet://login-sign?hash=…&nonce=…"));
    const QCommandLineOption numberOption(
        QStringLiteral("number"), QStringLiteral("The number device 1 shows (two digits), typed by the person."),
        QStringLiteral("N"));
    const QCommandLineOption declineOption(QStringLiteral("decline"),
                                           QStringLiteral("Refuse the login: device 1 is told at once."));
    p.addOption(numberOption);
    p.addOption(declineOption);
    p.addOption({QStringLiteral("yes"), QStringLiteral("Sign without asking once the message is checked (with "
                                                       "--number).")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Seconds to look for the message on the relays."),
                 QStringLiteral("S"), QStringLiteral("15")});
    if (auto done = parseCommand(p, QStringLiteral("sign"), args))
        return *done;
    if (p.positionalArguments().size() != 1)
        return usageError(QStringLiteral("usage: userwallet-cli sign LINK [--number N [--yes] | --decline]"));
    const auto answer = parseLoginAnswer(p, numberOption, declineOption);
    if (!answer)
        return usageError(answer.error().message);
    const std::optional<int> typed = answer->number;
    const QString link = p.positionalArguments().first();
    // The link is checked before anything else: a bad link asks for nothing and signs nothing.
    if (auto parsed = LoginSignLink::parse(link); !parsed) {
        CliContext::info(parsed.error().message);
        CliContext::printJson(
            {{QStringLiteral("event"), QStringLiteral("failure")}, {QStringLiteral("reason"), parsed.error().message}});
        return 1;
    }
    auto identity = ctx.unlockIdentity();
    if (!identity)
        return CliContext::fail(identity.error());
    const Settings* settings = &identity->settings;

    RelayPool pool(settings->relayUrls);
    CoSigner signer(&pool, identity->keys, CoSignPolicy{identity->member, settings->cosignMaxValiditySeconds},
                    SystemClock::instance(), nullptr,
                    std::clamp(p.value(QStringLiteral("timeout")).toInt(), 1, 600) * 1000);
    QObject::connect(&signer, &CoSigner::messageReady, &signer, [&](const Challenge& c) {
        printRequest(QStringLiteral("message"), c);
        if (p.isSet(declineOption)) {
            signer.decline();
            return;
        }
        if (typed) {
            // --number is the person's answer, given in advance; --yes is implied.
            signer.sign(*typed);
            return;
        }
        const QString question = QStringLiteral("Login to \"%1\" for member \"%2\"; the proof goes to %3.\n"
                                                "Type the number device 1 shows to sign, or press Enter to refuse:")
                                     .arg(c.message.service, identity->member.id, QUrl(c.message.callback).host());
        const bool asked = CliContext::askLineOnTerminal(question, &signer, [&signer](std::optional<QString> line) {
            const auto number = line ? parseLoginNumber(*line) : std::nullopt;
            if (number)
                signer.sign(*number);
            else
                signer.decline();
        });
        if (!asked) {
            const QString why = QStringLiteral("No terminal to ask for the number; nothing was signed (use --number N, "
                                               "the number device 1 shows, or --decline).");
            CliContext::info(why);
            CliContext::printJson(
                {{QStringLiteral("event"), QStringLiteral("failure")}, {QStringLiteral("reason"), why}});
            QCoreApplication::exit(1);
        }
    });
    QObject::connect(&signer, &CoSigner::published, &signer, [](const QMap<QString, bool>& perRelay) {
        CliContext::info(QStringLiteral("Signature publiée"));
        CliContext::printJson(
            {{QStringLiteral("event"), QStringLiteral("published")}, {QStringLiteral("relays"), relaysJson(perRelay)}});
        QCoreApplication::exit(0);
    });
    QObject::connect(&signer, &CoSigner::declined, &signer,
                     [](DeclineReason reason, const QMap<QString, bool>& perRelay) {
                         CliContext::info(QStringLiteral("Refused; nothing was signed, and device 1 was told."));
                         CliContext::printJson({{QStringLiteral("event"), QStringLiteral("declined")},
                                                {QStringLiteral("reason"), declineReasonToString(reason)},
                                                {QStringLiteral("relays"), relaysJson(perRelay)}});
                         QCoreApplication::exit(1);
                     });
    QObject::connect(&signer, &CoSigner::failed, &signer, [](const QString& reason) {
        CliContext::info(QStringLiteral("signing failed: ") + reason);
        CliContext::printJson(
            {{QStringLiteral("event"), QStringLiteral("failure")}, {QStringLiteral("reason"), reason}});
        QCoreApplication::exit(1);
    });
    pool.start();
    signer.open(link);
    const int result = QCoreApplication::exec();
    pool.stop();
    return result;
}

} // namespace uw::cli
