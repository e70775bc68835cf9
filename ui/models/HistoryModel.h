#pragma once

#include "identity/WalletStore.h"
#include "models/RowTableModel.h"

namespace uw::ui {

/// The local history of logins, newest first: when, which service, the outcome and its reason.
/// refresh() reads the wallet database on a worker; the rows change when it answers.
class HistoryModel : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryModel)
public:
    enum Column
    {
        When,
        Service,
        Outcome,
        Detail,
        ColumnCount
    };
    static constexpr int kMaxRows = 200;

    explicit HistoryModel(QString walletDatabase, QObject* parent = nullptr);
    void refresh();
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// A refresh has answered (the rows are in place).
    void refreshed();

protected:
    int size() const override { return int(m_rows.size()); }

private:
    QString m_database;
    QList<LoginRecord> m_rows;
    bool m_loading = false;
    bool m_again = false; ///< a refresh was asked while one was running
};

} // namespace uw::ui
