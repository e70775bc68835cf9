#pragma once

#include "models/RowTableModel.h"

namespace uw::ui {

class RelayRuntime;

/// The relays of this profile and how each is doing (connected, connecting, unreachable...),
/// kept up to date from the relay thread's reports. The state column's Qt::UserRole is the
/// relay's URL.
class RelayListModel : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayListModel)
public:
    enum Column
    {
        Relay,
        State,
        Detail,
        ColumnCount
    };

    explicit RelayListModel(RelayRuntime* runtime, QObject* parent = nullptr);
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    /// The row of `url`, or -1.
    int rowOf(const QString& url) const;

protected:
    int size() const override { return int(m_rows.size()); }

private:
    struct Row
    {
        QString url;
        QString state;
        QString detail;
    };
    void setState(const QString& url, const QString& state, const QString& detail);
    QList<Row> m_rows;
};

} // namespace uw::ui
