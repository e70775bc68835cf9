#include "CommandLine.h"
#include "Commands.h"
#include "anchor/AnchorProofs.h"
#include "anchor/AnchorRuntime.h"
#include "anchor/AnchorTx.h"
#include "anchor/AnchorWallet.h"
#include "anchor/Fanout.h"
#include "anchor/UtxoImport.h"
#include "anchor/server/AnchorProfile.h"
#include "chain/ChainBackend.h"
#include "crypto/Sha256.h"
#include "util/UnixSignalWatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>
#include <QtConcurrent>
#include <atomic>
#include <cstdlib>

namespace uw::cli {

namespace {

/// Everything an anchoring command needs, resolved from the profile, its settings and the
/// environment (the same way as userwallet-anchord: anchor/server/AnchorProfile).
using AnchorSetup = AnchorProfile;

/// The profile, its settings and the network they name (checked: mainnet only if allowed).
struct ProfileSettings
{
    Profile profile;
    Settings settings;
    btc::Network network;
};
Result<ProfileSettings> openSettings(const CliContext& ctx)
{
    auto profile = ctx.profile();
    if (!profile)
        return profile.error();
    auto settings = ctx.settings(*profile);
    if (!settings)
        return settings.error();
    auto network = btc::parseNetwork(settings->bitcoinNetwork, settings->allowMainnet);
    if (!network)
        return network.error();
    return ProfileSettings{std::move(*profile), std::move(*settings), *network};
}

Result<AnchorSetup> openAnchoring(const CliContext& ctx, bool createKey)
{
    auto opened = openSettings(ctx);
    if (!opened)
        return opened.error();
    auto* profile = &opened->profile;
    auto* settings = &opened->settings;
    // A new key's passphrase is asked twice and checked (PassphrasePolicy) before the profile
    // folder is made: a refused one leaves nothing on disk.
    std::optional<Result<SecretBytes>> newPassphrase;
    if (createKey && !QFileInfo::exists(profile->anchorKeyFile())) {
        newPassphrase = ctx.passphrase(/*confirm=*/true);
        if (!*newPassphrase)
            return newPassphrase->error();
    }
    if (auto ok = profile->ensureExists(); !ok)
        return ok.error();
    return openAnchorProfile(*profile, *settings,
                             createKey ? AnchorWallet::IfMissing::Create : AnchorWallet::IfMissing::Refuse,
                             [&]() -> Result<SecretBytes> {
                                 if (newPassphrase)
                                     return std::move(*newPassphrase);
                                 return ctx.passphrase(false);
                             });
}

/// A fan-out's input stays locked this long if the command dies between the lock and the record.
constexpr int kFanoutLockSeconds = 600;

Error noBackend()
{
    return makeError(
        QStringLiteral("no_backend"),
        QStringLiteral(
            "No Bitcoin backend configured: set BITCOIN_RPC_URL (and BITCOIN_RPC_COOKIE) or MEMPOOL_API_URL."));
}

QJsonObject anchorJson(const AnchorRecord& a)
{
    QJsonObject o{{QStringLiteral("id"), a.id},
                  {QStringLiteral("digest"), a.digest},
                  {QStringLiteral("state"), anchorStateToString(a.stage)}};
    if (!a.txid.isEmpty())
        o.insert(QStringLiteral("txid"), a.txid);
    if (a.height)
        o.insert(QStringLiteral("height"), *a.height);
    if (!a.error.isEmpty())
        o.insert(QStringLiteral("error"), a.error);
    return o;
}

/// Digests from --digest, --file (hashed here, never uploaded) or --digests-file.
Result<QStringList> readDigests(const QCommandLineParser& p)
{
    QStringList out;
    auto add = [&](QString d) -> Result<void> {
        d = d.trimmed().toLower();
        if (!isLowerHex(d, 64))
            return makeError(QStringLiteral("bad_digest"),
                             QStringLiteral("\"%1\" is not a SHA-256 digest (64 hex digits).").arg(d.left(80)));
        out.append(d);
        return {};
    };
    for (const QString& d : p.values(QStringLiteral("digest")))
        if (auto r = add(d); !r)
            return r.error();
    for (const QString& path : p.values(QStringLiteral("file"))) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(path));
        Sha256 h;
        while (!f.atEnd())
            h.add(f.read(1 << 20));
        out.append(toHex(h.finalize()));
    }
    if (p.isSet(QStringLiteral("digests-file"))) {
        QFile f(p.value(QStringLiteral("digests-file")));
        if (!f.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(f.fileName()));
        int line = 0;
        while (!f.atEnd()) {
            ++line;
            const QString l = QString::fromUtf8(f.readLine()).trimmed();
            if (l.isEmpty())
                continue;
            if (auto r = add(l); !r)
                return makeError(r.error().code, QStringLiteral("line %1: %2").arg(line).arg(r.error().message));
        }
    }
    if (out.isEmpty())
        return makeError(QStringLiteral("usage"),
                         QStringLiteral("anchor needs --digest HEX, --file PATH or --digests-file FILE."));
    return out;
}

