#include "screens/HistoryScreen.h"

#include "models/HistoryModel.h"
#include "widgets/ReadOnlyTable.h"

#include <QLabel>
#include <QVBoxLayout>

namespace uw::ui {

HistoryScreen::HistoryScreen(HistoryModel* model, QWidget* parent) : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("historyScreen"));
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("History of logins"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    m_empty = new QLabel(tr("No login yet from this device."), this);
    m_empty->setObjectName(QStringLiteral("historyEmptyLabel"));
    m_empty->setVisible(false);
    layout->addWidget(m_empty);
    m_table = new ReadOnlyTable(m_model, HistoryModel::Detail, QStringLiteral("historyTable"), this);
    //: Accessible name of the table of past logins.
    m_table->setAccessibleName(tr("Login history"));
    layout->addWidget(m_table);
    connect(m_model, &HistoryModel::refreshed, this, [this] { m_empty->setVisible(m_model->rowCount() == 0); });
}

void HistoryScreen::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_model->refresh(); // a login may have ended since the page was last shown
}

} // namespace uw::ui
