#include "CommandLine.h"
#include "Commands.h"
#include "identity/KeyStore.h"
#include "identity/MemberDocument.h"

#include <QCommandLineParser>

namespace uw::cli {

int runInit(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Creates this device's identity: a member and its first pair."));
    p.addOption({QStringLiteral("member"), QStringLiteral("Member id."), QStringLiteral("ID")});
    p.addOption({QStringLiteral("name"), QStringLiteral("Display name."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("cardinality"), QStringLiteral("cardinalite_minimale (default 1)."),
                 QStringLiteral("N"), QStringLiteral("1")});
    if (auto done =
            parseOptionsOnly(p, QStringLiteral("init"), args,
                             QStringLiteral("usage: userwallet-cli init --member ID [--name NAME] [--cardinality N]")))
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
    if (auto ok = doc.save(profile->memberFile()); !ok)
        return CliContext::fail(ok.error());
    CliContext::info(
        QStringLiteral("Created member \"%1\" with pair %2 in %3.").arg(member, pair->pair, profile->dataDir()));
    CliContext::printJson(QJsonObject{{QStringLiteral("member"), member},
                                      {QStringLiteral("pair"), pair->pair},
                                      {QStringLiteral("pubkey"), pair->pubkey}});
    return 0;
}

int runMember(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Prints this profile's member document."));
    p.addPositionalArgument(QStringLiteral("show"), QStringLiteral("The only subcommand."));
    if (auto done = parseCommand(p, QStringLiteral("member"), args))
        return *done;
    if (p.positionalArguments() != QStringList{QStringLiteral("show")})
        return usageError(QStringLiteral("usage: userwallet-cli member show"));
    auto profile = ctx.profile();
    if (!profile)
        return CliContext::fail(profile.error());
    auto doc = MemberDocument::load(profile->memberFile());
    if (!doc)
        return CliContext::fail(doc.error());
    CliContext::printJson(doc->toJson());
    return 0;
}

} // namespace uw::cli
