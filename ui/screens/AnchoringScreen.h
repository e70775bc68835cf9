#pragma once

#include "models/AnchoringModel.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace uw::ui {

class ReadOnlyTable;

/// Anchoring files in Bitcoin: add files (button or drag-and-drop, several at once), each hashed
/// on this computer (only its SHA-256 leaves it), its anchor followed live in a table (state,
/// confirmations, transaction), its .ots proof exported once confirmed; "Verify a file…" checks a
/// document against a .ots proof and the node. Without a node it says so and points to Settings.
class AnchoringScreen : public QWidget
{
    Q_OBJECT
public:
    AnchoringScreen(AnchoringModel* model, QWidget* parent = nullptr);

    // What the buttons do once their dialogs are answered (tests and drag-and-drop use them too).
    void addFiles(const QStringList& paths);
    void verifyFile(const QString& document, const QString& proofFile);
    /// "Sync UTXOs": the wallet's coins from the node, with a progress bar and Cancel.
    void syncUtxos();
    void exportProof(int row, const QString& path);

Q_SIGNALS:
    /// The person follows the link to the node's settings.
    void settingsRequested();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void showStatus(AnchoringModel::Status status, const QString& text);
    void showSyncProgress(bool saving, qint64 done, qint64 total);
    void showMessage(const QString& text, bool error);
    void showNamesWarning(const QString& text);
    void updateActions();
    int selectedRow() const;
    void chooseFiles();
    void chooseVerify();
    void chooseExport();
    void copyTxid();

    AnchoringModel* m_model;
    QLabel* m_status;
    QLabel* m_namesWarning;
    QPushButton* m_add;
    QPushButton* m_verify;
    QWidget* m_progressRow;
    QProgressBar* m_progress;
    QLabel* m_progressLabel;
    QPushButton* m_cancel;
    QPushButton* m_sync;
    QWidget* m_syncRow;
    QProgressBar* m_syncProgress;
    QLabel* m_syncLabel;
    QPushButton* m_syncCancel;
    ReadOnlyTable* m_table;
    QLabel* m_empty;
    QPushButton* m_copy;
    QPushButton* m_export;
    QLabel* m_message;
    QLabel* m_verifyResult;
    bool m_exporting = false; ///< a proof is being written: Export waits for its answer
};

} // namespace uw::ui
