#include "models/RowTableModel.h"

namespace uw::ui {

RowTableModel::RowTableModel(QStringList titles, QObject* parent)
    : QAbstractTableModel(parent), m_titles(std::move(titles))
{}

int RowTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : size();
}

int RowTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_titles.size());
}

QVariant RowTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return m_titles.value(section);
}

bool RowTableModel::isRow(const QModelIndex& index) const
{
    return index.isValid() && !index.parent().isValid() && index.row() < size() && index.column() < m_titles.size();
}

} // namespace uw::ui
