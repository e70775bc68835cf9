#include "Commands.h"
#include "devices/CoSigner.h"
#include "devices/RelayLoginTransport.h"
#include "login/HttpProofSender.h"
#include "login/LoginFlow.h"

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

/// Parses a command's options; prints help or the error. Returns false when the command must stop with `code`.
bool parseOptions(QCommandLineParser& p, const QString& command, const QStringList& args, int& code)
{
    p.addHelpOption();
    if (!p.parse(QStringList{command} + args)) {
        code = CliContext::fail(makeError(QStringLiteral("usage"), p.errorText()));
        return false;
    }
    if (p.isSet(QStringLiteral("help"))) {
        CliContext::info(p.helpText());
        code = 0;
        return false;
    }
    return true;
}

const char* const kConfirmText =
    "Les mots ont pu être visibles à l'écran et interceptés. Confirmer que c'est bien vous qui "
    "avez validé sur l'autre appareil ?";

} // namespace

int runLogin(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("service"), QStringLiteral("Service id."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("callback"),
                 QStringLiteral("Where the proof is POSTed (https://, or http:// on loopback)."),
                 QStringLiteral("URL")});
    p.addOption(
        {QStringLiteral("timeout"), QStringLiteral("Seconds to wait for the other devices."), QStringLiteral("S")});
    p.addOption(
        {QStringLiteral("accept-remote"), QStringLiteral("Accept the other devices' signatures without asking.")});
    p.addOption({QStringLiteral("refuse-remote"), QStringLiteral("Refuse any signature from another device.")});
    int code = 0;
    if (!parseOptions(p, QStringLiteral("login"), args, code))
        return code;
    if (p.value(QStringLiteral("service")).isEmpty() || p.value(QStringLiteral("callback")).isEmpty())
        return CliContext::fail(
            makeError(QStringLiteral("usage"), QStringLiteral("login needs --service ID and --callback URL.")));
    if (p.isSet(QStringLiteral("accept-remote")) && p.isSet(QStringLiteral("refuse-remote")))
        return CliContext::fail(makeError(QStringLiteral("usage"),
                                          QStringLiteral("--accept-remote and --refuse-remote exclude each other.")));

    auto identity = ctx.unlockIdentity();
    if (!identity)
        return CliContext::fail(identity.error());
    const Settings* settings = &identity->settings;
    int timeout = settings->loginTimeoutSeconds;
    if (p.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        timeout = p.value(QStringLiteral("timeout")).toInt(&ok);
        if (!ok || timeout < 1 || timeout > 3600)
            return CliContext::fail(
                makeError(QStringLiteral("usage"), QStringLiteral("--timeout takes 1 to 3600 seconds.")));
    }

    RelayPool pool(settings->relayUrls);
    RelayLoginTransport transport(&pool, identity->keys, SystemClock::instance());
    HttpProofSender sender;
    LoginFlow flow({identity->member.id, identity->profile.walletDatabase(), timeout * 1000, 5 * 60 * 1000},
                   identity->keys, &transport, &sender, SystemClock::instance());

    QObject::connect(&flow, &LoginFlow::stateChanged, &flow, [&](LoginState s) {
        if (s == LoginState::S_LOGIN_COLLECT_SIGNATURES) {
            CliContext::info(QStringLiteral("En attente des signatures des autres appareils… (%1 s)").arg(timeout));
            CliContext::printJson(
                {{QStringLiteral("event"), QStringLiteral("link")}, {QStringLiteral("link"), flow.signingLink()}});
        }
    });
    QObject::connect(&flow, &LoginFlow::publishOutcome, &flow, [](const QMap<QString, bool>& perRelay) {
        CliContext::printJson(
            {{QStringLiteral("event"), QStringLiteral("published")}, {QStringLiteral("relays"), relaysJson(perRelay)}});
    });
    QObject::connect(&flow, &LoginFlow::signatureAdded, &flow, [](const LoginSignature& s, bool remote) {
        CliContext::printJson({{QStringLiteral("event"), QStringLiteral("signature")},
                               {QStringLiteral("member"), s.member},
                               {QStringLiteral("pair"), s.pair},
                               {QStringLiteral("remote"), remote}});
    });
    QObject::connect(&flow, &LoginFlow::confirmationRequested, &flow, [&](const QList<LoginSignature>&) {
        if (p.isSet(QStringLiteral("accept-remote")) || p.isSet(QStringLiteral("refuse-remote"))) {
            flow.answerConfirmation(p.isSet(QStringLiteral("accept-remote")));
            return;
        }
        const bool asked = CliContext::askOnTerminal(QString::fromUtf8(kConfirmText), &flow,
                                                     [&flow](bool yes) { flow.answerConfirmation(yes); });
        if (!asked) {
            CliContext::info(QStringLiteral("No terminal to confirm the other device's signature: refused "
                                            "(use --accept-remote to accept without asking)."));
            flow.answerConfirmation(false);
        }
    });
    QObject::connect(&flow, &LoginFlow::finished, &flow, [](bool success, const QString& reason) {
        if (success) {
            CliContext::printJson({{QStringLiteral("event"), QStringLiteral("success")}});
        } else {
            CliContext::info(QStringLiteral("login failed: ") + reason);
            CliContext::printJson(
                {{QStringLiteral("event"), QStringLiteral("failure")}, {QStringLiteral("reason"), reason}});
        }
        QCoreApplication::exit(success ? 0 : 1);
    });

    pool.start();
    flow.start(ChallengeRequest{p.value(QStringLiteral("service")),
                                p.value(QStringLiteral("callback")),
                                {identity->member.requirement()},
                                true,
                                std::max(300, timeout + 60)});
    const int result = QCoreApplication::exec();
    pool.stop();
    return result;
}

int runSign(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("link"), QStringLiteral("userwallet://login-sign?hash=…&nonce=…"));
    p.addOption({QStringLiteral("yes"), QStringLiteral("Sign without asking once the message is checked.")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Seconds to look for the message on the relays."),
                 QStringLiteral("S"), QStringLiteral("15")});
    int code = 0;
    if (!parseOptions(p, QStringLiteral("sign"), args, code))
        return code;
    if (p.positionalArguments().size() != 1)
        return CliContext::fail(
            makeError(QStringLiteral("usage"), QStringLiteral("usage: userwallet-cli sign LINK [--yes]")));
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
    CoSigner signer(&pool, identity->keys, identity->member.id, SystemClock::instance(), nullptr,
                    std::clamp(p.value(QStringLiteral("timeout")).toInt(), 1, 600) * 1000);
    QObject::connect(&signer, &CoSigner::messageReady, &signer, [&](const Challenge& c) {
        QJsonArray members;
        for (const MemberRequirement& m : c.message.members)
            members.append(m.id);
        CliContext::printJson({{QStringLiteral("event"), QStringLiteral("message")},
                               {QStringLiteral("service"), c.message.service},
                               {QStringLiteral("callback"), c.message.callback},
                               {QStringLiteral("created_at"), qint64(c.message.createdAt)},
                               {QStringLiteral("expires_at"), qint64(c.message.expiresAt)},
                               {QStringLiteral("members"), members},
                               {QStringLiteral("hash"), c.hash}});
        if (p.isSet(QStringLiteral("yes"))) {
            signer.sign();
            return;
        }
        const QString question =
            QStringLiteral("Sign the login to \"%1\" for member \"%2\"?").arg(c.message.service, identity->member.id);
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