/// Runs one backend call to completion (CLI only: the command has nothing else to do meanwhile).
template <typename T, typename Call> Result<T> await(Call call)
{
    std::optional<Result<T>> result;
    QObject context;
    call([&](Result<T> r) {
        result = std::move(r);
        QMetaObject::invokeMethod(
            &context, [] { QCoreApplication::exit(0); }, Qt::QueuedConnection);
    });
    if (!result)
        QCoreApplication::exec();
    return std::move(*result);
}

double feeRate(ChainBackend& backend, double floor)
{
    auto rate = await<double>([&](auto done) { backend.estimateFeeRate(6, done); });
    return std::max(floor, rate ? *rate : 0.0);
}

} // namespace

int runAddress(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("The anchoring wallet's address, script, type and network (the key is created on first use)."));
    if (auto done =
            parseOptionsOnly(p, QStringLiteral("address"), args, QStringLiteral("usage: userwallet-cli address")))
        return *done;
    auto setup = openAnchoring(ctx, /*createKey=*/true);
    if (!setup)
        return CliContext::fail(setup.error());
    CliContext::printJson({{QStringLiteral("address"), setup->key.address()},
                           {QStringLiteral("script"), QString::fromLatin1(setup->key.script().toHex())},
                           {QStringLiteral("type"), setup->settings.addressType},
                           {QStringLiteral("network"), setup->settings.bitcoinNetwork}});
    return 0;
}

