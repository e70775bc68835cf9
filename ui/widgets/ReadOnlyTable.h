#pragma once

#include <QTableView>

namespace uw::ui {

/// The screens' tables over the item models of ui/models: read-only, compact rows selected
/// whole, no row numbers; one column takes the room left, the others fit their contents.
class ReadOnlyTable : public QTableView
{
    Q_OBJECT
public:
    ReadOnlyTable(QAbstractItemModel* model, int stretchColumn, const QString& objectName, QWidget* parent);

    /// Keeps the table as high as its rows (for a handful of them): no empty space, no scroll bar.
    void followRowCount();
    /// A click on a column's title sorts by it (numbers as numbers: SortProxyModel), a second the
    /// other way, a third restores the model's own order, which is also the order shown at first.
    /// model() is then the sorting proxy; call it before followRowCount().
    void makeSortable();

private:
    void fitHeight();
    void fitColumns();
    int m_stretchColumn;
};

} // namespace uw::ui
