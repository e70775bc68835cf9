#include "CliContext.h"
#include "Commands.h"

#include <QCoreApplication>
#include <QThreadPool>
#include <functional>

using namespace uw;
using namespace uw::cli;

namespace {

const char* const kUsage =
    R"(usage: userwallet-cli [--profile NAME | --data-dir DIR] [--passphrase-file FILE] COMMAND [ARGS]

Commands:
  init --member ID [--name NAME] [--cardinality N]   create this device's identity
  member show                                        print the member document
  verify-proof FILE|- [--mark]                       verify a login proof (SPEC §2.7)
  state-diagram                                      print the login state machine (Graphviz)

Output: JSON on stdout, messages on stderr, exit code 0 only on success.
The passphrase comes from --passphrase-file, USERWALLET_PASSPHRASE, or a prompt.
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
        else if (opt == QLatin1String("--help")) {
            CliContext::info(QString::fromUtf8(kUsage));
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
        {QStringLiteral("state-diagram"), runStateDiagram},
    };
    const auto it = commands.constFind(command);
    if (it == commands.constEnd())
        return CliContext::fail(
            makeError(QStringLiteral("usage"), QStringLiteral("Unknown command \"%1\". See --help.").arg(command)));
    const int code = (*it)(ctx, args);
    QThreadPool::globalInstance()->waitForDone();
    return code;
}
