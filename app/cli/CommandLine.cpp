#include "CommandLine.h"

#include "CliContext.h"

namespace uw::cli {

std::optional<int> parseCommand(QCommandLineParser& parser, const QString& command, const QStringList& args)
{
    parser.addHelpOption();
    if (!parser.parse(QStringList{command} + args))
        return CliContext::fail(makeError(QStringLiteral("usage"), parser.errorText()));
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt names the executable's path in its first line; the user typed a command.
        QString text = parser.helpText();
        const qsizetype options = text.indexOf(QLatin1String(" [options]"));
        const qsizetype firstLineEnd = text.indexOf(QLatin1Char('\n'));
        if (text.startsWith(QLatin1String("Usage: ")) && options > 0 && options < firstLineEnd)
            text.replace(0, options, QStringLiteral("Usage: userwallet-cli ") + command);
        CliContext::info(text.trimmed());
        return 0;
    }
    return std::nullopt;
}

std::optional<int> parseOptionsOnly(QCommandLineParser& parser, const QString& command, const QStringList& args,
                                    const QString& usage)
{
    if (auto done = parseCommand(parser, command, args))
        return done;
    if (!parser.positionalArguments().isEmpty())
        return usageError(usage);
    return std::nullopt;
}

int usageError(const QString& usage)
{
    return CliContext::fail(makeError(QStringLiteral("usage"), usage));
}

} // namespace uw::cli
