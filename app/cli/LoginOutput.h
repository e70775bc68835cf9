#pragma once

#include "login/Challenge.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QMap>
#include <optional>

namespace uw::cli {

/// What the login commands (login, sign, listen) print and read alike.

/// Each relay's answer, as {"wss://…": true, …}.
QJsonObject relaysJson(const QMap<QString, bool>& perRelay);

/// A login as device 2 sees it: service, callback and its host, window, members, hash; `event`
/// names the line ("message", "request"). Never the number: the person types it from device 1.
QJsonObject requestJson(const QString& event, const Challenge& challenge);
void printRequest(const QString& event, const Challenge& challenge);

/// Reads a number typed by the person: one or two digits, 0 to 99.
std::optional<int> parseLoginNumber(const QString& text);

/// The person's answer given in advance on the command line: the number device 1 shows
/// (--number N), or a refusal (--decline); neither when the command is to ask or only print.
struct LoginAnswer
{
    std::optional<int> number;
    bool decline = false;
};
/// Reads `number` and `decline` from `parser`: a usage error (code "usage") for a number that is
/// not two digits, or for both options at once.
Result<LoginAnswer> parseLoginAnswer(const QCommandLineParser& parser, const QCommandLineOption& number,
                                     const QCommandLineOption& decline);

} // namespace uw::cli
