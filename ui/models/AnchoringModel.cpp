#include "models/AnchoringModel.h"

#include "anchor/AnchorLog.h"
#include "anchor/AnchorProofs.h"
#include "anchor/AnchorRuntime.h"
#include "anchor/server/AnchorProfile.h"
#include "chain/ChainBackend.h"
#include "models/AnchoredFileNames.h"
#include "models/Background.h"
#include "models/FileAnchorModel.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace uw::ui {

namespace {

constexpr int kRefreshDelayMs = 200;       ///< runtime news within this delay make one refresh
constexpr int kProgressMs = 100;           ///< how often the hashing progress is shown
constexpr qint64 kChunk = 1 << 20;         ///< bytes read at a time while hashing
constexpr qint64 kMaxProofBytes = 1 << 20; ///< a .ots file larger than this is not read (proofs are ~1 KB)

struct OpenedWallet
{
    std::optional<btc::WalletKey> key;
    QString error;
};

struct Hashed
{
    QList<std::pair<QString, QString>> files; ///< path, digest (hex)
    QStringList errors;
    bool cancelled = false;
};

/// The name table's writes, one after another in the order asked (each writes the whole table:
/// the last one asked is the one left on disk). A process-wide pool, so that a write asked just
/// before its model goes still lands; its destruction at exit waits for it.
QThreadPool* namesPool()
{
    static QThreadPool pool;
    pool.setMaxThreadCount(1);
    return &pool;
}

QString sha256Hex(QFile& f)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    while (!f.atEnd()) {
        const QByteArray chunk = f.read(kChunk);
        if (chunk.isEmpty())
            break;
        h.addData(chunk);
    }
    return QString::fromLatin1(h.result().toHex());
}

} // namespace

struct AnchoringModel::HashJob
{
    std::atomic<bool> cancel{false};
    std::atomic<qint64> done{0};
    std::atomic<qint64> total{0};
    std::atomic<int> index{0};
    int count = 0;
    QStringList paths;
};

AnchoringModel::AnchoringModel(Profile profile, Settings settings, const Clock& clock, QObject* parent)
    : QObject(parent), m_profile(std::move(profile)), m_settings(std::move(settings)), m_clock(clock),
      m_files(new FileAnchorModel(this)), m_namesFile(AnchoredFileNames::fileIn(m_profile.dataDir())),
      m_netContext(new QObject)
{
    // The names of the files anchored in earlier sessions, read on a worker.
    runInBackground(
        namesPool(), this, [file = m_namesFile] { return AnchoredFileNames::load(file); },
        [this](const AnchoredFileNames::Loaded& loaded) {
            m_files->restore(loaded.entries);
            m_namesLoaded = true;
            m_namesWarning = loaded.warning;
            if (!loaded.warning.isEmpty())
                qCWarning(lcAnchor).noquote() << loaded.warning;
            Q_EMIT namesRestored(loaded.warning);
            if (m_namesDirty)
                saveNames();
            scheduleRefresh();
        });
    m_netThread.setObjectName(QStringLiteral("anchoring-checks"));
    m_netContext->moveToThread(&m_netThread);
    // Its backends (and their timers) end on their own thread, as it finishes.
    connect(&m_netThread, &QThread::finished, m_netContext, &QObject::deleteLater);
    m_netThread.start();
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &AnchoringModel::refresh);
    m_progressTimer.setInterval(kProgressMs);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        if (const auto job = m_hashJob) {
            const int i = std::min(job->index.load(), job->count - 1);
            Q_EMIT hashProgress(job->done, std::max<qint64>(1, job->total), i + 1, job->count,
                                QFileInfo(job->paths.value(i)).fileName());
        }
    });
    if (backendConfig().isConfigured())
        setStatus(Status::Locked, tr("The anchoring core starts once the identity is unlocked."));
    else
        setStatus(Status::NoNode, {});
}