int runAnchor(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Anchors SHA-256 digests on Bitcoin (OP_RETURN); JSON lines."));
    p.addOption(
        {QStringLiteral("digest"), QStringLiteral("SHA-256 digest to anchor (repeatable)."), QStringLiteral("HEX")});
    p.addOption({QStringLiteral("file"), QStringLiteral("File whose SHA-256 is anchored (hashed here)."),
                 QStringLiteral("PATH")});
    p.addOption({QStringLiteral("digests-file"), QStringLiteral("One digest per line."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("Build and sign only: no broadcast, the store untouched.")});
    p.addOption({QStringLiteral("wait"), QStringLiteral("Wait for this many confirmations."), QStringLiteral("N"),
                 QStringLiteral("0")});
    p.addOption({QStringLiteral("force"), QStringLiteral("Anchor again a digest already anchored.")});
    p.addOption({QStringLiteral("round"),
                 QStringLiteral("Commit to all the digests in one transaction (a Merkle round) instead of one each.")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Give up after S seconds (0: never)."), QStringLiteral("S"),
                 QStringLiteral("0")});
    p.addOption({QStringLiteral("poll-ms"), QStringLiteral("How often the chain is checked."), QStringLiteral("MS"),
                 QStringLiteral("2000")});
    if (auto done = parseCommand(p, QStringLiteral("anchor"), args))
        return *done;
    if (!p.positionalArguments().isEmpty())
        return usageError(
            QStringLiteral("anchor takes no argument of its own (%1): use --digest, --file or --digests-file.")
                .arg(p.positionalArguments().first()));
    auto digests = readDigests(p);
    if (!digests)
        return CliContext::fail(digests.error());
    auto setup = openAnchoring(ctx, false);
    if (!setup)
        return CliContext::fail(setup.error());
    if (!setup->backend.isConfigured())
        return CliContext::fail(noBackend());

    if (p.isSet(QStringLiteral("dry-run"))) {
        auto store = AnchorStore::open(setup->database);
        if (!store)
            return CliContext::fail(store.error());
        auto backend = makeBackend(setup->backend);
        const double rate = feeRate(*backend, setup->settings.feeFloorSatPerVb);
        auto utxo = store->peekPick(anchorTx::minimumInputWithChange(setup->key, rate));
        if (!utxo)
            utxo = store->peekPick(anchorTx::minimumInput(setup->key, rate));
        if (!utxo)
            return CliContext::fail(
                makeError(QStringLiteral("no_funds"),
                          QStringLiteral("No spendable UTXO: import or sync the wallet's UTXOs first.")));
        auto built = anchorTx::build(*utxo, digests->first(), setup->key, rate);
        if (!built)
            return CliContext::fail(built.error());
        CliContext::printJson(
            {{QStringLiteral("txid"), built->tx.txid().hex()},
             {QStringLiteral("hex"), QString::fromLatin1(built->tx.serialize().toHex())},
             {QStringLiteral("fee"), qint64(built->fee)},
             {QStringLiteral("vsize"), qint64(built->tx.vsize())},
             {QStringLiteral("inputs"),
              QJsonArray{QJsonObject{{QStringLiteral("txid"), utxo->txid},
                                     {QStringLiteral("vout"), qint64(utxo->vout)},
                                     {QStringLiteral("value"), qint64(utxo->value)},
                                     {QStringLiteral("script"), QString::fromLatin1(utxo->script.toHex())}}}}});
        return 0;
    }

    const int confirmations = std::max(0, p.value(QStringLiteral("wait")).toInt());
    const bool round = p.isSet(QStringLiteral("round"));
    if (round && p.isSet(QStringLiteral("force")))
        return usageError(QStringLiteral("--round and --force do not go together: a round takes a digest once."));
    AnchorRuntime::Config config{setup->database, setup->backend, setup->key,
                                 AnchorService::Options{setup->settings.feeFloorSatPerVb},
                                 std::max(50, p.value(QStringLiteral("poll-ms")).toInt())};
    // The command's digests make one round at once (it waits for them: a later close would only
    // delay it); a round holds at most anchoring/round_max_digests of them, the rest follow in the next.
    config.batchIntervalMs = 0;
    config.batchMaxDigests = setup->settings.roundMaxDigests;
    AnchorRuntime runtime(config, SystemClock::instance());
    // A read-only view of the same database for this thread (WAL lets it read while the worker writes).
    auto view = AnchorStore::open(setup->database);
    if (!view)
        return CliContext::fail(view.error());
    QSet<qint64> mine;
    QHash<qint64, std::pair<AnchorState, QString>> lastSeen;
    int tipHeight = -1;
    // exit() ends the loop only after the events already queued are handled: one of them may
    // call check() again, so the summary is printed once, by the first check that completes.
    bool finished = false;
    bool accepted = false;
    QHash<QString, std::pair<AnchorState, qint64>> roundSeen;
    auto isDone = [&](AnchorState stage, const std::optional<int>& height) {
        const bool confirmedEnough = height && tipHeight >= 0 && tipHeight - *height + 1 >= confirmations;
        return (confirmations == 0 && (stage == AnchorState::Broadcast || stage == AnchorState::Confirmed)) ||
               (stage == AnchorState::Confirmed && confirmedEnough);
    };
    auto checkRound = [&] {
        if (!accepted || finished)
            return;
        int done = 0, failed = 0;
        for (const QString& d : std::as_const(*digests)) {
            const auto st = view->digestStatus(d);
            if (!st)
                continue;
            if (const auto last = roundSeen.constFind(d);
                last == roundSeen.constEnd() || *last != std::pair{st->state, st->round}) {
                roundSeen.insert(d, {st->state, st->round});
                QJsonObject line{{QStringLiteral("event"), QStringLiteral("anchor")},
                                 {QStringLiteral("digest"), d},
                                 {QStringLiteral("round"), st->round},
                                 {QStringLiteral("state"), anchorStateToString(st->state)}};
                if (!st->txid.isEmpty())
                    line.insert(QStringLiteral("txid"), st->txid);
                if (st->height)
                    line.insert(QStringLiteral("height"), *st->height);
                if (!st->error.isEmpty())
                    line.insert(QStringLiteral("error"), st->error);
                CliContext::printJson(line);
            }
            if (st->round != 0 && st->state == AnchorState::Failed)
                ++failed;
            else if (st->round != 0 && isDone(st->state, st->height))
                ++done;
        }
        if (done + failed == digests->size()) {
            finished = true;
            CliContext::printJson({{QStringLiteral("event"), QStringLiteral("done")},
                                   {QStringLiteral("anchored"), done},
                                   {QStringLiteral("failed"), failed}});
            QCoreApplication::exit(failed ? 1 : 0);
        }
    };
    auto check = [&] {
        if (round)
            return checkRound();
        if (mine.isEmpty() || finished)
            return;
        int done = 0, failed = 0;
        for (qint64 id : std::as_const(mine)) {
            const auto a = view->anchor(id);
            if (!a)
                continue;
            // A line whenever the state or the reason changes (a node that is down, a refusal, ...).
            const std::pair<AnchorState, QString> seen{a->stage, a->error};
            if (const auto last = lastSeen.constFind(id); last == lastSeen.constEnd() || *last != seen) {
                lastSeen.insert(id, seen);
                QJsonObject line = anchorJson(*a);
                line.insert(QStringLiteral("event"), QStringLiteral("anchor"));
                CliContext::printJson(line);
            }
            if (a->stage == AnchorState::Failed)
                ++failed;
            else if (isDone(a->stage, a->height))
                ++done;
        }
        if (done + failed == mine.size()) {
            finished = true;
            CliContext::printJson({{QStringLiteral("event"), QStringLiteral("done")},
                                   {QStringLiteral("anchored"), done},
                                   {QStringLiteral("failed"), failed}});
            QCoreApplication::exit(failed ? 1 : 0);
        }
    };
    QObject::connect(&runtime, &AnchorRuntime::failed, &runtime, [](const QString& why) {
        CliContext::fail(makeError(QStringLiteral("anchoring"), why));
        QCoreApplication::exit(1);
    });
    QObject::connect(&runtime, &AnchorRuntime::started, &runtime, [&] {
        if (!round)
            return runtime.enqueue(*digests, p.isSet(QStringLiteral("force")));
        runtime.submit(*digests, [&](Result<QList<DigestStatus>> r) {
            if (!r) {
                CliContext::fail(r.error());
                QCoreApplication::exit(1);
                return;
            }
            // One line per digest given, in their order: committed to disk, in which round (0: open).
            for (const DigestStatus& st : std::as_const(*r))
                CliContext::printJson({{QStringLiteral("event"), QStringLiteral("queued")},
                                       {QStringLiteral("digest"), st.digest},
                                       {QStringLiteral("round"), st.round},
                                       {QStringLiteral("state"), anchorStateToString(st.state)}});
            accepted = true;
            check();
        });
    });
    QObject::connect(&runtime, &AnchorRuntime::roundClosed, &runtime, [&] { check(); });
    QObject::connect(
        &runtime, &AnchorRuntime::enqueued, &runtime, [&](const QList<qint64>& ids, const QList<bool>& existing) {
            for (qsizetype i = 0; i < ids.size(); ++i) {
                const bool known = existing[i] && !p.isSet(QStringLiteral("force"));
                // One line per digest given, in their order: its anchor, new or the one it already had.
                CliContext::printJson({{QStringLiteral("event"), QStringLiteral("queued")},
                                       {QStringLiteral("digest"), digests->at(i)},
                                       {QStringLiteral("anchor"), ids[i]},
                                       {QStringLiteral("existing"), known}});
                if (known)
                    CliContext::info(
                        QStringLiteral(
                            "digest %1 is already anchored or queued (anchor %2); use --force to anchor it again.")
                            .arg(digests->at(i).left(16))
                            .arg(ids[i]));
            }
            mine = QSet<qint64>(ids.cbegin(), ids.cend());
            check();
        });
    QObject::connect(&runtime, &AnchorRuntime::anchorUpdated, &runtime, [&] { check(); });
    QObject::connect(&runtime, &AnchorRuntime::tipChanged, &runtime, [&](int height) {
        tipHeight = height;
        check();
    });
    QObject::connect(&runtime, &AnchorRuntime::chainSynced, &runtime, [&] {
        if (const auto tip = view->tip())
            tipHeight = tip->height;
        check();
    });
    QTimer timeout;
    if (const int s = p.value(QStringLiteral("timeout")).toInt(); s > 0) {
        timeout.setSingleShot(true);
        QObject::connect(&timeout, &QTimer::timeout, &runtime, [] {
            CliContext::printJson({{QStringLiteral("event"), QStringLiteral("timeout")}});
            QCoreApplication::exit(1);
        });
        timeout.start(s * 1000);
    }
    runtime.start();
    return QCoreApplication::exec();
}

namespace {

/// The profile's anchor database, for the commands that only read it.
Result<AnchorStore> openAnchorStore(const CliContext& ctx)
{
    auto profile = ctx.profile();
    if (!profile)
        return profile.error();
    return AnchorStore::open(profile->anchorDatabase());
}

} // namespace

namespace {

/// The profile's settings, network and node, for the commands that need no key.
struct ChainSetup
{
    btc::Network network;
    BackendConfig backend;
};
Result<ChainSetup> openChain(const CliContext& ctx)
{
    auto opened = openSettings(ctx);
    if (!opened)
        return opened.error();
    const Settings& settings = opened->settings;
    const BackendConfig backend = anchorBackend(settings);
    if (!backend.isConfigured())
        return noBackend();
    return ChainSetup{opened->network, backend};
}

} // namespace

int runProof(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Writes the OpenTimestamps proof (.ots) of a confirmed digest: it leads the digest to the "
                       "Merkle root of its block, and anyone can check it against a Bitcoin node."));
    p.addPositionalArgument(QStringLiteral("DIGEST"), QStringLiteral("The SHA-256 digest (64 hex digits)."));
    p.addOption({QStringLiteral("out"), QStringLiteral("Where to write the proof."), QStringLiteral("FILE.ots")});
    if (auto done = parseCommand(p, QStringLiteral("proof"), args))
        return *done;
    if (p.positionalArguments().size() != 1 || !p.isSet(QStringLiteral("out")))
        return usageError(QStringLiteral("usage: userwallet-cli proof DIGEST --out FILE.ots"));
    const QString digest = p.positionalArguments().first().toLower();
    if (!isLowerHex(digest, 64))
        return CliContext::fail(
            makeError(QStringLiteral("bad_digest"), QStringLiteral("A digest is 64 hexadecimal digits (SHA-256).")));
    auto node = openChain(ctx);
    if (!node)
        return CliContext::fail(node.error());
    auto store = openAnchorStore(ctx);
    if (!store)
        return CliContext::fail(store.error());
    auto backend = makeBackend(node->backend);
    AnchorProofs proofs(&*store, backend.get(), node->network);
    auto bytes = await<QByteArray>([&](auto done) { proofs.proof(digest, done); });
    if (!bytes)
        return CliContext::fail(bytes.error());
    // Written beside, then renamed: a proof file is whole or absent.
    QSaveFile out(p.value(QStringLiteral("out")));
    if (!out.open(QIODevice::WriteOnly) || out.write(*bytes) != bytes->size() || !out.commit())
        return CliContext::fail(
            makeError(QStringLiteral("io"), QStringLiteral("Cannot write %1.").arg(p.value(QStringLiteral("out")))));
    const auto st = store->digestStatus(digest);
    CliContext::printJson({{QStringLiteral("digest"), digest},
                           {QStringLiteral("out"), p.value(QStringLiteral("out"))},
                           {QStringLiteral("bytes"), qint64(bytes->size())},
                           {QStringLiteral("txid"), st ? st->txid : QString()},
                           {QStringLiteral("height"), st && st->height ? *st->height : -1}});
    return 0;
}

