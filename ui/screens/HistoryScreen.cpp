#include "screens/HistoryScreen.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace uw::ui {

HistoryScreen::HistoryScreen(QString walletDatabase, QWidget* parent)
    : QWidget(parent), m_database(std::move(walletDatabase))
{
    setObjectName(QStringLiteral("historyScreen"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("History of logins"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(QStringLiteral("historyTable"));
    m_table->setHorizontalHeaderLabels({tr("When"), tr("Service"), tr("Outcome"), tr("Details")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    layout->addWidget(m_table);
}

void HistoryScreen::refresh()
{
    auto* watcher = new QFutureWatcher<QList<LoginRecord>>(this);
    connect(watcher, &QFutureWatcher<QList<LoginRecord>>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QList<LoginRecord> rows = watcher->result();
        m_table->setRowCount(int(rows.size()));
        const QLocale locale;
        for (int i = 0; i < rows.size(); ++i) {
            const LoginRecord& r = rows[i];
            m_table->setItem(
                i, 0, new QTableWidgetItem(locale.toString(QDateTime::fromSecsSinceEpoch(r.at), QLocale::ShortFormat)));
            m_table->setItem(i, 1, new QTableWidgetItem(r.service));
            m_table->setItem(
                i, 2, new QTableWidgetItem(r.outcome == QLatin1String("success") ? tr("success") : tr("failure")));
            m_table->setItem(i, 3, new QTableWidgetItem(r.reason));
        }
        m_table->resizeColumnsToContents();
    });
    watcher->setFuture(QtConcurrent::run([db = m_database] {
        auto store = WalletStore::open(db);
        return store ? store->history(200) : QList<LoginRecord>();
    }));
}

} // namespace uw::ui
