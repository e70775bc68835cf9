#include "widgets/ReadOnlyTable.h"

#include <QHeaderView>

namespace uw::ui {

ReadOnlyTable::ReadOnlyTable(QAbstractItemModel* model, int stretchColumn, const QString& objectName, QWidget* parent)
    : QTableView(parent)
{
    setObjectName(objectName);
    setModel(model);
    verticalHeader()->setVisible(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight); // the whole text is in the tooltip
    for (int c = 0; c < model->columnCount(); ++c)
        horizontalHeader()->setSectionResizeMode(c, c == stretchColumn ? QHeaderView::Stretch
                                                                       : QHeaderView::ResizeToContents);
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