AnchoringModel::~AnchoringModel()
{
    if (m_hashJob)
        m_hashJob->cancel = true;
    stopRuntime();
    m_netThread.quit();
    m_netThread.wait(); // the checks' backends were deleted there, as the thread finished
}

BackendConfig AnchoringModel::backendConfig() const
{
    return anchorBackend(m_settings);
}

QString AnchoringModel::address() const
{
    return m_key ? m_key->address() : QString();
}

void AnchoringModel::setStatus(Status status, const QString& text)
{
    m_status = status;
    m_statusText = text;
    Q_EMIT statusChanged(status, text);
}

void AnchoringModel::openWallet(std::shared_ptr<const SecretBytes> passphrase)
{
    const quint64 generation = ++m_walletGeneration;
    if (m_key) // already open (a second unlock attempt): nothing to ask
        return;
    const bool node = backendConfig().isConfigured();
    if (node)
        //: The anchoring wallet's key is being decrypted with the passphrase (a second or two).
        setStatus(Status::Opening, tr("Opening the anchoring wallet…"));
    runInBackground(
        this,
        [profile = m_profile, settings = m_settings, passphrase, node]() -> OpenedWallet {
            if (!node && !QFileInfo::exists(profile.anchorKeyFile()))
                return {}; // nothing to open; no key is created without a node to use it
            auto opened = openAnchorProfile(
                profile, settings, node ? AnchorWallet::IfMissing::Create : AnchorWallet::IfMissing::Refuse,
                [passphrase]() -> Result<SecretBytes> { return SecretBytes(QByteArray(passphrase->bytes())); });
            if (!opened)
                return {std::nullopt, opened.error().message};
            return {opened->key, {}};
        },
        [this, generation](OpenedWallet opened) {
            if (generation != m_walletGeneration || m_key)
                return;
            if (opened.key) {
                m_key = std::move(opened.key);
                maybeStart();
            } else if (!opened.error.isEmpty() && backendConfig().isConfigured()) {
                //: %1 says why the anchoring wallet's key could not be opened.
                setStatus(Status::Failed, tr("The anchoring wallet could not be opened: %1").arg(opened.error));
            }
        });
}

void AnchoringModel::setUnlocked()
{
    m_unlocked = true;
    maybeStart();
}

void AnchoringModel::setSettings(const Settings& settings)
{
    const BackendConfig before = backendConfig();
    const bool changed =
        before.bitcoinRpcUrl != settings.bitcoinRpcUrl || before.cookieFile != settings.bitcoinRpcCookie ||
        before.esploraUrl != settings.mempoolApiUrl || before.zmqHashblock != settings.bitcoinZmqHashblock ||
        m_settings.bitcoinNetwork != settings.bitcoinNetwork ||
        m_settings.roundIntervalSeconds != settings.roundIntervalSeconds ||
        m_settings.roundMaxDigests != settings.roundMaxDigests;
    m_settings = settings;
    if (!changed)
        return;
    stopRuntime();
    if (!backendConfig().isConfigured()) {
        setStatus(Status::NoNode, {});
        return;
    }
    if (!m_key) {
        //: A node was just configured, but the anchoring wallet's key needs the passphrase typed at unlock.
        setStatus(Status::Failed, tr("The node is saved. Lock and unlock again (restart the application) so "
                                     "that the anchoring wallet can be opened with your passphrase."));
        return;
    }
    maybeStart();
}