int runVerifyOts(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Checks an OpenTimestamps proof (.ots) against the configured node: it must be for the file (or digest) "
        "given and lead to the Merkle root of the block the node has at the attested height."));
    p.addPositionalArgument(QStringLiteral("FILE.ots"), QStringLiteral("The proof."));
    p.addOption({QStringLiteral("file"), QStringLiteral("The document (hashed here, never uploaded)."),
                 QStringLiteral("PATH")});
    p.addOption({QStringLiteral("digest"), QStringLiteral("Its SHA-256 digest instead."), QStringLiteral("HEX")});
    if (auto done = parseCommand(p, QStringLiteral("verify-ots"), args))
        return *done;
    if (p.positionalArguments().size() != 1 || p.isSet(QStringLiteral("file")) == p.isSet(QStringLiteral("digest")))
        return usageError(QStringLiteral("usage: userwallet-cli verify-ots FILE.ots (--file DOC | --digest HEX)"));
    QString expected;
    if (p.isSet(QStringLiteral("digest"))) {
        expected = p.value(QStringLiteral("digest")).toLower();
        if (!isLowerHex(expected, 64))
            return CliContext::fail(makeError(QStringLiteral("bad_digest"),
                                              QStringLiteral("A digest is 64 hexadecimal digits (SHA-256).")));
    } else {
        QFile doc(p.value(QStringLiteral("file")));
        if (!doc.open(QIODevice::ReadOnly))
            return CliContext::fail(
                makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(doc.fileName())));
        Sha256 h;
        while (!doc.atEnd())
            h.add(doc.read(1 << 20));
        expected = toHex(h.finalize());
    }
    QFile proofFile(p.positionalArguments().first());
    if (!proofFile.open(QIODevice::ReadOnly))
        return CliContext::fail(
            makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(proofFile.fileName())));
    // Read no more than a proof can be: a huge file is refused by its size, not loaded.
    const QByteArray bytes = proofFile.read(ots::kMaxProofBytes + 1);
    auto node = openChain(ctx);
    if (!node)
        return CliContext::fail(node.error());
    auto backend = makeBackend(node->backend);
    auto verified = await<AnchorProofs::Verified>(
        [&](auto done) { AnchorProofs::verify(bytes, expected, backend.get(), node->network, done); });
    if (!verified) {
        CliContext::printJson({{QStringLiteral("valid"), false},
                               {QStringLiteral("code"), verified.error().code},
                               {QStringLiteral("reason"), verified.error().message}});
        return 1;
    }
    CliContext::printJson({{QStringLiteral("valid"), true},
                           {QStringLiteral("digest"), verified->digest},
                           {QStringLiteral("height"), verified->height},
                           {QStringLiteral("block"), verified->blockHash},
                           {QStringLiteral("network"), verified->network}});
    return 0;
}

