#include "models/RelayListModel.h"

#include "models/RelayRuntime.h"

namespace uw::ui {

RelayListModel::RelayListModel(RelayRuntime* runtime, QObject* parent)
    : RowTableModel(
          {
              //: Column title: a relay's address (wss://...).
              tr("Relay"),
              //: Column title: whether this device is connected to the relay.
              tr("State"),
              //: Column title: the last error of a relay that is not connected.
              tr("Details"),
          },
          parent)
{
    const auto states = runtime->states();
    for (const QString& url : runtime->relayUrls()) {
        const auto known = states.value(url);
        m_rows.append(Row{url, known.first, known.second});
    }
    connect(runtime, &RelayRuntime::relayStateChanged, this, &RelayListModel::setState);
}

int RelayListModel::rowOf(const QString& url) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].url == url)
            return i;
    return -1;
}

void RelayListModel::setState(const QString& url, const QString& state, const QString& detail)
{
    const int row = rowOf(url);
    if (row < 0) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
        m_rows.append(Row{url, state, detail});
        endInsertRows();
        return;
    }
    m_rows[row].state = state;
    m_rows[row].detail = detail;
    Q_EMIT dataChanged(index(row, State), index(row, Detail));
}

QVariant RelayListModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index))
        return {};
    const Row& r = m_rows[index.row()];
    if (role == Qt::UserRole)
        return r.url;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case Relay:
        return r.url;
    case State:
        return r.state;
    case Detail:
        return r.detail;
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace uw::ui
