#pragma once

#include "models/RowTableModel.h"
#include "status/StatusSnapshot.h"

namespace uw::ui {

/// The anchoring wallet's UTXOs by state (unspent, locked, spent unconfirmed, spent): how many
/// and their value in BTC. The state column's Qt::UserRole is the raw state.
class UtxoStateModel : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UtxoStateModel)
public:
    enum Column
    {
        State,
        Count,
        Value,
        ColumnCount
    };

    explicit UtxoStateModel(QObject* parent = nullptr);
    void setStates(const QList<UtxoStateFigures>& states);
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

protected:
    int size() const override { return int(m_states.size()); }

private:
    QList<UtxoStateFigures> m_states;
};

} // namespace uw::ui
