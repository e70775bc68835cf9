#include "screens/AnchoringScreen.h"

#include "models/FileAnchorModel.h"
#include "widgets/ReadOnlyTable.h"
#include "widgets/StateColours.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace uw::ui {

namespace {

/// The local files a drag carries (nothing if any of them is not a local file).
QStringList localFiles(const QMimeData* mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return {};
    const QList<QUrl> urls = mime->urls();
    for (const QUrl& u : urls) {
        if (!u.isLocalFile() || !QFileInfo(u.toLocalFile()).isFile())
            return {};
        paths.append(u.toLocalFile());
    }
    return paths;
}

} // namespace

AnchoringScreen::AnchoringScreen(AnchoringModel* model, QWidget* parent) : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("anchoringScreen"));
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Anchoring"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    //: The Anchoring page's introduction.
    auto* intro = new QLabel(tr("Anchoring proves that a file existed at a given time: its SHA-256 fingerprint is "
                                "written into the Bitcoin blockchain. Files are read on this computer; only their "
                                "fingerprints leave it. Drop files here or add them."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("anchoringStatusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);
    m_status->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(m_status, &QLabel::linkActivated, this, [this] { Q_EMIT settingsRequested(); });
    layout->addWidget(m_status);

    auto* actions = new QHBoxLayout;
    m_add = new QPushButton(tr("Add files…"), this);
    m_add->setObjectName(QStringLiteral("addFilesButton"));
    m_verify = new QPushButton(tr("Verify a file…"), this);
    m_verify->setObjectName(QStringLiteral("verifyFileButton"));
    //: Tooltip of "Verify a file…".
    m_verify->setToolTip(tr("Check that a .ots proof commits to a document, against the node."));
    //: Imports the anchoring wallet's coins from the node (it scans its whole UTXO set: minutes on mainnet).
    m_sync = new QPushButton(tr("Sync UTXOs"), this);
    m_sync->setObjectName(QStringLiteral("syncUtxosButton"));
    //: Tooltip of "Sync UTXOs".
    m_sync->setToolTip(tr("Find the coins that pay the anchoring wallet on the node and add them to its list."));
    actions->addWidget(m_add);
    actions->addWidget(m_verify);
    actions->addWidget(m_sync);
    actions->addStretch();
    layout->addLayout(actions);

    // A step that takes time: its words, its bar and its Cancel button on one line, hidden until
    // it runs. The widgets are named "<step>ProgressLabel", "<step>ProgressBar" and `cancelName`.
    auto progressRow = [this, layout](const QString& step, const QString& cancelName, QLabel*& label,
                                      QProgressBar*& bar, QPushButton*& cancel) {
        auto* row = new QWidget(this);
        auto* line = new QHBoxLayout(row);
        line->setContentsMargins(0, 0, 0, 0);
        label = new QLabel(row);
        label->setObjectName(step + QStringLiteral("ProgressLabel"));
        bar = new QProgressBar(row);
        bar->setObjectName(step + QStringLiteral("ProgressBar"));
        cancel = new QPushButton(tr("Cancel"), row);
        cancel->setObjectName(cancelName);
        line->addWidget(label);
        line->addWidget(bar, 1);
        line->addWidget(cancel);
        row->hide();
        layout->addWidget(row);
        return row;
    };
    m_syncRow = progressRow(QStringLiteral("sync"), QStringLiteral("cancelSyncButton"), m_syncLabel, m_syncProgress,
                            m_syncCancel);
    m_progressRow =
        progressRow(QStringLiteral("hash"), QStringLiteral("cancelHashButton"), m_progressLabel, m_progress, m_cancel);
    m_progress->setRange(0, 1000);

    // The names of earlier sessions' files could not be read back: said above the table, where
    // their rows would be.
    m_namesWarning = new QLabel(this);
    m_namesWarning->setObjectName(QStringLiteral("anchoringNamesWarningLabel"));
    m_namesWarning->setWordWrap(true);
    m_namesWarning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_namesWarning->setStyleSheet(
        QStringLiteral("color: %1;").arg(stateColour(StateColour::Error, QApplication::palette()).name()));
    layout->addWidget(m_namesWarning);
    showNamesWarning(model->namesWarning());

    m_table = new ReadOnlyTable(model->files(), FileAnchorModel::File, QStringLiteral("fileAnchorsTable"), this);
    //: Accessible name of the table of the files anchored in Bitcoin.
    m_table->setAccessibleName(tr("Anchored files"));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    layout->addWidget(m_table, 1);
    //: Shown instead of the table while no file was anchored from this profile.
    m_empty = new QLabel(tr("No file anchored yet. Drop files on this page, or use “Add files…”."), this);
    m_empty->setObjectName(QStringLiteral("anchoringEmptyLabel"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setStyleSheet(QStringLiteral("color: palette(mid); padding: 24px;"));
    layout->addWidget(m_empty, 1);

    auto* rowActions = new QHBoxLayout;
    m_copy = new QPushButton(tr("Copy transaction id"), this);
    m_copy->setObjectName(QStringLiteral("copyTxidButton"));
    m_export = new QPushButton(tr("Export proof…"), this);
    m_export->setObjectName(QStringLiteral("exportProofButton"));
    //: Tooltip of "Export proof…".
    m_export->setToolTip(tr("Save the OpenTimestamps proof (.ots) of the selected file; available once confirmed."));
    rowActions->addWidget(m_copy);
    rowActions->addWidget(m_export);
    rowActions->addStretch();
    layout->addLayout(rowActions);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("anchoringMessageLabel"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);
    m_verifyResult = new QLabel(this);
    m_verifyResult->setObjectName(QStringLiteral("verifyResultLabel"));
    m_verifyResult->setWordWrap(true);
    m_verifyResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_verifyResult);

    connect(m_add, &QPushButton::clicked, this, &AnchoringScreen::chooseFiles);
    connect(m_verify, &QPushButton::clicked, this, &AnchoringScreen::chooseVerify);
    connect(m_export, &QPushButton::clicked, this, &AnchoringScreen::chooseExport);
    connect(m_copy, &QPushButton::clicked, this, &AnchoringScreen::copyTxid);
    connect(m_cancel, &QPushButton::clicked, model, &AnchoringModel::cancelHashing);
    connect(m_sync, &QPushButton::clicked, this, &AnchoringScreen::syncUtxos);
    connect(m_syncCancel, &QPushButton::clicked, this, [this] {
        m_syncCancel->setEnabled(false);
        //: After Cancel, until the node confirms that its scan stopped.
        m_syncLabel->setText(tr("Cancelling: stopping the node's scan…"));
        m_model->cancelSync();
    });
    connect(model, &AnchoringModel::syncProgress, this, &AnchoringScreen::showSyncProgress);
    connect(model, &AnchoringModel::syncFinished, this, [this](const QString& sentence, bool error) {
        m_syncRow->hide();
        m_sync->setEnabled(m_model->status() == AnchoringModel::Status::Running);
        showMessage(sentence, error);
    });
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        updateActions();
        QMenu menu(this);
        menu.addAction(m_copy->text(), this, &AnchoringScreen::copyTxid)->setEnabled(m_copy->isEnabled());
        menu.addAction(m_export->text(), this, &AnchoringScreen::chooseExport)->setEnabled(m_export->isEnabled());
        menu.exec(m_table->viewport()->mapToGlobal(at));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AnchoringScreen::updateActions);
    auto* files = model->files();
    connect(files, &QAbstractItemModel::dataChanged, this, &AnchoringScreen::updateActions);
    connect(files, &QAbstractItemModel::rowsInserted, this, &AnchoringScreen::updateActions);
    connect(files, &QAbstractItemModel::modelReset, this, &AnchoringScreen::updateActions);
    connect(model, &AnchoringModel::statusChanged, this, &AnchoringScreen::showStatus);
    connect(model, &AnchoringModel::message, this, &AnchoringScreen::showMessage);
    connect(model, &AnchoringModel::namesRestored, this, &AnchoringScreen::showNamesWarning);
    connect(model, &AnchoringModel::hashProgress, this,
            [this](qint64 done, qint64 total, int index, int count, const QString& name) {
                m_progressRow->setVisible(total > 0);
                if (total <= 0)
                    return;
                m_progress->setValue(int(done * 1000 / total));
                //: Hashing progress: %1 the file's name, %2 its number, %3 how many files.
                m_progressLabel->setText(tr("Reading %1 (%2 of %3)…").arg(name).arg(index).arg(count));
            });
    connect(model, &AnchoringModel::existingAnchor, this, [this](int row, const QString& name) {
        m_table->selectRow(row);
        m_table->scrollTo(m_model->files()->index(row, 0));
        //: A file dropped again: %1 its name. Its anchor is selected in the table; nothing is spent.
        showMessage(tr("%1 is already anchored: its anchor is selected, nothing new is spent.").arg(name), false);
    });
    connect(model, &AnchoringModel::proofExported, this, [this](const QString& path, const QString& error) {
        m_exporting = false;
        updateActions();
        if (error.isEmpty())
            //: %1 the path of the .ots file written.
            showMessage(tr("Proof saved to %1.").arg(QDir::toNativeSeparators(path)), false);
        else
            //: %1 says why the proof could not be saved.
            showMessage(tr("The proof was not saved: %1").arg(error), true);
    });
    connect(model, &AnchoringModel::verified, this, [this](bool ok, const QString& sentence) {
        m_verifyResult->setStyleSheet(QStringLiteral("color: %1;")
                                          .arg(ok ? stateColour(StateColour::Good, QApplication::palette()).name()
                                                  : stateColour(StateColour::Error, QApplication::palette()).name()));
        m_verifyResult->setText(sentence);
        m_verify->setEnabled(true);
    });
    showStatus(model->status(), model->statusText());
}

void AnchoringScreen::showStatus(AnchoringModel::Status status, const QString& text)
{
    const bool running = status == AnchoringModel::Status::Running;
    if (status == AnchoringModel::Status::NoNode) {
        //: No node configured; the link opens the Settings page (keep the <a> tags).
        m_status->setText(tr("No Bitcoin node is configured: anchoring needs one to publish and check anchors. "
                             "<a href=\"settings\">Configure a node in Settings</a>."));
    } else {
        const bool bad = status == AnchoringModel::Status::Failed;
        m_status->setText(QStringLiteral("<span style=\"color:%1\">%2</span>")
                              .arg(bad ? stateColour(StateColour::Error, QApplication::palette()).name()
                                       : QStringLiteral("palette(text)"),
                                   text.toHtmlEscaped()));
    }
    m_add->setEnabled(running);
    m_sync->setEnabled(running && !m_model->isSyncing());
    setAcceptDrops(running);
    m_verify->setEnabled(status != AnchoringModel::Status::NoNode);
    updateActions();
}

void AnchoringScreen::syncUtxos()
{
    showMessage({}, false);
    m_sync->setEnabled(false);
    m_syncCancel->setEnabled(true);
    m_model->syncUtxos();
}

void AnchoringScreen::showSyncProgress(bool saving, qint64 done, qint64 total)
{
    if (!m_syncCancel->isEnabled())
        return; // cancelling: the label says so until the end
    m_syncRow->show();
    if (total <= 0) { // no figure yet: a busy bar
        m_syncProgress->setRange(0, 0);
        //: The node is asked for the wallet's coins; it gives no progress figure (yet).
        m_syncLabel->setText(tr("Asking the node for the wallet's UTXOs…"));
        return;
    }
    const int percent = int(done * 100 / total);
    m_syncProgress->setRange(0, 100);
    m_syncProgress->setValue(percent);
    if (saving)
        //: %L1 how many UTXOs are written into the wallet's database, %2 the percentage done.
        m_syncLabel->setText(tr("Saving %L1 UTXOs… %2 %").arg(total).arg(percent));
    else
        //: The node walks its whole UTXO set (minutes on mainnet); %1 the percentage done.
        m_syncLabel->setText(tr("Scanning the node's UTXO set… %1 %").arg(percent));
}

void AnchoringScreen::showNamesWarning(const QString& text)
{
    m_namesWarning->setText(text);
    m_namesWarning->setVisible(!text.isEmpty());
}

void AnchoringScreen::showMessage(const QString& text, bool error)
{
    m_message->setStyleSheet(
        error ? QStringLiteral("color: %1;").arg(stateColour(StateColour::Error, QApplication::palette()).name())
              : QString());
    m_message->setText(text);
}

int AnchoringScreen::selectedRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void AnchoringScreen::updateActions()
{
    const int row = selectedRow();
    const auto* files = m_model->files();
    const bool any = files->rowCount() > 0;
    m_table->setVisible(any);
    m_empty->setVisible(!any);
    const DigestStatus* st = row >= 0 ? &files->row(row).status : nullptr;
    m_copy->setEnabled(st && !st->txid.isEmpty());
    m_export->setEnabled(st && st->state == AnchorState::Confirmed && !m_exporting &&
                         m_model->status() == AnchoringModel::Status::Running);
}

void AnchoringScreen::addFiles(const QStringList& paths)
{
    showMessage({}, false);
    m_model->addFiles(paths);
}

void AnchoringScreen::verifyFile(const QString& document, const QString& proofFile)
{
    m_verifyResult->setStyleSheet(QString());
    //: While a proof is checked against the node.
    m_verifyResult->setText(tr("Checking the proof of %1…").arg(QFileInfo(document).fileName()));
    m_verify->setEnabled(false);
    m_model->verify(document, proofFile);
}

void AnchoringScreen::exportProof(int row, const QString& path)
{
    if (row < 0 || row >= m_model->files()->rowCount())
        return;
    const FileAnchorModel::Row& r = m_model->files()->row(row);
    m_exporting = true;
    updateActions();
    //: While a .ots proof is built: the node's block is fetched first. %1 the file's name (or digest).
    showMessage(tr("Writing the proof of %1: asking the node for its block…")
                    .arg(r.fileName.isEmpty() ? r.status.digest.left(16) : r.fileName),
                false);
    m_model->exportProof(r.status.digest, path);
}

void AnchoringScreen::chooseFiles()
{
    //: File dialog title.
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Files to anchor"));
    addFiles(paths);
}

void AnchoringScreen::chooseVerify()
{
    //: File dialog title: the document whose proof is checked.
    const QString doc = QFileDialog::getOpenFileName(this, tr("Document to verify"));
    if (doc.isEmpty())
        return;
    //: File dialog title: its .ots proof. The filter names OpenTimestamps proofs.
    const QString ots = QFileDialog::getOpenFileName(this, tr("Its proof"), QFileInfo(doc).absolutePath(),
                                                     tr("OpenTimestamps proofs (*.ots);;All files (*)"));
    if (ots.isEmpty())
        return;
    verifyFile(doc, ots);
}

void AnchoringScreen::chooseExport()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const FileAnchorModel::Row& r = m_model->files()->row(row);
    const QString suggested =
        r.path.isEmpty() ? r.status.digest + QStringLiteral(".ots") : r.path + QStringLiteral(".ots");
    //: File dialog title.
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the proof"), suggested,
                                                      tr("OpenTimestamps proofs (*.ots);;All files (*)"));
    if (!path.isEmpty())
        exportProof(row, path);
}

void AnchoringScreen::copyTxid()
{
    const int row = selectedRow();
    if (row < 0 || m_model->files()->row(row).status.txid.isEmpty())
        return;
    QApplication::clipboard()->setText(m_model->files()->row(row).status.txid);
    //: The transaction id was copied to the clipboard.
    showMessage(tr("Transaction id copied."), false);
}

void AnchoringScreen::dragEnterEvent(QDragEnterEvent* event)
{
    if (!localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void AnchoringScreen::dropEvent(QDropEvent* event)
{
    const QStringList paths = localFiles(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addFiles(paths);
}

} // namespace uw::ui
