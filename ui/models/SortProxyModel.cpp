#include "models/SortProxyModel.h"

#include "models/RowTableModel.h"

namespace uw::ui {

SortProxyModel::SortProxyModel(QAbstractItemModel* source, QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortLocaleAware(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSourceModel(source);
}

bool SortProxyModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const QVariant l = left.data(RowTableModel::SortRole);
    const QVariant r = right.data(RowTableModel::SortRole);
    if (l.isValid() && r.isValid())
        return QVariant::compare(l, r) == QPartialOrdering::Less;
    return QSortFilterProxyModel::lessThan(left, right); // the text (Qt::DisplayRole)
}

} // namespace uw::ui
