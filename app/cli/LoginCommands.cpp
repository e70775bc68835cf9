#include "CommandLine.h"
#include "Commands.h"
#include "devices/CoSigner.h"
#include "devices/LoginSession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>

namespace uw::cli {

namespace {

QJsonObject relaysJson(const QMap<QString, bool>& perRelay)
{
    QJsonObject o;
    for (auto it = perRelay.cbegin(); it != perRelay.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

const char* const kConfirmText =
    "Les mots ont pu être visibles à l'écran et interceptés. Confirmer que c'est bien vous qui "
    "avez validé sur l'autre appareil ?";

} // namespace

int runLogin(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    const QCommandLineOption service(QStringLiteral("service"), QStringLiteral("Service id."), QStringLiteral("ID"));
    const QCommandLineOption callback(QStringLiteral("callback"),
                                      QStringLiteral("Where the proof is POSTed (https://, or http:// on loopback)."),
                                      QStringLiteral("URL"));
    const QCommandLineOption timeoutOption(
        QStringLiteral("timeout"), QStringLiteral("Seconds to wait for the other devices."), QStringLiteral("S"));
    const QCommandLineOption acceptRemote(QStringLiteral("accept-remote"),
                                          QStringLiteral("Accept the other devices' signatures without asking."));
    const QCommandLineOption refuseRemote(QStringLiteral("refuse-remote"),
                                          QStringLiteral("Refuse any signature from another device."));
    p.addOptions({service, callback, timeoutOption, acceptRemote, refuseRemote});
    if (auto done = parseOptionsOnly(p, QStringLiteral("login"), args,
                                     QStringLiteral("usage: userwallet-cli login --service ID --callback URL "
                                                    "[--timeout S] [--accept-remote | --refuse-remote]")))
        return *done;
    if (p.value(service).isEmpty() || p.value(callback).isEmpty())
        return CliContext::fail(
            makeError(QStringLiteral("usage"), QStringLiteral("login needs --service ID and --callback URL.")));
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

    LoginSession session(settings->relayUrls, identity->keys,
                         {identity->member.requirement(), identity->profile.walletDatabase(), timeout},
                         SystemClock::instance());

    QObject::connect(&session, &LoginSession::stateChanged, &session, [&](LoginState s) {
        if (s == LoginState::S_LOGIN_COLLECT_SIGNATURES) {
            CliContext::info(QStringLiteral("En attente des signatures des autres appareils… (%1 s)").arg(timeout));
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

    session.start(p.value(service), p.value(callback));
    return QCoreApplication::exec();
}

int runSign(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("link"), QStringLiteral("userwallet://login-sign?hash=…&nonce=…"));
    p.addOption({QStringLiteral("yes"), QStringLiteral("Sign without asking once the message is checked.")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Seconds to look for the message on the relays."),
                 QStringLiteral("S"), QStringLiteral("15")});
    if (auto done = parseCommand(p, QStringLiteral("sign"), args))
        return *done;
    if (p.positionalArguments().size() != 1)
        return usageError(QStringLiteral("usage: userwallet-cli sign LINK [--yes]"));
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
        QJsonArray members;
        for (const MemberRequirement& m : c.message.members)
            members.append(m.id);
        CliContext::printJson({{QStringLiteral("event"), QStringLiteral("message")},
                               {QStringLiteral("service"), c.message.service},
                               {QStringLiteral("callback"), c.message.callback},
                               {QStringLiteral("callback_host"), QUrl(c.message.callback).host()},
                               {QStringLiteral("created_at"), qint64(c.message.createdAt)},
                               {QStringLiteral("expires_at"), qint64(c.message.expiresAt)},
                               {QStringLiteral("members"), members},
                               {QStringLiteral("hash"), c.hash}});
        if (p.isSet(QStringLiteral("yes"))) {
            signer.sign();
            return;
        }
        const QString question = QStringLiteral("Sign the login to \"%1\" for member \"%2\"? The proof goes to %3.")
                                     .arg(c.message.service, identity->member.id, QUrl(c.message.callback).host());
        const bool asked = CliContext::askOnTerminal(question, &signer, [&signer](bool yes) {
            if (yes) {
                signer.sign();
            } else {
                CliContext::printJson(
                    {{QStringLiteral("event"), QStringLiteral("failure")},
                     {QStringLiteral("reason"), QStringLiteral("You declined; nothing was signed.")}});
                QCoreApplication::exit(1);
            }
        });
        if (!asked) {
            const QString why = QStringLiteral("No terminal to confirm; nothing was signed (use --yes).");
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
