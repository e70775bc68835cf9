#include "CliContext.h"

#include "crypto/PassphrasePolicy.h"
#include "crypto/SecretFile.h"
#include "identity/KeyStore.h"

#include <QFile>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QtConcurrent>
#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace uw::cli {

Result<Profile> CliContext::profile() const
{
    return Profile::resolve(profileName, dataDir);
}

namespace {

Result<SecretBytes> promptHidden(const char* prompt)
{
    FILE* tty = std::fopen("/dev/tty", "r+");
    if (!tty)
        return makeError(QStringLiteral("no_passphrase"),
                         QStringLiteral("A passphrase is needed: use --passphrase-file FILE or USERWALLET_PASSPHRASE "
                                        "(no terminal to ask on)."));
    std::fputs(prompt, tty);
    std::fflush(tty);
    termios old{};
    const int fd = fileno(tty);
    const bool isTerm = tcgetattr(fd, &old) == 0;
    if (isTerm) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    QByteArray line(1024, '\0');
    const bool got = std::fgets(line.data(), int(line.size()), tty) != nullptr;
    if (isTerm)
        tcsetattr(fd, TCSAFLUSH, &old);
    std::fputs("\n", tty);
    std::fclose(tty);
    line.truncate(got ? qsizetype(qstrlen(line.constData())) : 0);
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    return SecretBytes(std::move(line));
}

} // namespace

Result<SecretBytes> CliContext::passphrase(bool confirm) const
{
    auto pass = readPassphrase(confirm);
    if (!pass || !confirm || allowWeakPassphrase)
        return pass;
    if (auto ok = PassphrasePolicy::check(QByteArrayView(pass->bytes())); !ok)
        return makeError(ok.error().code,
                         ok.error().message +
                             QStringLiteral(" Nothing was created; --allow-weak-passphrase accepts a shorter one."));
    return pass;
}

Result<SecretBytes> CliContext::readPassphrase(bool confirm) const
{
    if (!passphraseFile.isEmpty()) {
        // The same rules as the daemons' secret files: a regular file of the user's own (0600, no
        // symbolic link, at most 4 KiB), read without following a link swapped in meanwhile.
        auto pass = readSecretFile(passphraseFile);
        if (!pass)
            return makeError(QStringLiteral("no_passphrase"),
                             QStringLiteral("The passphrase file is refused: %1").arg(pass.error().message));
        return pass;
    }
    if (qEnvironmentVariableIsSet("USERWALLET_PASSPHRASE"))
        return SecretBytes(qgetenv("USERWALLET_PASSPHRASE"));
    auto first = promptHidden(confirm ? "New passphrase: " : "Passphrase: ");
    if (!first || !confirm)
        return first;
    auto second = promptHidden("Repeat the passphrase: ");
    if (!second)
        return second;
    if (first->bytes() != second->bytes())
        return makeError(QStringLiteral("passphrase_mismatch"),
                         QStringLiteral("The two passphrases differ; nothing was created."));
    return first;
}

Result<Settings> CliContext::settings(const Profile& profile) const
{
    auto s = Settings::load(profile.settingsFile());
    if (!s)
        return s;
    if (!relayUrls.isEmpty())
        s->relayUrls = relayUrls;
    return s;
}

Result<CliContext::Identity> CliContext::unlockIdentity() const
{
    auto p = profile();
    if (!p)
        return p.error();
    auto s = settings(*p);
    if (!s)
        return s.error();
    auto member = MemberDocument::load(p->memberFile());
    if (!member)
        return member.error();
    auto pass = passphrase(false);
    if (!pass)
        return pass.error();
    auto ring = KeyStore(p->keysDir()).unlock(pass->bytes());
    if (!ring)
        return ring.error();
    return Identity{*p, *s, *member, std::make_shared<KeyRing>(std::move(*ring))};
}

bool CliContext::askLineOnTerminal(const QString& question, QObject* context,
                                   std::function<void(std::optional<QString>)> answer)
{
    FILE* probe = std::fopen("/dev/tty", "r+");
    if (!probe)
        return false;
    std::fclose(probe);
    auto* watcher = new QFutureWatcher<std::optional<QString>>(context);
    QObject::connect(watcher, &QFutureWatcher<std::optional<QString>>::finished, context, [watcher, answer] {
        watcher->deleteLater();
        answer(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([q = question.toUtf8()]() -> std::optional<QString> {
        FILE* tty = std::fopen("/dev/tty", "r+");
        if (!tty)
            return std::nullopt;
        std::fprintf(tty, "%s ", q.constData());
        std::fflush(tty);
        char line[256] = {};
        const bool got = std::fgets(line, sizeof line, tty) != nullptr;
        std::fclose(tty);
        if (!got)
            return std::nullopt;
        return QString::fromUtf8(line).trimmed();
    }));
    return true;
}

bool CliContext::askOnTerminal(const QString& question, QObject* context, std::function<void(bool)> answer)
{
    return askLineOnTerminal(question + QStringLiteral(" [y/N]"), context, [answer](std::optional<QString> line) {
        answer(line && !line->isEmpty() && QStringLiteral("yYoO").contains(line->at(0)));
    });
}

void CliContext::printJson(const QJsonObject& object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stdout);
    std::fflush(stdout);
}

void CliContext::info(const QString& message)
{
    const QByteArray line = message.toUtf8() + '\n';
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stderr);
}

int CliContext::fail(const Error& error)
{
    info(QStringLiteral("error: ") + error.message);
    printJson(QJsonObject{{QStringLiteral("error"), error.code}, {QStringLiteral("message"), error.message}});
    return 1;
}

} // namespace uw::cli
