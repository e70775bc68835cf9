#pragma once

#include "bitcoin/WalletKey.h"
#include "chain/BackendConfig.h"
#include "config/Settings.h"
#include "crypto/SecretKey.h"
#include "identity/Profile.h"
#include "util/Clock.h"

#include <QDateTime>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <memory>
#include <optional>

namespace uw {
class AnchorRuntime;
}

namespace uw::ui {

class FileAnchorModel;

/// The desktop's anchoring: the AnchorRuntime (the anchoring core on its own thread, the only
/// writer of the profile's anchor database while the application runs), the files anchored
/// from the Anchoring page, their proofs, and the checks that need the node (a proof, the
/// connection). Files are hashed on a worker, the node is reached from the runtime's thread or
/// this model's network thread: the GUI thread never waits. It never opens a dialog.
class AnchoringModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnchoringModel)
public:
    enum class Status
    {
        NoNode,   ///< no node in the settings: nothing runs
        Locked,   ///< waiting for the unlock (the wallet key needs the passphrase)
        Opening,  ///< the wallet key is being opened (Argon2id)
        Starting, ///< the runtime opens its database and asks the node
        Running,
        Failed, ///< statusText() says why
    };
    Q_ENUM(Status)

    AnchoringModel(Profile profile, Settings settings, const Clock& clock, QObject* parent = nullptr);
    /// Stops the runtime cleanly (its thread closes the database and ends).
    ~AnchoringModel() override;

    /// At unlock: opens the anchoring wallet key with the passphrase the person typed, on a
    /// worker (created with it when a node is configured and the profile has none yet). The
    /// passphrase is dropped (wiped) as soon as the key is open or refused.
    void openWallet(std::shared_ptr<const SecretBytes> passphrase);
    /// The identity is unlocked: the runtime starts once the wallet key is open and a node is set.
    void setUnlocked();
    /// New settings: a change of node (or network) restarts the runtime with it.
    void setSettings(const Settings& settings);

    Status status() const { return m_status; }
    QString statusText() const { return m_statusText; }
    /// The wallet's address (where to send coins that pay for anchors), once the key is open.
    QString address() const;
    FileAnchorModel* files() const { return m_files; }
    /// Why the names of files anchored in earlier sessions could not be read back (empty when
    /// they were, or there were none). The page still works: new names are kept from then on.
    QString namesWarning() const { return m_namesWarning; }
    /// Whether the name table has been read (rows of earlier sessions listed).
    bool namesLoaded() const { return m_namesLoaded; }
    AnchorRuntime* runtime() const { return m_runtime.get(); }

    /// Hashes the files (SHA-256, on a worker, one after another) and submits their digests into
    /// the open round. A digest the store already holds is not submitted again: existingAnchor()
    /// names its row. Progress: hashProgress().
    void addFiles(const QStringList& paths);
    void cancelHashing();
    bool isHashing() const { return m_hashJob != nullptr; }
    /// Imports the wallet's UTXOs from the node (the node's scan of its UTXO set, then one
    /// transaction): syncProgress() as it goes, syncFinished() at the end.
    void syncUtxos();
    /// The node's scan is aborted, or the import rolled back: nothing is imported.
    void cancelSync();
    bool isSyncing() const { return m_syncing; }
    /// Writes the .ots proof of a confirmed digest to `path` (QSaveFile, on a worker).
    void exportProof(const QString& digest, const QString& path);
    /// Checks a .ots proof against `document` and the node, off the GUI thread: verified() answers.
    void verify(const QString& document, const QString& proofFile);
    /// One real call to the node `backend` names (its chain and height): connectionTested() answers.
    void testConnection(const BackendConfig& backend);

Q_SIGNALS:
    void statusChanged(uw::ui::AnchoringModel::Status status, const QString& text);
    /// Hashing: `done` of `total` bytes, in file `index` (1-based) of `count`; `total` 0 when it ends.
    void hashProgress(qint64 done, qint64 total, int index, int count, const QString& fileName);
    /// A UTXO sync: the node's scan (`saving` false: `done` percent of `total` 100, or -1 of 0
    /// while the node gives no figure), then the UTXOs saved (`done` of `total`).
    void syncProgress(bool saving, qint64 done, qint64 total);
    /// The sync ended: what it did, or why not (cancelled, the node's refusal...).
    void syncFinished(const QString& sentence, bool error);
    /// A file whose digest was already anchored (or waiting): its row, instead of a new anchor.
    void existingAnchor(int row, const QString& fileName);
    /// Something to tell the person (a file that could not be read, a refused submission...).
    void message(const QString& text, bool error);
    /// `error` is empty when the proof reached the disk.
    void proofExported(const QString& path, const QString& error);
    void verified(bool ok, const QString& sentence);
    void connectionTested(bool ok, const QString& sentence);
    /// The name table was read (namesWarning() says whether something was wrong with it).
    void namesRestored(const QString& warning);

private:
    struct HashJob;
    void setStatus(Status status, const QString& text);
    void maybeStart();
    void stopRuntime();
    void scheduleRefresh();
    void refresh();
    void submitHashed(const QList<std::pair<QString, QString>>& hashed);
    /// Writes the name table (on the names' own worker, one write after another).
    void saveNames();
    QDateTime now() const;
    /// Runs `work(backend)` on the network thread with a fresh backend for `config`, deleted after.
    template <typename Work> void onNetworkThread(const BackendConfig& config, Work work);
    BackendConfig backendConfig() const;

    Profile m_profile;
    Settings m_settings;
    const Clock& m_clock;
    std::optional<btc::WalletKey> m_key;
    bool m_unlocked = false;
    quint64 m_walletGeneration = 0;
    Status m_status = Status::NoNode;
    QString m_statusText;
    std::unique_ptr<AnchorRuntime> m_runtime;
    FileAnchorModel* m_files;
    QString m_namesFile;
    bool m_namesLoaded = false;
    bool m_namesDirty = false; ///< a change came before the table was read: saved once it is
    QString m_namesWarning;
    QTimer m_refreshTimer;
    QTimer m_progressTimer;
    std::shared_ptr<HashJob> m_hashJob;
    bool m_syncing = false;
    bool m_syncCancelled = false;
    QThread m_netThread;
    QObject* m_netContext; ///< lives on m_netThread; the backends of checks are its children
};

} // namespace uw::ui
