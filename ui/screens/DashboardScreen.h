#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTableWidget;
class QChartView;
class QBarSeries;
class QBarSet;
class QChart;

namespace uw::ui {

class DashboardModel;

/// The administrator's dashboard: the node, the UTXO pool with its value histogram,
/// the anchors (queue, per minute over the last hour, latest, failures), the services of the
/// node in their start order, this process; export as JSON or CSV.
class DashboardScreen : public QWidget
{
    Q_OBJECT
public:
    explicit DashboardScreen(DashboardModel* model, QWidget* parent = nullptr);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void show(const QJsonObject& s);
    void exportTo(bool csv);

    DashboardModel* m_model;
    QLabel* m_node;
    QLabel* m_utxos;
    QLabel* m_anchors;
    QLabel* m_process;
    QLabel* m_updated;
    QTableWidget* m_services;
    QTableWidget* m_latest;
    QChart* m_perMinute;
    QChart* m_histogram;
};

} // namespace uw::ui