void AnchoringModel::maybeStart()
{
    if (m_runtime || !m_unlocked)
        return;
    const BackendConfig backend = backendConfig();
    if (!backend.isConfigured()) {
        setStatus(Status::NoNode, {});
        return;
    }
    if (!m_key)
        return; // openWallet() answers later
    AnchorRuntime::Config config{m_profile.anchorDatabase(), backend, *m_key,
                                 AnchorService::Options{m_settings.feeFloorSatPerVb}};
    // Rounds as the profile's settings say (anchoring/round_interval_seconds, round_max_digests).
    config.batchIntervalMs = m_settings.roundIntervalSeconds * 1000;
    config.batchMaxDigests = m_settings.roundMaxDigests;
    m_runtime = std::make_unique<AnchorRuntime>(config, m_clock);
    AnchorRuntime* rt = m_runtime.get();
    connect(rt, &AnchorRuntime::started, this, [this] {
        //: The anchoring core runs: %1 the node (its address), %2 the wallet's Bitcoin address.
        setStatus(Status::Running, tr("Anchoring with the node %1. Wallet address: %2")
                                       .arg(backendConfig().bitcoinRpcUrl.isValid()
                                                ? backendConfig().bitcoinRpcUrl.toString(QUrl::RemoveUserInfo)
                                                : backendConfig().esploraUrl.toString(QUrl::RemoveUserInfo),
                                            address()));
        scheduleRefresh();
    });
    connect(rt, &AnchorRuntime::failed, this, [this](const QString& why) {
        //: The anchoring core reported a problem; %1 says what.
        setStatus(m_status == Status::Running ? Status::Running : Status::Failed,
                  tr("The anchoring core reports: %1").arg(why));
    });
    connect(rt, &AnchorRuntime::anchorUpdated, this, &AnchoringModel::scheduleRefresh);
    connect(rt, &AnchorRuntime::tipChanged, this, &AnchoringModel::scheduleRefresh);
    connect(rt, &AnchorRuntime::chainSynced, this, &AnchoringModel::scheduleRefresh);
    connect(rt, &AnchorRuntime::roundClosed, this, &AnchoringModel::scheduleRefresh);
    //: The anchoring core opens its database and asks the node where the chain is.
    setStatus(Status::Starting, tr("Connecting to the node…"));
    rt->start();
}

void AnchoringModel::stopRuntime()
{
    m_refreshTimer.stop();
    if (m_syncing && m_runtime) { // its answer would come through the runtime, which goes
        m_runtime->cancelSync();
        m_syncing = false;
        //: A UTXO sync was running when the node's settings changed (or the application quit).
        Q_EMIT syncFinished(tr("The UTXO sync stopped with the anchoring core: nothing was imported."), true);
    }
    // The runtime's destructor ends its objects on their own thread and joins it (quick: nothing
    // on that thread waits on the network, its calls are asynchronous).
    m_runtime.reset();
}

