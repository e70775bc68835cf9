#include "CommandLine.h"
#include "Commands.h"
#include "identity/WalletStore.h"
#include "login/LoginRequest.h"
#include "login/LoginStateMachine.h"
#include "login/ProofVerifier.h"

#include <QCommandLineParser>
#include <QFile>
#include <cstdio>

namespace uw::cli {

namespace {

int invalidProof(const Error& error)
{
    CliContext::info(QStringLiteral("invalid proof: ") + error.message);
    CliContext::printJson(QJsonObject{{QStringLiteral("valid"), false},
                                      {QStringLiteral("code"), error.code},
                                      {QStringLiteral("reason"), error.message}});
    return 1;
}

} // namespace

int runVerifyProof(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Verifies a login proof (docs/PROTOCOL.md, \"Verifying a proof\")."));
    p.addPositionalArgument(QStringLiteral("proof"), QStringLiteral("The proof file, or - for the standard input."),
                            QStringLiteral("FILE|-"));
    p.addOption({QStringLiteral("mark"),
                 QStringLiteral("Record its nonce in this profile's wallet: the same proof is refused next time.")});
    p.addOption({QStringLiteral("expect"),
                 QStringLiteral("The service's own record of who must sign (a login request's JSON): the proof's "
                                "message must ask at least as much."),
                 QStringLiteral("FILE")});
    if (auto done = parseCommand(p, QStringLiteral("verify-proof"), args))
        return *done;
    const QStringList positional = p.positionalArguments();
    const bool mark = p.isSet(QStringLiteral("mark"));
    if (positional.size() != 1)
        return usageError(QStringLiteral("usage: userwallet-cli verify-proof FILE|- [--expect FILE] [--mark]"));
    // The record is read first: a record that cannot be used is the service's error, not the proof's.
    std::optional<LoginRequest> expected;
    if (p.isSet(QStringLiteral("expect"))) {
        QFile record(p.value(QStringLiteral("expect")));
        if (!record.open(QIODevice::ReadOnly))
            return CliContext::fail(
                makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(record.fileName())));
        auto parsed = LoginRequest::fromBytes(record.read(LoginRequest::kMaxBytes + 1));
        if (!parsed)
            return CliContext::fail(parsed.error());
        expected = std::move(*parsed);
    }

    QFile in;
    const bool fromStdin = positional.first() == QLatin1String("-");
    const bool opened = fromStdin ? in.open(stdin, QIODevice::ReadOnly)
                                  : (in.setFileName(positional.first()), in.open(QIODevice::ReadOnly));
    if (!opened)
        return CliContext::fail(
            makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(positional.first())));
    // Read one byte more than allowed, so that an oversized proof is refused rather than truncated.
    const QByteArray bytes = in.read(Proof::kMaxBytes + 1);

    auto proof = Proof::fromBytes(bytes);
    if (!proof)
        return invalidProof(proof.error());
    if (auto ok = ProofVerifier::verify(*proof, SystemClock::instance()); !ok)
        return invalidProof(ok.error());
    if (expected) {
        if (auto ok = expected->check(proof->message); !ok)
            return invalidProof(ok.error());
    }
    if (mark) {
        auto profile = ctx.profile();
        if (!profile)
            return CliContext::fail(profile.error());
        if (auto ok = profile->ensureExists(); !ok)
            return CliContext::fail(ok.error());
        auto store = WalletStore::open(profile->walletDatabase());
        if (!store)
            return CliContext::fail(store.error());
        if (auto marked = store->markNonceUsed(proof->nonce, proof->hash, SystemClock::instance().nowSeconds());
            !marked)
            return marked.error().code == QLatin1String("nonce_used") ? invalidProof(marked.error())
                                                                      : CliContext::fail(marked.error());
    }
    CliContext::printJson(QJsonObject{{QStringLiteral("valid"), true}});
    return 0;
}

int runStateDiagram(const CliContext&, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Prints the login state machine (Graphviz dot) on stdout."));
    if (auto done = parseOptionsOnly(p, QStringLiteral("state-diagram"), args,
                                     QStringLiteral("usage: userwallet-cli state-diagram")))
        return *done;
    const QByteArray dot = LoginStateMachine::toDot().toUtf8();
    std::fwrite(dot.constData(), 1, std::size_t(dot.size()), stdout);
    return 0;
}

} // namespace uw::cli
