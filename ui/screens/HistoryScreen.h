#pragma once

#include <QWidget>

class QLabel;

namespace uw::ui {

class HistoryModel;
class ReadOnlyTable;

/// The local history of logins, newest first (the model reads it on a worker).
class HistoryScreen : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryScreen(HistoryModel* model, QWidget* parent = nullptr);

protected:
    void showEvent(QShowEvent* event) override;

private:
    HistoryModel* m_model;
    ReadOnlyTable* m_table;
    QLabel* m_empty;
};

} // namespace uw::ui