int runAnchors(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The latest anchors and their states, and the counts by state."));
    p.addOption({QStringLiteral("limit"), QStringLiteral("How many anchors, newest first."), QStringLiteral("N"),
                 QStringLiteral("100")});
    if (auto done = parseOptionsOnly(p, QStringLiteral("anchors"), args,
                                     QStringLiteral("usage: userwallet-cli anchors [--limit N]")))
        return *done;
    const int limit = p.value(QStringLiteral("limit")).toInt();
    auto store = openAnchorStore(ctx);
    if (!store)
        return CliContext::fail(store.error());
    QJsonArray list;
    for (const AnchorRecord& a : store->latestAnchors(std::max(1, limit)))
        list.append(anchorJson(a));
    QJsonObject counts;
    const auto c = store->anchorCountsByState();
    for (auto it = c.cbegin(); it != c.cend(); ++it)
        counts.insert(anchorStateToString(it.key()), it.value());
    CliContext::printJson({{QStringLiteral("anchors"), list}, {QStringLiteral("counts"), counts}});
    return 0;
}

namespace {

const QString kUtxoUsage =
    QStringLiteral("usage: userwallet-cli utxo stats | import FILE | sync | fanout --outputs N --value SAT");

int utxoStats(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The UTXOs of the anchoring wallet by state, and the expired locks."));
    if (auto done = parseOptionsOnly(p, QStringLiteral("utxo stats"), args, kUtxoUsage))
        return *done;
    auto store = openAnchorStore(ctx);
    if (!store)
        return CliContext::fail(store.error());
    QJsonObject out;
    const auto stats = store->utxoStatsByState();
    for (UtxoState state : kUtxoStates) {
        const UtxoStats s = stats.value(state);
        out.insert(utxoStateToString(state),
                   QJsonObject{{QStringLiteral("count"), s.count}, {QStringLiteral("value"), qint64(s.value)}});
    }
    out.insert(QStringLiteral("expired_locks"), store->expiredLockCount(SystemClock::instance().nowSeconds()));
    CliContext::printJson(out);
    return 0;
}

/// A long step of `utxo sync` or `utxo import` that Ctrl+C (SIGINT) or SIGTERM stops cleanly: the
/// first signal cancels it (the node's scan is aborted, the import rolled back), a second one
/// ends the command at once.
class Interruptible
{
public:
    explicit Interruptible(ChainBackend* backend = nullptr)
    {
        QObject::connect(&m_signals, &UnixSignalWatcher::terminationRequested, &m_signals, [this, backend](int) {
            if (m_cancelled.exchange(true)) {
                CliContext::info(QStringLiteral("interrupted again: stopping now"));
                std::_Exit(130);
            }
            CliContext::info(QStringLiteral("cancelling: nothing will be imported (Ctrl+C again to stop at once)…"));
            if (backend)
                backend->cancelScan();
        });
    }
    const std::atomic_bool& cancelled() const { return m_cancelled; }

private:
    UnixSignalWatcher m_signals;
    std::atomic_bool m_cancelled = false;
};

/// "scan: 42%" on stderr each time the node's figure moves (JSON stays on stdout).
void printScanProgress(int percent)
{
    CliContext::info(percent < 0 ? QStringLiteral("scan: waiting for the node's answer (no progress figure)…")
                                 : QStringLiteral("scan: %1%").arg(percent));
}

/// Writes `utxos` into the anchor database in one transaction, on a worker (the event loop goes
/// on: Ctrl+C rolls it back), with "save: 42% (72000 of 173000)" lines on stderr.
Result<UtxoImportCounts> saveUtxos(const QString& database, const QList<Utxo>& utxos, const std::atomic_bool& cancelled)
{
    CliContext::info(QStringLiteral("save: %1 UTXOs…").arg(utxos.size()));
    return await<UtxoImportCounts>([&](auto done) {
        auto* watcher = new QFutureWatcher<Result<UtxoImportCounts>>();
        QObject::connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, done] {
            watcher->deleteLater();
            done(watcher->future().takeResult());
        });
        watcher->setFuture(QtConcurrent::run([&database, &utxos, &cancelled]() -> Result<UtxoImportCounts> {
            // Its own connection: one per thread. The command's other one is idle meanwhile.
            auto store = AnchorStore::open(database);
            if (!store)
                return store.error();
            int shown = -1;
            return store->importUtxosCounted(utxos, [&](qsizetype written, qsizetype total) {
                if (const int percent = total ? int(written * 100 / total) : 100; percent != shown) {
                    shown = percent;
                    CliContext::info(QStringLiteral("save: %1% (%2 of %3)").arg(percent).arg(written).arg(total));
                }
                return !cancelled.load();
            });
        }));
    });
}

