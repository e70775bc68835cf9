#include "CommandLine.h"
#include "Commands.h"
#include "devices/MemberChain.h"
#include "devices/Pairing.h"
#include "identity/KeyStore.h"
#include "identity/Validate.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace uw::cli {

namespace {

int timeoutMs(const QCommandLineParser& p)
{
    return std::clamp(p.value(QStringLiteral("timeout")).toInt(), 5, 3600) * 1000;
}

void emitFailure(const QString& reason)
{
    CliContext::info(QStringLiteral("pairing failed: ") + reason);
    CliContext::printJson({{QStringLiteral("event"), QStringLiteral("failure")}, {QStringLiteral("reason"), reason}});
}

} // namespace

int runPairOffer(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Offers to pair a new device (device 1); JSON lines."));
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Seconds to wait for the other device."),
                 QStringLiteral("S"), QStringLiteral("300")});
    p.addOption(
        {QStringLiteral("yes"), QStringLiteral("Accept the first device that answers (no fingerprint check).")});
    if (auto done = parseOptionsOnly(p, QStringLiteral("pair-offer"), args,
                                     QStringLiteral("usage: userwallet-cli pair-offer [--timeout S] [--yes]")))
        return *done;
    auto identity = ctx.unlockIdentity();
    if (!identity)
        return CliContext::fail(identity.error());
    const Settings* settings = &identity->settings;

    RelayPool pool(settings->relayUrls);
    PairingOffer offer(&pool, identity->keys, identity->member, SystemClock::instance());
    // The new version follows the one this device published or received (member.event.json).
    if (auto local = LocalMember::load(identity->profile); local && local->document == identity->member)
        offer.setBaseEvent(local->event);
    QObject::connect(
        &offer, &PairingOffer::requestReceived, &offer, [&](const QString& fp, const QString&, const QString&) {
            CliContext::printJson(
                {{QStringLiteral("event"), QStringLiteral("request")}, {QStringLiteral("fingerprint"), fp}});
            if (p.isSet(QStringLiteral("yes"))) {
                offer.confirm(true);
                return;
            }
            const bool asked =
                CliContext::askOnTerminal(QStringLiteral("Does the other device show the fingerprint %1?").arg(fp),
                                          &offer, [&offer](bool yes) { offer.confirm(yes); });
            if (!asked) {
                CliContext::info(QStringLiteral("No terminal to compare the fingerprint: refused (use --yes)."));
                offer.confirm(false);
            }
        });
    QObject::connect(&offer, &PairingOffer::paired, &offer, [&](const QString& pair, const QString& pubkey) {
        // The document and the event that carries it: the next version names that event.
        if (auto ok = LocalMember{offer.member(), offer.documentEvent()}.save(identity->profile); !ok) {
            emitFailure(ok.error().message);
            QCoreApplication::exit(1);
            return;
        }
        CliContext::printJson({{QStringLiteral("event"), QStringLiteral("paired")},
                               {QStringLiteral("pair"), pair},
                               {QStringLiteral("pubkey"), pubkey}});
        QCoreApplication::exit(0);
    });
    QObject::connect(&offer, &PairingOffer::failed, &offer, [](const QString& reason) {
        emitFailure(reason);
        QCoreApplication::exit(1);
    });
    pool.start();
    const QString link = offer.start(timeoutMs(p));
    CliContext::printJson({{QStringLiteral("event"), QStringLiteral("link")}, {QStringLiteral("link"), link}});
    const int code = QCoreApplication::exec();
    pool.stop();
    return code;
}

int runPairJoin(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Joins a member from device 1's link (device 2); JSON lines."));
    p.addPositionalArgument(QStringLiteral("link"), QStringLiteral("userwallet://pair?code=…"));
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Seconds to wait for device 1's confirmation."),
                 QStringLiteral("S"), QStringLiteral("300")});
    p.addOption({QStringLiteral("yes"), QStringLiteral("Accepted for symmetry; device 2 has nothing to confirm.")});
    p.addOption({QStringLiteral("label"), QStringLiteral("This device's label (default: the host name)."),
                 QStringLiteral("LABEL")});
    if (auto done = parseCommand(p, QStringLiteral("pair-join"), args))
        return *done;
    if (p.positionalArguments().size() != 1)
        return usageError(QStringLiteral("usage: userwallet-cli pair-join LINK [--label LABEL]"));
    const QString label =
        p.isSet(QStringLiteral("label")) ? p.value(QStringLiteral("label")) : MemberDocument::defaultLabel();
    if (const QString problem = MemberDocument::labelProblem(label); !problem.isEmpty())
        return CliContext::fail(
            makeError(QStringLiteral("invalid_label"),
                      QStringLiteral("--label \"%1\": %2.").arg(validate::escapedForDisplay(label), problem)));
    if (auto code = pairing::parseLink(p.positionalArguments().first()); !code)
        return CliContext::fail(code.error());
    auto profile = ctx.profile();
    if (!profile)
        return CliContext::fail(profile.error());
    if (profile->isInitialized())
        return CliContext::fail(makeError(
            QStringLiteral("already_initialized"),
            QStringLiteral("Profile \"%1\" already belongs to a member; pair a fresh profile.").arg(profile->name())));
    auto settings = ctx.settings(*profile);
    if (!settings)
        return CliContext::fail(settings.error());
    auto passphrase = ctx.passphrase(/*confirm=*/true);
    if (!passphrase)
        return CliContext::fail(passphrase.error());

    RelayPool pool(settings->relayUrls);
    PairingJoin join(&pool, SystemClock::instance());
    join.setLabel(label);
    QObject::connect(&join, &PairingJoin::fingerprintReady, &join, [](const QString& fp) {
        CliContext::info(QStringLiteral("Check that device 1 shows the fingerprint %1, then confirm there.").arg(fp));
        CliContext::printJson(
            {{QStringLiteral("event"), QStringLiteral("fingerprint")}, {QStringLiteral("fingerprint"), fp}});
    });
    QObject::connect(&join, &PairingJoin::joined, &join, [&](const MemberDocument& doc) {
        // Only now does anything touch the disk: the key (encrypted) and the member document.
        auto stored = profile->ensureExists();
        auto pair = stored ? KeyStore(profile->keysDir()).storeKey(join.secret(), join.pair().pair, passphrase->bytes())
                           : Result<PairRef>(stored.error());
        const auto saved = pair ? LocalMember{doc, join.documentEvent()}.save(*profile) : Result<void>(pair.error());
        if (!saved) {
            emitFailure(saved.error().message);
            QCoreApplication::exit(1);
            return;
        }
        CliContext::printJson({{QStringLiteral("event"), QStringLiteral("paired")},
                               {QStringLiteral("member"), doc.id},
                               {QStringLiteral("pair"), pair->pair}});
        QCoreApplication::exit(0);
    });
    QObject::connect(&join, &PairingJoin::failed, &join, [](const QString& reason) {
        emitFailure(reason);
        QCoreApplication::exit(1);
    });
    pool.start();
    join.start(p.positionalArguments().first(), timeoutMs(p));
    const int code = QCoreApplication::exec();
    pool.stop();
    return code;
}

} // namespace uw::cli
