#pragma once

#include "anchor/AnchorStore.h"
#include "models/RowTableModel.h"

#include <QFont>

namespace uw::ui {

/// The files anchored from the Anchoring page, one row per digest: the file's name, its
/// SHA-256, where its anchor stands (waiting for its round, queued, signed, broadcast, confirmed
/// with the confirmation count, or failed with the reason) and the transaction. The State
/// column's Qt::UserRole is the raw state ("waiting" while the round is open, then the store's
/// word); the Digest and Transaction columns' Qt::UserRole is the whole digest or txid.
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

    struct Row
    {
        QString fileName;
        QString path;
        DigestStatus status;
    };

    explicit FileAnchorModel(QObject* parent = nullptr);

    /// Adds a row, or updates the row of the same digest; returns its row number.
    int upsert(const QString& fileName, const QString& path, const DigestStatus& status);
    /// The new status of a digest already listed (nothing if it is not).
    void update(const DigestStatus& status);
    int rowOf(const QString& digest) const;
    const Row& row(int r) const { return m_rows[r]; }
    const QList<Row>& rows() const { return m_rows; }
    /// Whether a row's anchor may still move (not confirmed deep enough, not failed).
    static bool isLive(const DigestStatus& status);

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