int utxoImportFile(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Imports UTXOs from JSON lines {\"txid\",\"vout\",\"value\",\"script\",\"height\"}, all or nothing."));
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The JSON-lines file."));
    if (auto done = parseCommand(p, QStringLiteral("utxo import"), args))
        return *done;
    if (p.positionalArguments().size() != 1)
        return usageError(QStringLiteral("usage: userwallet-cli utxo import FILE"));
    auto setup = openAnchoring(ctx, false);
    if (!setup)
        return CliContext::fail(setup.error());
    const QString path = p.positionalArguments().first();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return CliContext::fail(makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(path)));
    auto batch = utxoImport::parse(f, setup->key.script(), setup->key.address());
    if (!batch)
        return CliContext::fail(batch.error());
    // One transaction for the whole file: an outpoint stored with another value, even the last
    // one, leaves the store as it was.
    Interruptible interrupt;
    auto r = saveUtxos(setup->database, *batch, interrupt.cancelled());
    if (!r)
        return CliContext::fail(r.error());
    CliContext::info(QStringLiteral("imported %1, already present %2").arg(r->added).arg(r->alreadyPresent));
    CliContext::printJson(
        {{QStringLiteral("imported"), r->added}, {QStringLiteral("already_present"), r->alreadyPresent}});
    return 0;
}

