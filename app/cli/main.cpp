#include "CliContext.h"
#include "Commands.h"
#include "UserWalletVersion.h"
#include "config/RelayList.h"
#include "crypto/PassphrasePolicy.h"

#include <QCoreApplication>
#include <QThreadPool>
#include <cstdio>
#include <functional>

using namespace uw;
using namespace uw::cli;

namespace {

static_assert(PassphrasePolicy::kMinimumLength == 8, "kUsage names the minimum");

const char* const kUsage =
    R"(usage: userwallet-cli [--profile NAME | --data-dir DIR] [--passphrase-file FILE] [--allow-weak-passphrase]
                      COMMAND [ARGS]
       userwallet-cli --help | --version

Commands:
  init --member ID [--name NAME] [--cardinality N] [--label LABEL]
                                                     create this device's identity
  member show                                        print the member document
  member fetch [ID] [--root EVENT_ID] [--timeout S]  a member's latest document from the relays, its chain verified
  member rename LABEL [--timeout S]                  rename this device (publishes the next version)
  member remove PAIR|LABEL [--yes] [--timeout S]    remove another device (publishes the next version)
  pair-offer [--timeout S] [--yes]                   offer to pair a new device (device 1), JSON lines
  pair-join LINK [--label LABEL]                     join a member from device 1's link (device 2), JSON lines
  login --service ID --callback URL [--timeout S] [--accept-remote | --refuse-remote]
                                                     log in (device 1), JSON lines
  login --request FILE|URL [--timeout S] [--accept-remote | --refuse-remote]
                                                     log in as a service's login request asks, JSON lines
  sign LINK [--number N [--yes] | --decline]         co-sign a login from its link (device 2), JSON lines
  listen [--once] [--number N | --decline]           wait for the logins that ask this member (device 2), JSON lines
  verify-proof FILE|- [--mark]                       verify a login proof (docs/PROTOCOL.md, "Verifying a proof")
  address                                            the anchoring wallet's address (created on first use)
  anchor (--digest HEX | --file PATH | --digests-file FILE) [--round] [--dry-run] [--wait N] [--force]
                                                     anchor digests on Bitcoin (OP_RETURN), JSON lines
  anchors [--limit N]                                the anchors and their states
  proof DIGEST --out FILE.ots                        the OpenTimestamps proof of a confirmed digest
  verify-ots FILE.ots (--file DOC | --digest HEX)    check a proof against the node: which block
  utxo stats | import FILE | sync | fanout --outputs N --value SAT
                                                     the anchoring wallet's UTXO table
  status [--json | --csv] [--services FILE]           the node, UTXO pool, anchors, services and this process
  state-diagram                                      print the login state machine (Graphviz)
  backup export FILE | backup restore FILE           an encrypted backup of this profile, or a new profile from one

Output: JSON on stdout, messages on stderr, exit code 0 only on success.
The passphrase comes from --passphrase-file, USERWALLET_PASSPHRASE, or a prompt.
A new key's passphrase (init, pair-join, the first address) needs at least 8 characters
(Unicode characters, as in the GUI), unless --allow-weak-passphrase is given.
Relays come from --relays, RELAY_URLS, or the profile's settings.ini.
)";

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("userwallet"));
    QCoreApplication::setOrganizationName(QStringLiteral("userwallet"));

    CliContext ctx;
    QStringList args = QCoreApplication::arguments().mid(1);
    // Global options come before the command word.
    while (!args.isEmpty() && args.first().startsWith(QLatin1String("--"))) {
        const QString opt = args.takeFirst();
        auto value = [&]() -> QString { return args.isEmpty() ? QString() : args.takeFirst(); };
        if (opt == QLatin1String("--profile"))
            ctx.profileName = value();
        else if (opt == QLatin1String("--data-dir"))
            ctx.dataDir = value();
        else if (opt == QLatin1String("--passphrase-file"))
            ctx.passphraseFile = value();
        else if (opt == QLatin1String("--allow-weak-passphrase"))
            ctx.allowWeakPassphrase = true;
        else if (opt == QLatin1String("--relays")) {
            auto relays = parseRelayList(value());
            if (!relays)
                return CliContext::fail(
                    makeError(QStringLiteral("bad_setting"), QStringLiteral("--relays: ") + relays.error().message));
            ctx.relayUrls = *relays;
        } else if (opt == QLatin1String("--help")) {
            CliContext::info(QString::fromUtf8(kUsage));
            return 0;
        } else if (opt == QLatin1String("--version")) {
            std::printf("userwallet-cli %s\n", USERWALLET_VERSION);
            return 0;
        } else {
            return CliContext::fail(makeError(QStringLiteral("usage"), QStringLiteral("Unknown option %1.").arg(opt)));
        }
    }
    if (args.isEmpty()) {
        CliContext::info(QString::fromUtf8(kUsage));
        return 2;
    }
    const QString command = args.takeFirst();
    const QHash<QString, std::function<int(const CliContext&, const QStringList&)>> commands{
        {QStringLiteral("init"), runInit},
        {QStringLiteral("member"), runMember},
        {QStringLiteral("verify-proof"), runVerifyProof},
        {QStringLiteral("pair-offer"), runPairOffer},
        {QStringLiteral("pair-join"), runPairJoin},
        {QStringLiteral("login"), runLogin},
        {QStringLiteral("sign"), runSign},
        {QStringLiteral("listen"), runListen},
        {QStringLiteral("address"), runAddress},
        {QStringLiteral("anchor"), runAnchor},
        {QStringLiteral("anchors"), runAnchors},
        {QStringLiteral("proof"), runProof},
        {QStringLiteral("verify-ots"), runVerifyOts},
        {QStringLiteral("utxo"), runUtxo},
        {QStringLiteral("status"), runStatus},
        {QStringLiteral("state-diagram"), runStateDiagram},
        {QStringLiteral("backup"), runBackup},
    };
    const auto it = commands.constFind(command);
    if (it == commands.constEnd())
        return CliContext::fail(
            makeError(QStringLiteral("usage"), QStringLiteral("Unknown command \"%1\". See --help.").arg(command)));
    const int code = (*it)(ctx, args);
    QThreadPool::globalInstance()->waitForDone();
    return code;
}
