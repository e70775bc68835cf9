#pragma once

#include <QSortFilterProxyModel>

namespace uw::ui {

/// The order a person asks of a table by clicking its header: numbers and times by their value
/// (RowTableModel::SortRole), never as text ("10" before "9"); the other columns by their text,
/// as the locale orders it. Unsorted, the rows keep the source's own order.
class SortProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SortProxyModel)
public:
    explicit SortProxyModel(QAbstractItemModel* source, QObject* parent = nullptr);

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

} // namespace uw::ui