/// What `utxo sync` and `utxo fanout` share: the wallet, its store and a backend.
struct NodeSetup
{
    AnchorSetup setup;
    AnchorStore store;
    std::unique_ptr<ChainBackend> backend;
};

Result<NodeSetup> openWithNode(const CliContext& ctx)
{
    auto setup = openAnchoring(ctx, false);
    if (!setup)
        return setup.error();
    auto store = AnchorStore::open(setup->database);
    if (!store)
        return store.error();
    if (!setup->backend.isConfigured())
        return noBackend();
    auto backend = makeBackend(setup->backend);
    return NodeSetup{std::move(*setup), std::move(*store), std::move(backend)};
}

int utxoSync(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Imports the wallet's UTXOs from the node (scantxoutset, or Esplora)."));
    if (auto done = parseOptionsOnly(p, QStringLiteral("utxo sync"), args, kUtxoUsage))
        return *done;
    auto node = openWithNode(ctx);
    if (!node)
        return CliContext::fail(node.error());
    const btc::WalletKey& key = node->setup.key;
    Interruptible interrupt(node->backend.get());
    auto found = await<QList<Utxo>>(
        [&](auto done) { node->backend->scanUtxos(key.script(), key.address(), printScanProgress, done); });
    if (!found)
        return CliContext::fail(found.error());
    if (interrupt.cancelled()) // Ctrl+C as the scan's answer came: nothing is written
        return CliContext::fail(
            makeError(QStringLiteral("cancelled"), QStringLiteral("Cancelled: nothing was imported.")));
    auto r = saveUtxos(node->setup.database, *found, interrupt.cancelled());
    if (!r)
        return CliContext::fail(r.error());
    CliContext::info(QStringLiteral("imported %1, already present %2").arg(r->added).arg(r->alreadyPresent));
    CliContext::printJson(
        {{QStringLiteral("imported"), r->added}, {QStringLiteral("already_present"), r->alreadyPresent}});
    return 0;
}

