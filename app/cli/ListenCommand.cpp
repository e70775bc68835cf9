#include "CommandLine.h"
#include "Commands.h"
#include "LoginOutput.h"
#include "devices/CoSigner.h"
#include "devices/LoginListener.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <memory>

namespace uw::cli {

namespace {

/// The login under review and its co-signer; the others wait in the listener's queue.
struct Review
{
    std::unique_ptr<CoSigner> signer;
    QString hash;
};

} // namespace

int runListen(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    const QCommandLineOption onceOption(QStringLiteral("once"),
                                        QStringLiteral("Stop after the first login (printed, signed or refused)."));
    const QCommandLineOption numberOption(
        QStringLiteral("number"),
        QStringLiteral("Sign the login whose number device 1 shows is N (two digits); others are left alone."),
        QStringLiteral("N"));
    const QCommandLineOption declineOption(QStringLiteral("decline"),
                                           QStringLiteral("Refuse each login: device 1 is told at once."));
    p.addOption(onceOption);
    p.addOption(numberOption);
    p.addOption(declineOption);
    const QString usage = QStringLiteral("usage: userwallet-cli listen [--once] [--number N | --decline]");
    if (auto done = parseOptionsOnly(p, QStringLiteral("listen"), args, usage))
        return *done;
    const auto answer = parseLoginAnswer(p, numberOption, declineOption);
    if (!answer)
        return usageError(answer.error().message);
    const std::optional<int> typed = answer->number;
    const bool decline = answer->decline;
    const bool once = p.isSet(onceOption);

    auto identity = ctx.unlockIdentity();
    if (!identity)
        return CliContext::fail(identity.error());
    const CoSignPolicy policy{identity->member, identity->settings.cosignMaxValiditySeconds};
    RelayPool pool(identity->settings.relayUrls);
    LoginListener listener(&pool, identity->keys, policy, SystemClock::instance());
    Review review;

    // With --number, each login is looked at in turn: the one whose number matches is signed, the
    // others stay unanswered (they may be someone else's logins). With --decline each is refused.
    // Without either, each is printed and left alone.
    std::function<void(const PushedLogin&)> handle = [&](const PushedLogin& login) {
        QJsonObject line = requestJson(QStringLiteral("request"), login.challenge);
        line.insert(QStringLiteral("asked_by"), QJsonObject{{QStringLiteral("member"), login.askedByMember},
                                                            {QStringLiteral("pair"), login.askedByPair},
                                                            {QStringLiteral("label"), login.askedByLabel}});
        line.insert(QStringLiteral("relay"), login.relay);
        CliContext::printJson(line);
        const QString hash = login.challenge.hash;
        if (!typed && !decline) {
            listener.answer(hash);
            if (once)
                QCoreApplication::exit(0);
            return;
        }
        if (typed && *typed != login.challenge.number()) {
            listener.answer(hash); // not the login the person is looking at
            return;
        }
        review.hash = hash;
        review.signer = std::make_unique<CoSigner>(&pool, identity->keys, policy, SystemClock::instance());
        CoSigner* signer = review.signer.get();
        auto finish = [&, hash](int code) {
            review.signer.release()->deleteLater();
            listener.answer(hash);
            if (once)
                QCoreApplication::exit(code);
        };
        QObject::connect(signer, &CoSigner::messageReady, signer, [signer, typed, decline] {
            if (decline)
                signer->decline();
            else
                signer->sign(*typed);
        });
        QObject::connect(signer, &CoSigner::published, signer, [finish, hash](const QMap<QString, bool>& perRelay) {
            CliContext::info(QStringLiteral("Signature publiée"));
            CliContext::printJson({{QStringLiteral("event"), QStringLiteral("published")},
                                   {QStringLiteral("hash"), hash},
                                   {QStringLiteral("relays"), relaysJson(perRelay)}});
            finish(0);
        });
        QObject::connect(signer, &CoSigner::declined, signer,
                         [finish, hash](DeclineReason reason, const QMap<QString, bool>& perRelay) {
                             CliContext::info(QStringLiteral("Refused; nothing was signed, and device 1 was told."));
                             CliContext::printJson({{QStringLiteral("event"), QStringLiteral("declined")},
                                                    {QStringLiteral("hash"), hash},
                                                    {QStringLiteral("reason"), declineReasonToString(reason)},
                                                    {QStringLiteral("relays"), relaysJson(perRelay)}});
                             finish(1);
                         });
        QObject::connect(signer, &CoSigner::failed, signer, [finish, hash](const QString& reason) {
            CliContext::info(QStringLiteral("signing failed: ") + reason);
            CliContext::printJson({{QStringLiteral("event"), QStringLiteral("failure")},
                                   {QStringLiteral("hash"), hash},
                                   {QStringLiteral("reason"), reason}});
            finish(1);
        });
        signer->review(login.challenge);
    };
    QObject::connect(&listener, &LoginListener::loginArrived, &listener, [&](const PushedLogin& login, bool first) {
        if (first)
            handle(login);
    });
    QObject::connect(&listener, &LoginListener::nextReady, &listener, handle);
    CliContext::info(QStringLiteral("Listening for logins that ask member \"%1\" on %2 relay(s)…")
                         .arg(identity->member.id)
                         .arg(identity->settings.relayUrls.size()));
    pool.start();
    listener.start();
    CliContext::printJson(
        {{QStringLiteral("event"), QStringLiteral("listening")}, {QStringLiteral("member"), identity->member.id}});
    const int result = QCoreApplication::exec();
    listener.stop();
    pool.stop();
    return result;
}

} // namespace uw::cli
