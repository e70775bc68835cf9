#pragma once

#include "identity/WalletStore.h"

#include <QWidget>

class QTableWidget;

namespace uw::ui {

/// The local history of logins, newest first (read on a worker).
class HistoryScreen : public QWidget
{
    Q_OBJECT
public:
    HistoryScreen(QString walletDatabase, QWidget* parent = nullptr);
    void refresh();

private:
    QString m_database;
    QTableWidget* m_table;
};

} // namespace uw::ui