int utxoFanout(const CliContext& ctx, const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Splits the largest confirmed UTXO into N outputs of SAT each (plus change)."));
    p.addOption({QStringLiteral("outputs"), QStringLiteral("How many outputs."), QStringLiteral("N")});
    p.addOption({QStringLiteral("value"), QStringLiteral("Value of each, in sat."), QStringLiteral("SAT")});
    if (auto done = parseOptionsOnly(p, QStringLiteral("utxo fanout"), args, kUtxoUsage))
        return *done;
    auto node = openWithNode(ctx);
    if (!node)
        return CliContext::fail(node.error());
    const int outputs = p.value(QStringLiteral("outputs")).toInt();
    const std::int64_t value = p.value(QStringLiteral("value")).toLongLong();
    const double rate = feeRate(*node->backend, node->setup.settings.feeFloorSatPerVb);
    auto sent = await<fanout::Sent>([&](auto done) {
        fanout::split(node->store, *node->backend, node->setup.key,
                      {outputs, value, rate, SystemClock::instance().nowSeconds(), kFanoutLockSeconds}, done);
    });
    if (!sent)
        return CliContext::fail(sent.error());
    CliContext::printJson({{QStringLiteral("txid"), sent->txid},
                           {QStringLiteral("outputs"), outputs},
                           {QStringLiteral("value"), qint64(value)},
                           {QStringLiteral("fee"), qint64(sent->fee)}});
    return 0;
}

} // namespace

int runUtxo(const CliContext& ctx, const QStringList& args)
{
    const QHash<QString, int (*)(const CliContext&, const QStringList&)> subcommands{
        {QStringLiteral("stats"), utxoStats},
        {QStringLiteral("import"), utxoImportFile},
        {QStringLiteral("sync"), utxoSync},
        {QStringLiteral("fanout"), utxoFanout},
    };
    if (const auto it = subcommands.constFind(args.value(0)); it != subcommands.constEnd())
        return (*it)(ctx, args.mid(1));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The anchoring wallet's UTXO table. Each subcommand has its --help."));
    p.addPositionalArgument(QStringLiteral("subcommand"), QStringLiteral("stats | import FILE | sync | fanout"));
    if (auto done = parseCommand(p, QStringLiteral("utxo"), args))
        return *done;
    return usageError(kUtxoUsage);
}

} // namespace uw::cli
