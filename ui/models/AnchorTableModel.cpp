#include "models/AnchorTableModel.h"

namespace uw::ui {

AnchorTableModel::AnchorTableModel(QObject* parent)
    : RowTableModel(
          {
              //: Column title: the Bitcoin transaction id of an anchor.
              tr("Transaction"),
              //: Column title: where an anchor is (queued, in the mempool, confirmed...).
              tr("State"),
              //: Column title: the number of blocks on top of an anchor's transaction, its own included.
              tr("Confirmations"),
          },
          parent)
{}

void AnchorTableModel::setAnchors(const QList<AnchorEntry>& anchors)
{
    replaceRows(m_anchors, anchors);
}

QString AnchorTableModel::stateText(const QString& state)
{
    if (state == QLatin1String("queued"))
        //: An anchor waiting for its transaction.
        return tr("queued");
    if (state == QLatin1String("signed"))
        //: An anchor whose transaction is signed but not yet given to the Bitcoin node.
        return tr("signed, not yet sent");
    if (state == QLatin1String("broadcast"))
        //: An anchor whose transaction waits in the node's mempool for a block.
        return tr("in the mempool");
    if (state == QLatin1String("confirmed"))
        //: An anchor whose transaction is in a block.
        return tr("confirmed");
    if (state == QLatin1String("failed"))
        //: An anchor that will not be retried.
        return tr("failed");
    return state;
}

QVariant AnchorTableModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index))
        return {};
    const AnchorEntry& a = m_anchors[index.row()];
    if (role == Qt::UserRole && index.column() == State)
        return a.state;
    if (role == SortRole && index.column() == Confirmations)
        return a.confirmations ? qint64(*a.confirmations) : qint64(-1); // not in a block: below zero
    if (role == Qt::TextAlignmentRole && index.column() == Confirmations)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == Transaction)
        //: Tooltip on an anchor's transaction: the document digest it anchors.
        return tr("Digest %1").arg(a.digest);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Transaction:
        return a.txid;
    case State:
        return stateText(a.state);
    case Confirmations:
        return a.confirmations ? QString::number(*a.confirmations) : QString();
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace uw::ui
