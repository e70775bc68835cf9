#include "models/HistoryModel.h"

#include "models/Background.h"

#include <QDateTime>
#include <QLocale>

namespace uw::ui {

HistoryModel::HistoryModel(QString walletDatabase, QObject* parent)
    : RowTableModel(
          {
              //: Column title: the date and time of a login.
              tr("When"),
              //: Column title: the service logged in to.
              tr("Service"),
              //: Column title: whether the login went through.
              tr("Outcome"),
              tr("Details"),
          },
          parent),
      m_database(std::move(walletDatabase))
{}

void HistoryModel::refresh()
{
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loading = true;
    // A profile without a wallet database yet has no history: an empty list, not an error.
    runInBackground(
        this,
        [db = m_database] {
            auto store = WalletStore::open(db);
            return store ? store->history(kMaxRows) : QList<LoginRecord>();
        },
        [this](const QList<LoginRecord>& rows) {
            m_loading = false;
            beginResetModel();
            m_rows = rows;
            endResetModel();
            Q_EMIT refreshed();
            if (std::exchange(m_again, false))
                refresh();
        });
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index) || (role != Qt::DisplayRole && role != Qt::ToolTipRole)) // the tooltip: the whole reason
        return {};
    const LoginRecord& r = m_rows[index.row()];
    switch (Column(index.column())) {
    case When:
        return QLocale().toString(QDateTime::fromSecsSinceEpoch(r.at), QLocale::ShortFormat);
    case Service:
        return r.service;
    case Outcome:
        return r.outcome == QLatin1String("success")
                   //: The outcome of a past login: the service accepted the proof.
                   ? tr("success")
                   //: The outcome of a past login that did not go through.
                   : tr("failure");
    case Detail:
        return r.reason;
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace uw::ui
