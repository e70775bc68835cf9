#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

namespace uw::ui {

/// What the table models of ui/models share: a flat list of rows, a fixed set of columns with
/// translated titles, and a refresh that keeps the views' scroll and selection when the number
/// of rows did not change.
class RowTableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RowTableModel)
public:
    /// What a sortable view (ReadOnlyTable::makeSortable) orders a column by, where the text would
    /// sort wrongly: a number, a time. A column without it sorts by its text.
    static constexpr int SortRole = Qt::UserRole + 1;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    /// `titles`: one per column, translated (the language is chosen at start-up).
    RowTableModel(QStringList titles, QObject* parent);
    virtual int size() const = 0;
    /// Whether `index` names one of the rows (and not a header or a child).
    bool isRow(const QModelIndex& index) const;

    template <typename T> void replaceRows(QList<T>& rows, const QList<T>& fresh)
    {
        if (rows.size() != fresh.size()) {
            beginResetModel();
            rows = fresh;
            endResetModel();
        } else if (!rows.isEmpty()) {
            rows = fresh;
            Q_EMIT dataChanged(index(0, 0), index(int(rows.size()) - 1, int(m_titles.size()) - 1));
        }
    }

private:
    QStringList m_titles;
};

} // namespace uw::ui
