#include "CommandLine.h"
#include "Commands.h"
#include "devices/MemberChain.h"
#include "devices/MemberFetch.h"
#include "devices/MemberUpdater.h"
#include "devices/Pairing.h"
#include "identity/KeyStore.h"
#include "identity/MemberDocument.h"
#include "identity/Validate.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>

namespace uw::cli {

int runInit(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Creates this device's identity: a member and its first pair."));
    p.addOption({QStringLiteral("member"), QStringLiteral("Member id."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("name"), QStringLiteral("Display name."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("cardinality"), QStringLiteral("cardinalite_minimale (default 1)."),
                 QStringLiteral("N"), QStringLiteral("1")});
    p.addOption({QStringLiteral("label"), QStringLiteral("This device's label (default: the host name)."),
                 QStringLiteral("LABEL")});
    if (auto done = parseOptionsOnly(
            p, QStringLiteral("init"), args,
            QStringLiteral("usage: userwallet-cli init --member ID [--name NAME] [--cardinality N] [--label LABEL]")))
        return *done;
    const QString member = p.value(QStringLiteral("member"));
    if (member.isEmpty())
        return CliContext::fail(makeError(QStringLiteral("usage"), QStringLiteral("init needs --member ID.")));
    bool numeric = false;
    const int cardinality = p.value(QStringLiteral("cardinality")).toInt(&numeric);
    if (!numeric || cardinality < 1)
        return CliContext::fail(
            makeError(QStringLiteral("usage"), QStringLiteral("--cardinality must be an integer ≥ 1.")));

    // Validate what the user typed before anything is created.
    MemberDocument doc{member, p.value(QStringLiteral("name")), cardinality, {}};
    if (auto checked = MemberDocument::fromJson(doc.toJson()); !checked)
        return CliContext::fail(checked.error());
    const QString label =
        p.isSet(QStringLiteral("label")) ? p.value(QStringLiteral("label")) : MemberDocument::defaultLabel();
    if (const QString problem = MemberDocument::labelProblem(label); !problem.isEmpty())
        return CliContext::fail(
            makeError(QStringLiteral("invalid_label"),
                      QStringLiteral("--label \"%1\": %2.").arg(validate::escapedForDisplay(label), problem)));

    auto profile = ctx.profile();
    if (!profile)
        return CliContext::fail(profile.error());
    if (profile->isInitialized())
        return CliContext::fail(
            makeError(QStringLiteral("already_initialized"),
                      QStringLiteral("Profile \"%1\" already holds an identity (%2); nothing was changed.")
                          .arg(profile->name(), profile->memberFile())));
    // Asked (and checked) before the profile folder is made: a refused passphrase leaves nothing on disk.
    auto passphrase = ctx.passphrase(/*confirm=*/true);
    if (!passphrase)
        return CliContext::fail(passphrase.error());
    if (auto ok = profile->ensureExists(); !ok)
        return CliContext::fail(ok.error());
    KeyStore keys(profile->keysDir());
    auto pair = keys.createPair(passphrase->bytes());
    if (!pair)
        return CliContext::fail(pair.error());

    // cardinalite_minimale may exceed the pairs this device has: the others join by pairing.
    doc.pairs.append(*pair);
    doc.labels.insert(pair->pair, label);
    if (auto ok = doc.save(profile->memberFile()); !ok)
        return CliContext::fail(ok.error());
    CliContext::info(
        QStringLiteral("Created member \"%1\" with pair %2 in %3.").arg(member, pair->pair, profile->dataDir()));
    CliContext::printJson(QJsonObject{{QStringLiteral("member"), member},
                                      {QStringLiteral("pair"), pair->pair},
                                      {QStringLiteral("pubkey"), pair->pubkey}});
    return 0;
}

namespace {

constexpr int kDefaultFetchSeconds = 10;

const QString kMemberUsage = QStringLiteral("usage: userwallet-cli member show\n"
                                            "       userwallet-cli member fetch [ID] [--root EVENT_ID] [--timeout S]\n"
                                            "       userwallet-cli member rename LABEL [--timeout S]\n"
                                            "       userwallet-cli member remove PAIR|LABEL [--yes] [--timeout S]");

int fetchSeconds(const QCommandLineParser& p)
{
    bool ok = false;
    const int s = p.value(QStringLiteral("timeout")).toInt(&ok);
    return ok ? std::clamp(s, 1, 300) : kDefaultFetchSeconds;
}

/// This profile and its own member document (member.json), for the commands that read them.
struct OwnMember
{
    Profile profile;
    MemberDocument document;
};

Result<OwnMember> ownMember(const CliContext& ctx)
{
    auto profile = ctx.profile();
    if (!profile)
        return profile.error();
    auto doc = MemberDocument::load(profile->memberFile());
    if (!doc)
        return doc.error();
    return OwnMember{*profile, *doc};
}

int memberShow(const CliContext& ctx)
{
    auto own = ownMember(ctx);
    if (!own)
        return CliContext::fail(own.error());
    CliContext::printJson(own->document.toJson());
    return 0;
}

/// The latest document of a member as the relays hold it, its chain verified (memberchain::resolve).
int memberFetch(const CliContext& ctx, const QCommandLineParser& p, const QStringList& positional)
{
    auto profile = ctx.profile();
    if (!profile)
        return CliContext::fail(profile.error());
    QString memberId = positional.value(1);
    if (memberId.isEmpty()) {
        auto own = MemberDocument::load(profile->memberFile());
        if (!own)
            return usageError(kMemberUsage);
        memberId = own->id;
    }
    if (!validate::identifierProblem(memberId).isEmpty() || memberId.size() > 256)
        return CliContext::fail(
            makeError(QStringLiteral("usage"),
                      QStringLiteral("\"%1\" is not a member id.").arg(validate::escapedForDisplay(memberId))));
    const QString root = p.value(QStringLiteral("root"));
    if (p.isSet(QStringLiteral("root")) && !isLowerHex(root, 64))
        return CliContext::fail(
            makeError(QStringLiteral("usage"), QStringLiteral("--root takes an event id (64 lowercase hex digits).")));
    auto settings = ctx.settings(*profile);
    if (!settings)
        return CliContext::fail(settings.error());
    if (settings->relayUrls.isEmpty())
        return CliContext::fail(
            makeError(QStringLiteral("no_relays"), QStringLiteral("No relay to ask: give --relays or RELAY_URLS.")));

    RelayPool pool(settings->relayUrls);
    MemberFetch fetch(&pool, memberId);
    int code = 1;
    QObject::connect(
        &fetch, &MemberFetch::finished, &fetch,
        [&](const QList<NostrEvent>& events, const QStringList& answered, const QStringList& silent, int dropped) {
            code = [&] {
                for (const QString& url : silent)
                    CliContext::info(QStringLiteral("warning: %1 did not send all it holds in time.").arg(url));
                if (dropped > 0)
                    CliContext::info(QStringLiteral("warning: %1 events beyond the first %2 were dropped.")
                                         .arg(dropped)
                                         .arg(MemberFetch::kMaxEvents));
                if (answered.isEmpty() && events.isEmpty())
                    return CliContext::fail(
                        makeError(QStringLiteral("relays_unreachable"),
                                  QStringLiteral("No relay answered (%1).").arg(silent.join(QStringLiteral(", ")))));
                std::optional<NostrEvent> start;
                if (!root.isEmpty()) {
                    for (const NostrEvent& e : events)
                        if (e.id == root)
                            start = e;
                    if (!start)
                        return CliContext::fail(
                            makeError(QStringLiteral("member_chain_broken"),
                                      QStringLiteral("The relays hold no event %1 for member \"%2\".")
                                          .arg(root, validate::escapedForDisplay(memberId))));
                }
                auto chain = memberchain::resolve(memberId, events, start);
                if (!chain)
                    return CliContext::fail(chain.error());
                for (const QString& why : std::as_const(chain->rejected))
                    CliContext::info(QStringLiteral("set aside: ") + why);
                const MemberVersion& latest = chain->latest();
                CliContext::info(QStringLiteral("Member \"%1\": version %2, a chain of %3 version(s) "
                                                "verified, from %4 of %5 relay(s).")
                                     .arg(validate::escapedForDisplay(memberId))
                                     .arg(latest.document.version)
                                     .arg(chain->versions.size())
                                     .arg(answered.size())
                                     .arg(pool.urls().size()));
                CliContext::printJson({{QStringLiteral("member"), latest.document.toJson()},
                                       {QStringLiteral("event"), latest.event.id},
                                       {QStringLiteral("author"), latest.event.pubkey},
                                       {QStringLiteral("root"), chain->versions.first().event.id},
                                       {QStringLiteral("version"), latest.document.version},
                                       {QStringLiteral("versions"), int(chain->versions.size())},
                                       {QStringLiteral("rejected"), int(chain->rejected.size())},
                                       {QStringLiteral("relays"), int(pool.urls().size())},
                                       {QStringLiteral("relays_answered"), int(answered.size())}});
                return 0;
            }();
            QCoreApplication::exit(code);
        });
    pool.start();
    fetch.start(fetchSeconds(p) * 1000);
    QCoreApplication::exec();
    pool.stop();
    return code;
}

/// Publishes the next version of this device's member document with `change` applied (after the
/// latest version the relays hold), stores it, and prints `done` with the version, its event and
/// each relay's answer. The identity is unlocked here, after every question was answered.
int publishChange(const CliContext& ctx, const QCommandLineParser& p, const QString& failureCode,
                  const std::function<MemberUpdater::Change(const CliContext::Identity&)>& makeChange,
                  const QJsonObject& done)
{
    auto identity = ctx.unlockIdentity();
    if (!identity)
        return CliContext::fail(identity.error());
    auto local = LocalMember::load(identity->profile);
    if (!local)
        return CliContext::fail(local.error());
    if (identity->settings.relayUrls.isEmpty())
        return CliContext::fail(makeError(QStringLiteral("no_relays"),
                                          QStringLiteral("No relay to publish to: give --relays or RELAY_URLS.")));

    RelayPool pool(identity->settings.relayUrls);
    MemberUpdater updater(&pool, identity->keys, SystemClock::instance());
    int code = 1;
    QObject::connect(&updater, &MemberUpdater::progress, &updater, [](const QString& step) { CliContext::info(step); });
    QObject::connect(&updater, &MemberUpdater::failed, &updater, [&](const QString& reason) {
        code = CliContext::fail(makeError(failureCode, reason));
        QCoreApplication::exit(code);
    });
    QObject::connect(&updater, &MemberUpdater::updated, &updater,
                     [&](const LocalMember& result, const QMap<QString, bool>& perRelay) {
                         if (auto saved = result.save(identity->profile); !saved) {
                             code = CliContext::fail(saved.error());
                         } else {
                             QJsonObject relays;
                             for (auto it = perRelay.cbegin(); it != perRelay.cend(); ++it)
                                 relays.insert(it.key(), it.value());
                             QJsonObject out = done;
                             out.insert(QStringLiteral("member"), result.document.id);
                             out.insert(QStringLiteral("version"), result.document.version);
                             out.insert(QStringLiteral("event_id"), result.event->id);
                             out.insert(QStringLiteral("relays"), relays);
                             CliContext::printJson(out);
                             code = 0;
                         }
                         QCoreApplication::exit(code);
                     });
    pool.start();
    updater.update(*local, makeChange(*identity), fetchSeconds(p) * 1000);
    QCoreApplication::exec();
    pool.stop();
    return code;
}

/// Renames this device: a new version of the member document, signed by this device's pair.
int memberRename(const CliContext& ctx, const QCommandLineParser& p, const QStringList& positional)
{
    if (positional.size() != 2)
        return usageError(kMemberUsage);
    const QString label = positional[1];
    if (const QString problem = MemberDocument::labelProblem(label); !problem.isEmpty())
        return CliContext::fail(
            makeError(QStringLiteral("invalid_label"),
                      QStringLiteral("\"%1\": %2.").arg(validate::escapedForDisplay(label), problem)));
    return publishChange(ctx, p, QStringLiteral("rename_failed"),
                         [label](const CliContext::Identity& identity) -> MemberUpdater::Change {
                             return [keys = identity.keys, label](MemberDocument& doc) {
                                 return memberchain::labelLocalPairs(doc, *keys, label);
                             };
                         },
                         {{QStringLiteral("event"), QStringLiteral("renamed")}, {QStringLiteral("label"), label}});
}

/// Removes another device of the member: a new version without its pair, signed by this device.
/// Checked against this device's copy before anything is asked (the last device, this device,
/// the member's cardinality), confirmed on the terminal or by --yes, then checked again against
/// the latest version the relays hold.
int memberRemove(const CliContext& ctx, const QCommandLineParser& p, const QStringList& positional)
{
    if (positional.size() != 2)
        return usageError(kMemberUsage);
    auto own = ownMember(ctx);
    if (!own)
        return CliContext::fail(own.error());
    const MemberDocument* doc = &own->document;
    // This device's pairs are read from the key files' headers: no passphrase before the question.
    auto removed = memberchain::checkRemoval(*doc, KeyStore(own->profile.keysDir()).localPairs(), positional[1]);
    if (!removed)
        return CliContext::fail(removed.error());
    const QString pair = removed->pair;
    const QString label = doc->label(pair);
    const QString fingerprint = pairing::fingerprint(removed->pubkey);
    const QString name = label.isEmpty()
                             ? QStringLiteral("pair %1").arg(pair)
                             : QStringLiteral("\"%1\" (pair %2)").arg(validate::escapedForDisplay(label), pair);
    const auto run = [&] {
        return publishChange(ctx, p, QStringLiteral("remove_failed"),
                             [pair](const CliContext::Identity& identity) -> MemberUpdater::Change {
                                 return [local = memberchain::heldPairs(*identity.keys), pair](MemberDocument& d) {
                                     return memberchain::removePair(d, local, pair);
                                 };
                             },
                             {{QStringLiteral("event"), QStringLiteral("removed")},
                              {QStringLiteral("pair"), pair},
                              {QStringLiteral("label"), label},
                              {QStringLiteral("fingerprint"), fingerprint}});
    };
    if (p.isSet(QStringLiteral("yes")))
        return run();
    std::optional<bool> answer;
    QObject context;
    const bool asked = CliContext::askOnTerminal(
        QStringLiteral("Remove device %1, key fingerprint %2, from member \"%3\"? Its signatures will no longer "
                       "count for the member.")
            .arg(name, fingerprint, validate::escapedForDisplay(doc->id)),
        &context, [&answer](bool yes) {
            answer = yes;
            QCoreApplication::exit(0);
        });
    if (!asked)
        return CliContext::fail(makeError(QStringLiteral("not_confirmed"),
                                          QStringLiteral("No terminal to confirm the removal of device %1: nothing "
                                                         "was changed (use --yes).")
                                              .arg(name)));
    QCoreApplication::exec();
    if (!answer.value_or(false))
        return CliContext::fail(
            makeError(QStringLiteral("not_confirmed"), QStringLiteral("Not confirmed: nothing was changed.")));
    return run();
}

} // namespace

int runMember(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("A member document: this profile's (show), a member's latest from the relays with its chain "
                       "verified (fetch), a new label for this device (rename), or another device removed (remove)."));
    p.addPositionalArgument(QStringLiteral("subcommand"),
                            QStringLiteral("show, fetch [ID], rename LABEL or remove PAIR|LABEL."));
    p.addOption({QStringLiteral("yes"), QStringLiteral("remove: do not ask for confirmation.")});
    p.addOption({QStringLiteral("root"),
                 QStringLiteral("fetch: start the chain at this event (a version the service enrolled) instead of the "
                                "one version 1 on the relays."),
                 QStringLiteral("EVENT_ID")});
    p.addOption(
        {QStringLiteral("timeout"),
         QStringLiteral("Seconds to wait for the relays' stored events (default %1).").arg(kDefaultFetchSeconds),
         QStringLiteral("S"), QString::number(kDefaultFetchSeconds)});
    if (auto done = parseCommand(p, QStringLiteral("member"), args))
        return *done;
    const QStringList positional = p.positionalArguments();
    const QString sub = positional.value(0);
    if (sub == QLatin1String("show") && positional.size() == 1)
        return memberShow(ctx);
    if (sub == QLatin1String("fetch") && positional.size() <= 2)
        return memberFetch(ctx, p, positional);
    if (sub == QLatin1String("rename"))
        return memberRename(ctx, p, positional);
    if (sub == QLatin1String("remove"))
        return memberRemove(ctx, p, positional);
    return usageError(kMemberUsage);
}

} // namespace uw::cli
