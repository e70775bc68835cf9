#include "widgets/ReadOnlyTable.h"

#include "models/SortProxyModel.h"

#include <QHeaderView>

namespace uw::ui {

ReadOnlyTable::ReadOnlyTable(QAbstractItemModel* model, int stretchColumn, const QString& objectName, QWidget* parent)
    : QTableView(parent), m_stretchColumn(stretchColumn)
{
    setObjectName(objectName);
    setModel(model);
    verticalHeader()->setVisible(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight); // the whole text is in the tooltip
    fitColumns();
}

void ReadOnlyTable::fitColumns()
{
    for (int c = 0; c < model()->columnCount(); ++c)
        horizontalHeader()->setSectionResizeMode(c, c == m_stretchColumn ? QHeaderView::Stretch
                                                                         : QHeaderView::ResizeToContents);
}

void ReadOnlyTable::makeSortable()
{
    if (qobject_cast<SortProxyModel*>(model()))
        return;
    setModel(new SortProxyModel(model(), this));
    fitColumns(); // a new model: the header forgot how each column is sized
    horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // the model's order until a click
    horizontalHeader()->setSortIndicatorClearable(true);
    setSortingEnabled(true);
}

void ReadOnlyTable::followRowCount()
{
    fitHeight();
    connect(model(), &QAbstractItemModel::modelReset, this, &ReadOnlyTable::fitHeight);
    connect(model(), &QAbstractItemModel::rowsInserted, this, &ReadOnlyTable::fitHeight);
    connect(model(), &QAbstractItemModel::rowsRemoved, this, &ReadOnlyTable::fitHeight);
}

void ReadOnlyTable::fitHeight()
{
    setFixedHeight(horizontalHeader()->sizeHint().height() + verticalHeader()->length() + 2 * frameWidth());
}

} // namespace uw::ui
