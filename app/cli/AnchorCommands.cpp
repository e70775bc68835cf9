#include "Commands.h"
#include "anchor/AnchorRuntime.h"
#include "anchor/AnchorTx.h"
#include "chain/ChainBackend.h"
#include "crypto/KeyFile.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>

namespace uw::cli {

namespace {

/// Everything an anchoring command needs, resolved from the profile, its settings and the environment.
struct AnchorSetup
{
    Profile profile;
    Settings settings;
    btc::WalletKey key;
    BackendConfig backend;
    QString database;
};

Result<AnchorSetup> openAnchoring(const CliContext& ctx, bool createKey)
{
    auto profile = ctx.profile();
    if (!profile)
        return profile.error();
    if (auto ok = profile->ensureExists(); !ok)
        return ok.error();
    auto settings = ctx.settings(*profile);
    if (!settings)
        return settings.error();
    auto network = btc::parseNetwork(settings->bitcoinNetwork, settings->allowMainnet);
    if (!network)
        return network.error();
    // The anchoring wallet's key: separate from the login pairs, encrypted like them.
    const QString keyPath = profile->dataDir() + QStringLiteral("/anchor-wallet.key");
    QFile keyFile(keyPath);
    std::optional<SecretKey> secret;
    if (!keyFile.exists()) {
        if (!createKey)
            return makeError(
                QStringLiteral("no_wallet"),
                QStringLiteral("No anchoring wallet in this profile yet: run `userwallet-cli address` first."));
        auto pass = ctx.passphrase(false);
        if (!pass)
            return pass.error();
        SecretKey fresh = schnorr::generateSecretKey();
        auto sealed = KeyFile::seal(fresh, pass->bytes(), QStringLiteral("anchor-wallet"),
                                    toHex(schnorr::xOnlyPublicKey(fresh).value()));
        if (!sealed)
            return sealed.error();
        QSaveFile out(keyPath);
        if (!out.open(QIODevice::WriteOnly) || out.write(*sealed) < 0 || !out.commit())
            return makeError(QStringLiteral("io"), QStringLiteral("Cannot write %1.").arg(keyPath));
        QFile::setPermissions(keyPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        secret = std::move(fresh);
    } else {
        if (!keyFile.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(keyPath));
        auto pass = ctx.passphrase(false);
        if (!pass)
            return pass.error();
        auto opened = KeyFile::open(keyFile.read(64 * 1024), pass->bytes());
        if (!opened)
            return opened.error();
        secret = std::move(*opened);
    }
    const auto type = settings->addressType == QLatin1String("p2tr") ? btc::KeyType::P2TR : btc::KeyType::P2WPKH;
    auto key = btc::WalletKey::fromSecret(std::move(*secret), type, *network);
    if (!key)
        return key.error();
    BackendConfig backend{settings->bitcoinRpcUrl, settings->bitcoinRpcCookie, settings->mempoolApiUrl,
                          settings->bitcoinZmqHashblock};
    return AnchorSetup{*profile, *settings, *key, backend, profile->dataDir() + QStringLiteral("/anchor.sqlite")};
}

Error noBackend()
{
    return makeError(
        QStringLiteral("no_backend"),
        QStringLiteral(
            "No Bitcoin backend configured: set BITCOIN_RPC_URL (and BITCOIN_RPC_COOKIE) or MEMPOOL_API_URL."));
}

QJsonObject anchorJson(const AnchorRecord& a)
{
    QJsonObject o{
        {QStringLiteral("id"), a.id}, {QStringLiteral("digest"), a.digest}, {QStringLiteral("state"), a.state}};
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

int runAddress(const CliContext& ctx, const QStringList&)
{
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
    p.addHelpOption();
    p.addOption(
        {QStringLiteral("digest"), QStringLiteral("SHA-256 digest to anchor (repeatable)."), QStringLiteral("HEX")});
    p.addOption({QStringLiteral("file"), QStringLiteral("File whose SHA-256 is anchored (hashed here)."),
                 QStringLiteral("PATH")});
    p.addOption({QStringLiteral("digests-file"), QStringLiteral("One digest per line."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("Build and sign only: no broadcast, the store untouched.")});
    p.addOption({QStringLiteral("wait"), QStringLiteral("Wait for this many confirmations."), QStringLiteral("N"),
                 QStringLiteral("0")});
    p.addOption({QStringLiteral("force"), QStringLiteral("Anchor again a digest already anchored.")});
    p.addOption({QStringLiteral("timeout"), QStringLiteral("Give up after S seconds (0: never)."), QStringLiteral("S"),
                 QStringLiteral("0")});
    p.addOption({QStringLiteral("poll-ms"), QStringLiteral("How often the chain is checked."), QStringLiteral("MS"),
                 QStringLiteral("2000")});
    if (!p.parse(QStringList{QStringLiteral("anchor")} + args))
        return CliContext::fail(makeError(QStringLiteral("usage"), p.errorText()));
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
    AnchorRuntime runtime({setup->database, setup->backend, setup->key,
                           AnchorService::Options{setup->settings.feeFloorSatPerVb},
                           std::max(50, p.value(QStringLiteral("poll-ms")).toInt())},
                          SystemClock::instance());
    // A read-only view of the same database for this thread (WAL lets it read while the worker writes).
    auto view = AnchorStore::open(setup->database);
    if (!view)
        return CliContext::fail(view.error());
    QSet<qint64> mine;
    QHash<qint64, QString> lastState;
    int tipHeight = -1;
    auto check = [&] {
        if (mine.isEmpty())
            return;
        int done = 0, failed = 0;
        for (qint64 id : std::as_const(mine)) {
            const auto a = view->anchor(id);
            if (!a)
                continue;
            // A line whenever the state or the reason changes (a node that is down, a refusal, ...).
            const QString seen = a->state + QLatin1Char('\n') + a->error;
            if (lastState.value(id) != seen) {
                lastState.insert(id, seen);
                QJsonObject line = anchorJson(*a);
                line.insert(QStringLiteral("event"), QStringLiteral("anchor"));
                CliContext::printJson(line);
            }
            const bool confirmedEnough = a->height && tipHeight >= 0 && tipHeight - *a->height + 1 >= confirmations;
            if (a->state == QLatin1String("failed"))
                ++failed;
            else if ((confirmations == 0 &&
                      (a->state == QLatin1String("broadcast") || a->state == QLatin1String("confirmed"))) ||
                     (a->state == QLatin1String("confirmed") && confirmedEnough))
                ++done;
        }
        if (done + failed == mine.size()) {
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
    QObject::connect(&runtime, &AnchorRuntime::started, &runtime,
                     [&] { runtime.enqueue(*digests, p.isSet(QStringLiteral("force"))); });
    QObject::connect(
        &runtime, &AnchorRuntime::enqueued, &runtime, [&](const QList<qint64>& ids, const QList<bool>& existing) {
            for (qsizetype i = 0; i < ids.size(); ++i)
                if (existing[i] && !p.isSet(QStringLiteral("force")))
                    CliContext::info(
                        QStringLiteral(
                            "digest %1 is already anchored or queued (anchor %2); use --force to anchor it again.")
                            .arg(digests->at(i).left(16))
                            .arg(ids[i]));
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

int runAnchors(const CliContext& ctx, const QStringList& args)
{
    const int limit = args.value(0) == QLatin1String("--limit") ? args.value(1).toInt() : 100;
    auto profile = ctx.profile();
    if (!profile)
        return CliContext::fail(profile.error());
    auto store = AnchorStore::open(profile->dataDir() + QStringLiteral("/anchor.sqlite"));
    if (!store)
        return CliContext::fail(store.error());
    QJsonArray list;
    for (const AnchorRecord& a : store->latestAnchors(std::max(1, limit)))
        list.append(anchorJson(a));
    QJsonObject counts;
    const auto c = store->anchorCounts();
    for (auto it = c.cbegin(); it != c.cend(); ++it)
        counts.insert(it.key(), it.value());
    CliContext::printJson({{QStringLiteral("anchors"), list}, {QStringLiteral("counts"), counts}});
    return 0;
}

int runUtxo(const CliContext& ctx, const QStringList& args)
{
    const QString sub = args.value(0);
    if (sub == QLatin1String("stats")) {
        auto profile = ctx.profile();
        if (!profile)
            return CliContext::fail(profile.error());
        auto store = AnchorStore::open(profile->dataDir() + QStringLiteral("/anchor.sqlite"));
        if (!store)
            return CliContext::fail(store.error());
        QJsonObject out;
        const auto stats = store->utxoStats();
        for (const char* state : {"unspent", "locked", "spent_unconfirmed", "spent"}) {
            const UtxoStats s = stats.value(QString::fromLatin1(state));
            out.insert(QString::fromLatin1(state),
                       QJsonObject{{QStringLiteral("count"), s.count}, {QStringLiteral("value"), qint64(s.value)}});
        }
        out.insert(QStringLiteral("expired_locks"), store->expiredLockCount(SystemClock::instance().nowSeconds()));
        CliContext::printJson(out);
        return 0;
    }
    auto setup = openAnchoring(ctx, false);
    if (!setup)
        return CliContext::fail(setup.error());
    auto store = AnchorStore::open(setup->database);
    if (!store)
        return CliContext::fail(store.error());
    if (sub == QLatin1String("import")) {
        QFile f(args.value(1));
        if (!f.open(QIODevice::ReadOnly))
            return CliContext::fail(
                makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(args.value(1))));
        QList<Utxo> batch;
        int line = 0, imported = 0;
        while (!f.atEnd()) {
            ++line;
            const QByteArray l = f.readLine().trimmed();
            if (l.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(l).object();
            Utxo u;
            u.txid = o.value(QStringLiteral("txid")).toString();
            u.vout = std::uint32_t(o.value(QStringLiteral("vout")).toInt(-1));
            u.value = o.value(QStringLiteral("value")).toInteger(-1);
            u.script = QByteArray::fromHex(o.value(QStringLiteral("script")).toString().toLatin1());
            if (o.contains(QStringLiteral("height")) && !o.value(QStringLiteral("height")).isNull())
                u.height = o.value(QStringLiteral("height")).toInt();
            if (!isLowerHex(u.txid, 64) || o.value(QStringLiteral("vout")).toInt(-1) < 0 || u.value <= 0)
                return CliContext::fail(makeError(
                    QStringLiteral("bad_import"),
                    QStringLiteral(
                        "line %1: expected {\"txid\",\"vout\",\"value\",\"script\",\"height\"}; nothing was imported.")
                        .arg(line)));
            if (u.script != setup->key.script())
                return CliContext::fail(
                    makeError(QStringLiteral("bad_import"),
                              QStringLiteral("line %1: the script is not this wallet's (%2); nothing was imported.")
                                  .arg(line)
                                  .arg(setup->key.address())));
            batch.append(u);
        }
        // One transaction per 10,000 rows: fast, and memory stays flat for big imports.
        for (qsizetype i = 0; i < batch.size(); i += 10000) {
            auto r = store->importUtxos(batch.mid(i, 10000));
            if (!r)
                return CliContext::fail(r.error());
            imported += *r;
        }
        CliContext::printJson({{QStringLiteral("imported"), imported}});
        return 0;
    }
    if (!setup->backend.isConfigured())
        return CliContext::fail(noBackend());
    auto backend = makeBackend(setup->backend);
    if (sub == QLatin1String("sync")) {
        auto found =
            await<QList<Utxo>>([&](auto done) { backend->scanUtxos(setup->key.script(), setup->key.address(), done); });
        if (!found)
            return CliContext::fail(found.error());
        auto r = store->importUtxos(*found);
        if (!r)
            return CliContext::fail(r.error());
        CliContext::printJson({{QStringLiteral("imported"), *r}});
        return 0;
    }
    if (sub == QLatin1String("fanout")) {
        QCommandLineParser p;
        p.addOption({QStringLiteral("outputs"), QStringLiteral("How many outputs."), QStringLiteral("N")});
        p.addOption({QStringLiteral("value"), QStringLiteral("Value of each, in sat."), QStringLiteral("SAT")});
        if (!p.parse(QStringList{QStringLiteral("fanout")} + args.mid(1)))
            return CliContext::fail(makeError(QStringLiteral("usage"), p.errorText()));
        const int outputs = p.value(QStringLiteral("outputs")).toInt();
        const std::int64_t value = p.value(QStringLiteral("value")).toLongLong();
        const double rate = feeRate(*backend, setup->settings.feeFloorSatPerVb);
        auto largest = store->pickLargest(std::int64_t(outputs) * value);
        if (!largest)
            return CliContext::fail(largest.error());
        if (!*largest)
            return CliContext::fail(
                makeError(QStringLiteral("no_funds"),
                          QStringLiteral("No confirmed UTXO holds %1 × %2 sat.").arg(outputs).arg(value)));
        auto built = anchorTx::buildFanout(**largest, outputs, value, setup->key, rate);
        if (!built)
            return CliContext::fail(built.error());
        auto sent = await<QString>([&](auto done) { backend->sendRawTransaction(built->tx.serialize(), done); });
        if (!sent)
            return CliContext::fail(sent.error());
        const QString txid = built->tx.txid().hex();
        QList<Utxo> created;
        for (int i = 0; i < built->tx.outputs.size(); ++i)
            created.append(Utxo{0,
                                txid,
                                std::uint32_t(i),
                                built->tx.outputs[i].value,
                                built->tx.outputs[i].script,
                                std::nullopt,
                                1,
                                {},
                                {}});
        if (auto r = store->recordMaintenanceSpend((*largest)->id, txid, created); !r)
            return CliContext::fail(r.error());
        CliContext::printJson({{QStringLiteral("txid"), txid},
                               {QStringLiteral("outputs"), outputs},
                               {QStringLiteral("value"), qint64(value)},
                               {QStringLiteral("fee"), qint64(built->fee)}});
        return 0;
    }
    return CliContext::fail(makeError(
        QStringLiteral("usage"),
        QStringLiteral("usage: userwallet-cli utxo stats | import FILE | sync | fanout --outputs N --value SAT")));
}

} // namespace uw::cli