void AnchoringModel::scheduleRefresh()
{
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void AnchoringModel::refresh()
{
    if (!m_runtime || m_status != Status::Running)
        return;
    for (const FileAnchorModel::Row& row : m_files->rows()) {
        if (!FileAnchorModel::needsRefresh(row))
            continue;
        m_runtime->status(row.status.digest, [this, digest = row.status.digest](std::optional<DigestStatus> st) {
            if (st)
                m_files->update(*st);
            else
                m_files->markMissing(digest);
        });
    }
}

QDateTime AnchoringModel::now() const
{
    return QDateTime::fromSecsSinceEpoch(m_clock.nowSeconds(), Qt::UTC);
}

void AnchoringModel::saveNames()
{
    if (!m_namesLoaded) {
        m_namesDirty = true; // never over the names of earlier sessions before they are read
        return;
    }
    m_namesDirty = false;
    runInBackground(
        namesPool(), this,
        [file = m_namesFile, entries = m_files->entries()] { return AnchoredFileNames::save(file, entries); },
        [this](const QString& error) {
            if (error.isEmpty())
                return;
            //: The list of anchored files' names could not be written; %1 the system's reason.
            const QString text =
                tr("The anchors are safe, but the files' names could not be saved for the next session: %1").arg(error);
            Q_EMIT message(text, true);
        });
}

void AnchoringModel::addFiles(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    if (!m_runtime || m_status != Status::Running) {
        //: Files were given while the anchoring core is not running.
        Q_EMIT message(tr("The anchoring core is not running; nothing was anchored."), true);
        return;
    }
    if (m_hashJob) {
        //: Files were given while others are still being read.
        Q_EMIT message(tr("Wait until the files being read are done, or cancel them."), true);
        return;
    }
    auto job = std::make_shared<HashJob>();
    job->paths = paths;
    job->count = int(paths.size());
    m_hashJob = job;
    m_progressTimer.start();
    runInBackground(
        this,
        [job]() -> Hashed {
            Hashed out;
            for (int i = 0; i < job->paths.size(); ++i) {
                job->index = i;
                job->done = 0;
                QFile f(job->paths[i]);
                if (!f.open(QIODevice::ReadOnly)) {
                    //: %1 a file's name, %2 why it cannot be read.
                    out.errors.append(
                        tr("%1 could not be read: %2").arg(QFileInfo(job->paths[i]).fileName(), f.errorString()));
                    continue;
                }
                job->total = f.size();
                QCryptographicHash h(QCryptographicHash::Sha256);
                bool readFailed = false;
                while (!f.atEnd()) {
                    if (job->cancel) {
                        out.cancelled = true;
                        return out;
                    }
                    const QByteArray chunk = f.read(kChunk);
                    if (chunk.isEmpty()) {
                        readFailed = f.error() != QFileDevice::NoError;
                        break;
                    }
                    h.addData(chunk);
                    job->done += chunk.size();
                }
                if (readFailed) {
                    out.errors.append(
                        tr("%1 could not be read: %2").arg(QFileInfo(job->paths[i]).fileName(), f.errorString()));
                    continue;
                }
                out.files.append({job->paths[i], QString::fromLatin1(h.result().toHex())});
            }
            return out;
        },
        [this, job](Hashed hashed) {
            if (m_hashJob == job) {
                m_hashJob.reset();
                m_progressTimer.stop();
                Q_EMIT hashProgress(0, 0, 0, 0, {});
            }
            for (const QString& e : std::as_const(hashed.errors))
                Q_EMIT message(e, true);
            if (hashed.cancelled) {
                //: The person cancelled the hashing of the files they added.
                Q_EMIT message(tr("Cancelled: nothing was anchored."), false);
                return;
            }
            submitHashed(hashed.files);
        });
}

void AnchoringModel::cancelHashing()
{
    if (m_hashJob)
        m_hashJob->cancel = true;
}

void AnchoringModel::syncUtxos()
{
    if (m_syncing)
        return;
    if (!m_runtime || m_status != Status::Running) {
        Q_EMIT syncFinished(tr("The anchoring core is not running: the UTXOs cannot be synced now."), true);
        return;
    }
    m_syncing = true;
    m_syncCancelled = false;
    Q_EMIT syncProgress(false, -1, 0);
    m_runtime->syncUtxos(
        [this](AnchorRuntime::SyncPhase phase, qint64 done, qint64 total) {
            if (m_syncing)
                Q_EMIT syncProgress(phase == AnchorRuntime::SyncPhase::Saving, done, total);
        },
        [this](Result<UtxoImportCounts> r) {
            if (!m_syncing)
                return;
            m_syncing = false;
            if (r) {
                scheduleRefresh();
                //: After a UTXO sync: %n new UTXOs, %1 already known.
                Q_EMIT syncFinished(
                    tr("%n UTXO(s) imported, %1 already known.", nullptr, r->added).arg(r->alreadyPresent), false);
            } else if (r.error().code == QLatin1String("cancelled") || m_syncCancelled) {
                //: The person cancelled the UTXO sync.
                Q_EMIT syncFinished(tr("Sync cancelled: the node's scan was stopped and nothing was imported."), false);
            } else {
                //: %1 says why the UTXO sync failed.
                Q_EMIT syncFinished(tr("The UTXO sync failed: %1").arg(r.error().message), true);
            }
        });
}

void AnchoringModel::cancelSync()
{
    if (!m_syncing || !m_runtime)
        return;
    m_syncCancelled = true;
    m_runtime->cancelSync();
}

void AnchoringModel::submitHashed(const QList<std::pair<QString, QString>>& hashed)
{
    if (hashed.isEmpty() || !m_runtime)
        return;
    // Known digests are shown where they stand; only the others are submitted (one round, one spend).
    auto pending = std::make_shared<int>(int(hashed.size()));
    auto fresh = std::make_shared<QList<std::pair<QString, QString>>>();
    auto finish = [this, pending, fresh] {
        if (--*pending > 0 || fresh->isEmpty() || !m_runtime)
            return;
        QStringList digests;
        for (const auto& [path, digest] : std::as_const(*fresh))
            if (!digests.contains(digest))
                digests.append(digest);
        m_runtime->submit(digests, [this, fresh](Result<QList<DigestStatus>> r) {
            if (!r) {
                //: The anchoring core refused the digests; %1 says why.
                Q_EMIT message(tr("The files were not anchored: %1").arg(r.error().message), true);
                return;
            }
            for (const DigestStatus& st : std::as_const(*r))
                for (const auto& [path, digest] : std::as_const(*fresh))
                    if (digest == st.digest) {
                        m_files->upsert(QFileInfo(path).fileName(), path, st, now());
                        break;
                    }
            saveNames();
            //: %n files were hashed and their digests are committed to the next round.
            Q_EMIT message(tr("%n file(s) accepted: their anchor follows in the next round.", nullptr, int(r->size())),
                           false);
            scheduleRefresh();
        });
    };
    for (const auto& [path, digest] : hashed) {
        const QString name = QFileInfo(path).fileName();
        if (const int row = m_files->rowOf(digest); row >= 0) {
            Q_EMIT existingAnchor(row, name);
            finish();
            continue;
        }
        m_runtime->status(digest, [this, path, digest, name, fresh, finish](std::optional<DigestStatus> st) {
            if (st) {
                Q_EMIT existingAnchor(m_files->upsert(name, path, *st, now()), name);
                saveNames();
            } else {
                fresh->append({path, digest});
            }
            finish();
        });
    }
}

void AnchoringModel::exportProof(const QString& digest, const QString& path)
{
    if (!m_runtime) {
        Q_EMIT proofExported(path, tr("The anchoring core is not running."));
        return;
    }
    m_runtime->proof(digest, [this, path](Result<QByteArray> proof) {
        if (!proof) {
            Q_EMIT proofExported(path, proof.error().message);
            return;
        }
        runInBackground(
            this,
            [bytes = *proof, path]() -> QString {
                QSaveFile f(path);
                if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
                    return f.errorString();
                return {};
            },
            [this, path](const QString& error) { Q_EMIT proofExported(path, error); });
    });
}

template <typename Work> void AnchoringModel::onNetworkThread(const BackendConfig& config, Work work)
{
    QMetaObject::invokeMethod(m_netContext, [ctx = m_netContext, config, work = std::move(work)]() mutable {
        std::unique_ptr<ChainBackend> owned = makeBackend(config);
        ChainBackend* backend = owned.release();
        if (backend)
            backend->setParent(ctx); // ends with the thread if it is still busy then
        work(backend);
    });
}

void AnchoringModel::testConnection(const BackendConfig& backend)
{
    if (!backend.isConfigured()) {
        //: Test connection, with neither a Bitcoin Core URL nor an Esplora URL filled in.
        Q_EMIT connectionTested(false, tr("Fill in a Bitcoin Core RPC URL or an Esplora URL first."));
        return;
    }
    onNetworkThread(backend, [this](ChainBackend* b) {
        b->nodeInfo([this, b](Result<QJsonObject> info) {
            b->deleteLater();
            bool ok = false;
            QString sentence;
            if (!info) {
                //: Test connection failed; %1 the node's or the network's error.
                sentence = tr("The node did not answer: %1").arg(info.error().message);
            } else {
                const QJsonObject chain = info->value(QStringLiteral("blockchain")).toObject();
                const int height = chain.value(QStringLiteral("blocks")).toInt(-1);
                const QString name = chain.value(QStringLiteral("chain")).toString();
                ok = true;
                sentence = name.isEmpty()
                               //: Test connection succeeded (Esplora: no chain name); %1 the block height.
                               ? tr("Connected: the node is at height %1.").arg(height)
                               //: Test connection succeeded; %1 the chain (main, signet...), %2 the block height.
                               : tr("Connected: chain %1, height %2.").arg(name).arg(height);
            }
            QMetaObject::invokeMethod(this, [this, ok, sentence] { Q_EMIT connectionTested(ok, sentence); });
        });
    });
}

void AnchoringModel::verify(const QString& document, const QString& proofFile)
{
    const BackendConfig backend = backendConfig();
    if (!backend.isConfigured()) {
        //: Verify a file, while no node is configured.
        Q_EMIT verified(false, tr("A proof is checked against a Bitcoin node: configure one in Settings first."));
        return;
    }
    auto network = btc::parseNetwork(m_settings.bitcoinNetwork, m_settings.allowMainnet);
    if (!network) {
        Q_EMIT verified(false, network.error().message);
        return;
    }
    struct Read
    {
        QString digest;
        QByteArray proof;
        QString error;
    };
    runInBackground(
        this,
        [document, proofFile]() -> Read {
            QFile doc(document);
            if (!doc.open(QIODevice::ReadOnly))
                return {{}, {}, tr("%1 could not be read: %2").arg(QFileInfo(document).fileName(), doc.errorString())};
            const QString digest = sha256Hex(doc);
            QFile ots(proofFile);
            if (!ots.open(QIODevice::ReadOnly))
                return {{}, {}, tr("%1 could not be read: %2").arg(QFileInfo(proofFile).fileName(), ots.errorString())};
            if (ots.size() > kMaxProofBytes)
                //: A .ots file far larger than any proof; %1 its name.
                return {{}, {}, tr("%1 is too large to be a proof.").arg(QFileInfo(proofFile).fileName())};
            return {digest, ots.readAll(), {}};
        },
        [this, backend, net = *network, document](Read read) {
            if (!read.error.isEmpty()) {
                Q_EMIT verified(false, read.error);
                return;
            }
            const QString name = QFileInfo(document).fileName();
            onNetworkThread(backend, [this, read, net, name](ChainBackend* b) {
                AnchorProofs::verify(
                    read.proof, read.digest, b, net, [this, b, name](Result<AnchorProofs::Verified> v) {
                        b->deleteLater();
                        bool ok = bool(v);
                        QString sentence;
                        if (v) {
                            //: A proof holds: %1 the file, %2 the block height, %3 the block hash, %4 the network.
                            sentence = tr("The proof commits to %1: it is in block %2 (%3) of %4, as the node says.")
                                           .arg(name)
                                           .arg(v->height)
                                           .arg(v->blockHash, v->network);
                        } else if (v.error().code == QLatin1String("ots_other_digest")) {
                            //: A proof for another file; %1 the file chosen.
                            sentence = tr("This proof is not for %1: it commits to another document.").arg(name);
                        } else if (v.error().code == QLatin1String("ots_not_in_block")) {
                            sentence = tr("The proof does not hold: it does not lead to the block the node has at "
                                          "that height (%1).")
                                           .arg(v.error().message);
                        } else if (v.error().code == QLatin1String("ots_other_network")) {
                            sentence =
                                tr("The proof names another network than this node's: %1").arg(v.error().message);
                        } else if (v.error().code.startsWith(QLatin1String("ots_"))) {
                            //: The .ots file is not a valid proof; %1 says what is wrong with it.
                            sentence = tr("This is not a valid proof: %1").arg(v.error().message);
                        } else {
                            //: The node could not be asked; %1 its error.
                            sentence = tr("The proof could not be checked against the node: %1").arg(v.error().message);
                        }
                        QMetaObject::invokeMethod(this, [this, ok, sentence] { Q_EMIT verified(ok, sentence); });
                    });
            });
        });
}

} // namespace uw::ui
