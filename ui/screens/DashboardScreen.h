#pragma once

#include "status/StatusSnapshot.h"

#include <QWidget>

class QLabel;
class QChart;
class QChartView;

namespace uw::ui {

class DashboardModel;
class ReadOnlyTable;
class RelayListModel;

/// The administrator's dashboard: the node, the UTXO pool by state with its value histogram,
/// the anchors (queue, per minute over the last hour, latest, failures), the relays, the
/// services of the node in their start order, this process; export as JSON or CSV.
class DashboardScreen : public QWidget
{
    Q_OBJECT
public:
    DashboardScreen(DashboardModel* model, RelayListModel* relays, QWidget* parent = nullptr);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void showSnapshot(const StatusSnapshot& snapshot);
    void showNode(const NodeStatus& node);
    void showProcess(const ProcessStatus& process);
    void showUtxoPool(const UtxoPoolStatus& utxos);
    void showAnchors(const AnchorsStatus& anchors);
    void exportTo(bool csv);
    void showExport(const QString& path, const QString& error);

    DashboardModel* m_model;
    QLabel* m_node;
    QLabel* m_utxos;
    QLabel* m_anchors;
    QLabel* m_process;
    QLabel* m_updated;
    QLabel* m_exportStatus;
    ReadOnlyTable* m_utxoStates;
    ReadOnlyTable* m_latest;
    ReadOnlyTable* m_relays;
    ReadOnlyTable* m_services;
    QChart* m_perMinute;
    QChart* m_histogram;
    QChartView* m_histogramView;
    QStringList m_bucketTexts; ///< each bar of the histogram named in full, in order
};

} // namespace uw::ui
