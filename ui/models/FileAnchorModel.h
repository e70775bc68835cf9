#pragma once

#include "anchor/AnchorStore.h"
#include "models/AnchoredFileNames.h"
#include "models/RowTableModel.h"

#include <QDateTime>
#include <QFont>

namespace uw::ui {

/// The files anchored from the Anchoring page, one row per digest: the file's name, its
/// SHA-256, where its anchor stands (waiting for its round, queued, signed, broadcast, confirmed
/// with the confirmation count, or failed with the reason) and the transaction. The State
/// column's Qt::UserRole is the raw state ("waiting" while the round is open, then the store's
/// word; "saved" for a row read back from the name table whose anchor the core has not reported
/// yet, "missing" when the core does not know its digest); the Digest and Transaction columns'
/// Qt::UserRole is the whole digest or txid.
class FileAnchorModel : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileAnchorModel)
public:
    enum Column
    {
        File,
        Digest,
        State,
        Transaction,
        ColumnCount
    };

    /// Where a row's state comes from.
    enum class Standing
    {
        Live,    ///< the anchoring core reported it
        Saved,   ///< read back from the name table; the core has not reported it yet
        Missing, ///< the core does not know its digest (another anchor database?)
    };

    struct Row
    {
        QString fileName;
        QString path;
        DigestStatus status; ///< its digest always; the rest once Live
        QDateTime added;
        Standing standing = Standing::Live;
    };

    explicit FileAnchorModel(QObject* parent = nullptr);

    /// Adds a row, or updates the row of the same digest; returns its row number.
    int upsert(const QString& fileName, const QString& path, const DigestStatus& status, const QDateTime& added);
    /// The new status of a digest already listed (nothing if it is not).
    void update(const DigestStatus& status);
    /// The core does not know this digest.
    void markMissing(const QString& digest);
    /// Rows read back from the name table (after a restart), for digests not listed yet.
    void restore(const QList<AnchoredFileNames::Entry>& entries);
    /// The name table to save: every row, in the table's order.
    QList<AnchoredFileNames::Entry> entries() const;
    int rowOf(const QString& digest) const;
    const Row& row(int r) const { return m_rows[r]; }
    const QList<Row>& rows() const { return m_rows; }
    /// Whether a row's anchor may still move (not confirmed deep enough, not failed).
    static bool isLive(const DigestStatus& status);
    /// Whether the core should be asked about a row: its anchor may still move, or it has not told yet.
    static bool needsRefresh(const Row& row);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// Where a digest stands, said plainly (translated).
    static QString stateText(const DigestStatus& status);
    /// The raw word for the State column's Qt::UserRole.
    static QString stateWord(const DigestStatus& status);

protected:
    int size() const override { return int(m_rows.size()); }

private:
    QList<Row> m_rows;
};

} // namespace uw::ui
