#pragma once

#include "models/RowTableModel.h"
#include "status/StatusSnapshot.h"

namespace uw::ui {

/// The latest anchors, newest first: transaction, state and confirmations. The state column's
/// Qt::UserRole is the raw state (queued, signed, broadcast, confirmed, failed).
class AnchorTableModel : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnchorTableModel)
public:
    enum Column
    {
        Transaction,
        State,
        Confirmations,
        ColumnCount
    };

    explicit AnchorTableModel(QObject* parent = nullptr);
    void setAnchors(const QList<AnchorEntry>& anchors);
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// An anchor's state said plainly (translated).
    static QString stateText(const QString& state);

protected:
    int size() const override { return int(m_anchors.size()); }

private:
    QList<AnchorEntry> m_anchors;
};

} // namespace uw::ui
