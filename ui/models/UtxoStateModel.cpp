#include "models/UtxoStateModel.h"

#include <QLocale>

namespace uw::ui {

namespace {

QString stateText(const QString& state)
{
    if (state == QLatin1String("unspent"))
        //: UTXOs of the anchoring wallet that can pay for an anchor.
        return UtxoStateModel::tr("Unspent");
    if (state == QLatin1String("locked"))
        //: UTXOs of the anchoring wallet reserved by an anchor being built.
        return UtxoStateModel::tr("Locked");
    if (state == QLatin1String("spent_unconfirmed"))
        //: UTXOs spent by a transaction that is not in a block yet.
        return UtxoStateModel::tr("Spent, unconfirmed");
    if (state == QLatin1String("spent"))
        //: UTXOs spent by a transaction in a block.
        return UtxoStateModel::tr("Spent");
    return state;
}

} // namespace

UtxoStateModel::UtxoStateModel(QObject* parent)
    : RowTableModel(
          {
              //: Column title: the state of the anchoring wallet's UTXOs (unspent, locked...).
              tr("UTXOs"),
              //: Column title: how many UTXOs are in this state.
              tr("Count"),
              //: Column title: the value of the UTXOs in this state, in bitcoins.
              tr("Value (BTC)"),
          },
          parent)
{}

void UtxoStateModel::setStates(const QList<UtxoStateFigures>& states)
{
    replaceRows(m_states, states);
}

QVariant UtxoStateModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index))
        return {};
    const UtxoStateFigures& s = m_states[index.row()];
    if (role == Qt::UserRole && index.column() == State)
        return s.state;
    if (role == SortRole && index.column() == Count)
        return s.count;
    if (role == SortRole && index.column() == Value)
        return s.value;
    if (role == Qt::TextAlignmentRole && index.column() != State)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case State:
        return stateText(s.state);
    case Count:
        return QLocale().toString(s.count);
    case Value:
        return QLocale().toString(double(s.value) / 1e8, 'f', 8);
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace uw::ui
