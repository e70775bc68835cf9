#include "LoginOutput.h"

#include "CliContext.h"

#include <QJsonArray>
#include <QUrl>
#include <algorithm>

namespace uw::cli {

QJsonObject relaysJson(const QMap<QString, bool>& perRelay)
{
    QJsonObject o;
    for (auto it = perRelay.cbegin(); it != perRelay.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonObject requestJson(const QString& event, const Challenge& c)
{
    QJsonArray members;
    for (const MemberRequirement& m : c.message.members)
        members.append(m.id);
    return {{QStringLiteral("event"), event},
            {QStringLiteral("service"), c.message.service},
            {QStringLiteral("callback"), c.message.callback},
            {QStringLiteral("callback_host"), QUrl(c.message.callback).host()},
            {QStringLiteral("created_at"), qint64(c.message.createdAt)},
            {QStringLiteral("expires_at"), qint64(c.message.expiresAt)},
            {QStringLiteral("members"), members},
            {QStringLiteral("hash"), c.hash}};
}

void printRequest(const QString& event, const Challenge& c)
{
    CliContext::printJson(requestJson(event, c));
}

std::optional<int> parseLoginNumber(const QString& text)
{
    if (text.isEmpty() || text.size() > 2 || !std::all_of(text.cbegin(), text.cend(), [](QChar c) {
            return c >= QLatin1Char('0') && c <= QLatin1Char('9');
        }))
        return std::nullopt;
    return text.toInt();
}

Result<LoginAnswer> parseLoginAnswer(const QCommandLineParser& parser, const QCommandLineOption& number,
                                     const QCommandLineOption& decline)
{
    LoginAnswer answer;
    if (parser.isSet(number)) {
        answer.number = parseLoginNumber(parser.value(number));
        if (!answer.number)
            return makeError(QStringLiteral("usage"),
                             QStringLiteral("--number takes the two digits device 1 shows (00 to 99)."));
    }
    answer.decline = parser.isSet(decline);
    if (answer.number && answer.decline)
        return makeError(QStringLiteral("usage"), QStringLiteral("--number and --decline exclude each other."));
    return answer;
}

} // namespace uw::cli
