#pragma once

#include <QCommandLineParser>
#include <QStringList>
#include <optional>

namespace uw::cli {

/// Parses one command's arguments (those after the command word, or words: "utxo fanout") with
/// `parser`, to which it adds --help. Returns the exit code when the command is over already: 0
/// once the help is printed (on stderr), 1 after a usage error (the parser's own words, code
/// "usage"); std::nullopt when the command goes on.
std::optional<int> parseCommand(QCommandLineParser& parser, const QString& command, const QStringList& args);

/// parseCommand() for a command that takes options only: an argument left over is a usage
/// error that shows `usage`.
std::optional<int> parseOptionsOnly(QCommandLineParser& parser, const QString& command, const QStringList& args,
                                    const QString& usage);

/// Fails with code "usage" and `usage` as the message; returns the exit code 1.
int usageError(const QString& usage);

} // namespace uw::cli
