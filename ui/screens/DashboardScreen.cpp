#include "screens/DashboardScreen.h"

#include "models/AnchorTableModel.h"
#include "models/DashboardModel.h"
#include "models/RelayListModel.h"
#include "models/ServiceHealthModel.h"
#include "models/UtxoStateModel.h"
#include "widgets/ReadOnlyTable.h"
#include "widgets/StateColours.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDateTime>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

namespace uw::ui {

namespace {

constexpr int kChartHeight = 170;

QGroupBox* box(const QString& title, QWidget* content, QWidget* parent)
{
    auto* b = new QGroupBox(title, parent);
    auto* l = new QVBoxLayout(b);
    l->addWidget(content);
    return b;
}

QLabel* valueLabel(const QString& objectName, QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setObjectName(objectName);
    l->setTextFormat(Qt::RichText);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setWordWrap(true);
    return l;
}

QChart* barChart(QWidget* parent, QChartView** view, const QString& objectName)
{
    auto* chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->setBackgroundRoundness(0);
    // The chart follows the palette: its dark theme on a dark desktop, the window's colours.
    const QPalette palette = QApplication::palette();
    chart->setTheme(isDark(palette) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setTitleBrush(palette.color(QPalette::Text));
    *view = new QChartView(chart, parent);
    (*view)->setObjectName(objectName);
    (*view)->setRenderHint(QPainter::Antialiasing);
    (*view)->setMinimumHeight(kChartHeight);
    return chart;
}

/// A widget holding `widgets` one under the other, without margins.
QWidget* column(QWidget* parent, std::initializer_list<QWidget*> widgets)
{
    auto* holder = new QWidget(parent);
    auto* l = new QVBoxLayout(holder);
    l->setContentsMargins(0, 0, 0, 0);
    for (QWidget* w : widgets)
        l->addWidget(w);
    return holder;
}

/// Draws `set` as the chart's only series: categories under the bars, whole numbers up to `max`
/// on the count axis (one tick per unit up to 5, "nice" steps above). The chart owns what it draws.
QBarSeries* drawBars(QChart* chart, QBarSet* set, const QStringList& categories, qint64 max)
{
    chart->removeAllSeries();
    const auto axes = chart->axes();
    for (QAbstractAxis* a : axes) {
        chart->removeAxis(a); // releases ownership: ours to delete
        delete a;
    }
    auto* series = new QBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%d"));
    y->setRange(0, double(max));
    if (max <= 5)
        y->setTickCount(int(max) + 1);
    else
        y->applyNiceNumbers();
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    // The palette's colours, not the chart theme's: the bars in the selection colour, the words
    // in the text colour, the lines faint.
    const QPalette palette = QApplication::palette();
    set->setColor(palette.color(QPalette::Highlight));
    set->setBorderColor(palette.color(QPalette::Highlight));
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(x), static_cast<QAbstractAxis*>(y)}) {
        axis->setLabelsBrush(palette.color(QPalette::Text));
        axis->setLinePenColor(palette.color(QPalette::Mid));
        axis->setGridLineColor(palette.color(QPalette::Midlight));
    }
    return series;
}

/// A bound of a histogram bucket, short, for the axis (k = 1,000 sat, M = 1,000,000 sat).
QString shortAmount(qint64 sats)
{
    return sats >= 100'000'000 ? QStringLiteral("%1 BTC").arg(sats / 100'000'000)
           : sats >= 1'000'000 ? QStringLiteral("%1M").arg(sats / 1'000'000)
           : sats >= 1'000     ? QStringLiteral("%1k").arg(sats / 1'000)
                               : QString::number(sats);
}

/// A histogram bucket named in full, as a tooltip and a screen reader say it: its range in
/// satoshis and how many coins are in it.
QString bucketText(qint64 from, std::optional<qint64> below, qint64 count)
{
    const QLocale locale;
    const QString range =
        below
            //: A range of coin values in the dashboard's histogram, in satoshis.
            ? DashboardScreen::tr("%1 to %2 sat").arg(locale.toString(from), locale.toString(*below - 1))
            //: The histogram's last range of coin values: this many satoshis or more.
            : DashboardScreen::tr("%1 sat or more").arg(locale.toString(from));
    //: A bar of the dashboard's histogram: %1 a range of values, %n the unspent coins in it.
    return DashboardScreen::tr("%1: %n UTXO(s)", nullptr, int(count)).arg(range);
}

} // namespace

DashboardScreen::DashboardScreen(DashboardModel* model, RelayListModel* relays, QWidget* parent)
    : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("dashboardScreen"));
    auto* outer = new QVBoxLayout(this);
    auto* head = new QHBoxLayout;
    auto* title = new QLabel(tr("Node dashboard"), this);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    head->addWidget(title);
    m_updated = new QLabel(this);
    m_updated->setObjectName(QStringLiteral("updatedLabel"));
    head->addWidget(m_updated, 1, Qt::AlignRight);
    auto* refresh = new QPushButton(tr("Refresh"), this);
    refresh->setObjectName(QStringLiteral("refreshButton"));
    //: Button: save the dashboard's figures as a JSON file.
    auto* json = new QPushButton(tr("Export JSON…"), this);
    json->setObjectName(QStringLiteral("exportJsonButton"));
    //: Button: save the dashboard's figures as a CSV file.
    auto* csv = new QPushButton(tr("Export CSV…"), this);
    csv->setObjectName(QStringLiteral("exportCsvButton"));
    head->addWidget(refresh);
    head->addWidget(json);
    head->addWidget(csv);
    outer->addLayout(head);
    m_exportStatus = new QLabel(this);
    m_exportStatus->setObjectName(QStringLiteral("exportStatusLabel"));
    m_exportStatus->setWordWrap(true);
    m_exportStatus->setVisible(false);
    outer->addWidget(m_exportStatus);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    auto* grid = new QGridLayout(content);
    m_node = valueLabel(QStringLiteral("nodeLabel"), content);
    m_utxos = valueLabel(QStringLiteral("utxoLabel"), content);
    m_anchors = valueLabel(QStringLiteral("anchorsLabel"), content);
    m_process = valueLabel(QStringLiteral("processLabel"), content);
    grid->addWidget(box(tr("Node"), m_node, content), 0, 0);
    grid->addWidget(box(tr("This process"), m_process, content), 0, 1);

    m_utxoStates =
        new ReadOnlyTable(m_model->utxoStates(), UtxoStateModel::Value, QStringLiteral("utxoStatesTable"), content);
    m_utxoStates->makeSortable();
    m_utxoStates->followRowCount();
    //: Accessible name of the table of the anchoring wallet's UTXOs counted by state.
    m_utxoStates->setAccessibleName(tr("UTXOs by state"));
    m_histogram = barChart(content, &m_histogramView, QStringLiteral("histogramChart"));
    //: Accessible name of the chart of unspent outputs counted by value range.
    m_histogramView->setAccessibleName(tr("Unspent UTXOs by value"));
    grid->addWidget(box(tr("UTXO pool"), column(content, {m_utxoStates, m_utxos, m_histogramView}), content), 1, 0);

    QChartView* perMinuteView = nullptr;
    m_perMinute = barChart(content, &perMinuteView, QStringLiteral("perMinuteChart"));
    //: Accessible name of the chart of anchors published in each minute of the last hour.
    perMinuteView->setAccessibleName(tr("Anchors per minute, last hour"));
    m_latest = new ReadOnlyTable(m_model->latestAnchors(), AnchorTableModel::Transaction,
                                 QStringLiteral("latestAnchorsTable"), content);
    m_latest->makeSortable();
    //: Accessible name of the table of the most recent anchors.
    m_latest->setAccessibleName(tr("Latest anchors"));
    m_latest->setTextElideMode(Qt::ElideMiddle); // a transaction id keeps its two ends
    m_latest->setMinimumHeight(140);
    grid->addWidget(box(tr("Anchors"), column(content, {m_anchors, perMinuteView, m_latest}), content), 1, 1);

    m_services =
        new ReadOnlyTable(m_model->services(), ServiceHealthModel::Detail, QStringLiteral("servicesTable"), content);
    m_services->makeSortable();
    m_services->followRowCount();
    //: Accessible name of the table of the node's services and their health.
    m_services->setAccessibleName(tr("Services of the node"));
    grid->addWidget(box(tr("Services of the node, in their start order"), m_services, content), 2, 0, 1, 2);
    m_relays = new ReadOnlyTable(relays, RelayListModel::Detail, QStringLiteral("dashboardRelaysTable"), content);
    m_relays->makeSortable();
    m_relays->followRowCount();
    m_relays->setAccessibleName(tr("Relays"));
    grid->addWidget(box(tr("Relays"), m_relays, content), 3, 0, 1, 2);
    scroll->setWidget(content);
    outer->addWidget(scroll);

    connect(refresh, &QPushButton::clicked, m_model, &DashboardModel::refresh);
    connect(json, &QPushButton::clicked, this, [this] { exportTo(false); });
    connect(csv, &QPushButton::clicked, this, [this] { exportTo(true); });
    connect(m_model, &DashboardModel::snapshotChanged, this, &DashboardScreen::showSnapshot);
    connect(m_model, &DashboardModel::exportFinished, this, &DashboardScreen::showExport);
    m_node->setText(tr("Collecting…"));
}

void DashboardScreen::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_model->setActive(true);
}

void DashboardScreen::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_model->setActive(false);
}

void DashboardScreen::showSnapshot(const StatusSnapshot& s)
{
    //: When the dashboard's figures were collected; %1 is a time of day.
    m_updated->setText(tr("Updated %1")
                           .arg(QLocale().toString(QDateTime::fromSecsSinceEpoch(s.generatedAt).toLocalTime().time(),
                                                   QLocale::ShortFormat)));
    showNode(s.node);
    showProcess(s.process);
    showUtxoPool(s.utxos);
    showAnchors(s.anchors);
}

void DashboardScreen::showNode(const NodeStatus& node)
{
    const QLocale locale;
    if (!node.configured) {
        m_node->setText(
            tr("<b>No Bitcoin node is configured.</b><br>Set it in Settings (Bitcoin Core RPC or Esplora)."));
        return;
    }
    if (!node.reachable) {
        //: The Bitcoin node does not answer; %1 is the reason.
        m_node->setText(
            tr("<b style='color:%2'>Unreachable</b><br>%1")
                .arg(node.reason.toHtmlEscaped(), stateColour(StateColour::Error, QApplication::palette()).name()));
        return;
    }
    m_node->setText(
        //: The Bitcoin node's figures. %3: headers known, %4: percentage of the chain verified, %5: date of the
        //: best block, %6 and %7: transactions and bytes waiting in the mempool, %8: peers, %9: a fee rate or
        //: "none yet".
        tr("Chain <b>%1</b><br>Blocks <b>%2</b> / headers %3 — verified %4 %<br>Best block %5<br>Mempool %6 "
           "transactions, %7 "
           "bytes<br>Peers %8<br>Fee estimate (6 blocks) %9")
            .arg(node.chain.value_or(QString()))
            .arg(node.blocks.value_or(0))
            .arg(node.headers.value_or(0))
            .arg(locale.toString(node.verificationProgress.value_or(0) * 100, 'f', 2))
            .arg(locale.toString(QDateTime::fromSecsSinceEpoch(node.bestBlockTime.value_or(0)), QLocale::ShortFormat))
            .arg(node.mempoolCount.value_or(0))
            .arg(node.mempoolBytes.value_or(0))
            .arg(node.peers.value_or(0))
            //: A fee rate in satoshis per virtual byte.
            .arg(node.feeEstimateSatVb ? tr("%1 sat/vB").arg(locale.toString(*node.feeEstimateSatVb, 'f', 1))
                                       //: No fee estimate from the node yet.
                                       : tr("none yet")));
}

void DashboardScreen::showProcess(const ProcessStatus& process)
{
    //: This process: %1 resident memory, %2 threads, %3 the size of the anchoring database.
    m_process->setText(tr("Memory %1 MB<br>Threads %2<br>Database %3 MB")
                           .arg(QLocale().toString(double(process.rssKb) / 1024, 'f', 1))
                           .arg(process.threads)
                           .arg(QLocale().toString(double(process.databaseBytes) / 1e6, 'f', 1)));
}

void DashboardScreen::showUtxoPool(const UtxoPoolStatus& utxos)
{
    m_utxoStates->setVisible(utxos.available);
    if (!utxos.available) {
        m_utxos->setText(utxos.error.isEmpty()
                             ? tr("No anchoring wallet in this profile.")
                             : QStringLiteral("<b style='color:%1'>%2</b>")
                                   .arg(stateColour(StateColour::Error, QApplication::palette()).name(),
                                        utxos.error.toHtmlEscaped()));
        return;
    }
    if (utxos.expiredLocks > 0)
        //: UTXOs of the anchoring wallet still locked after their deadline (an anchor that never finished).
        m_utxos->setText(tr("<b style='color:%1'>%n lock(s) past their expiry</b>", nullptr, int(utxos.expiredLocks))
                             .arg(stateColour(StateColour::Error, QApplication::palette()).name()));
    else
        //: No UTXO of the anchoring wallet is locked beyond its deadline.
        m_utxos->setText(tr("No lock past its expiry"));

    auto* set = new QBarSet(tr("UTXOs"));
    QStringList categories;
    m_bucketTexts.clear();
    qint64 maxCount = 1;
    for (qsizetype i = 0; i < utxos.histogram.size(); ++i) {
        const ValueBucket& b = utxos.histogram[i];
        const qint64 from = i > 0 ? utxos.histogram[i - 1].belowSat : 0;
        const bool last = i + 1 == utxos.histogram.size();
        maxCount = std::max(maxCount, b.count);
        *set << double(b.count);
        // Axis labels are rich text: "<" must be written &lt;.
        categories << (last ? QStringLiteral("≥") + shortAmount(from)
                            : QStringLiteral("&lt;") + shortAmount(b.belowSat));
        m_bucketTexts << bucketText(from, last ? std::nullopt : std::optional<qint64>(b.belowSat), b.count);
    }
    QBarSeries* series = drawBars(m_histogram, set, categories, maxCount);
    // Each bar named in full: the short label under it, its range and count in a tooltip, and the
    // whole histogram in words for a screen reader.
    connect(series, &QBarSeries::hovered, m_histogramView, [this](bool over, int index) {
        const QString text = over ? m_bucketTexts.value(index) : QString();
        m_histogramView->setToolTip(text);
        if (over)
            QToolTip::showText(QCursor::pos(), text, m_histogramView);
        else
            QToolTip::hideText();
    });
    m_histogramView->setAccessibleDescription(m_bucketTexts.join(QStringLiteral("; ")));
    auto* x = qobject_cast<QBarCategoryAxis*>(m_histogram->axes(Qt::Horizontal).value(0));
    QFont small = x->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    x->setLabelsFont(small);
    x->setLabelsAngle(-40); // eight labels side by side, whole: slanted
    x->setTruncateLabels(false);
    m_histogram->setTitle(tr("Unspent UTXOs by value (sat)"));
}

void DashboardScreen::showAnchors(const AnchorsStatus& anchors)
{
    if (!anchors.available) {
        m_anchors->setText(anchors.error.isEmpty()
                               ? tr("No anchors in this profile.")
                               : QStringLiteral("<b style='color:%1'>%2</b>")
                                     .arg(stateColour(StateColour::Error, QApplication::palette()).name(),
                                          anchors.error.toHtmlEscaped()));
        return;
    }
    QStringList failures;
    for (const AnchorFailure& f : anchors.failures)
        failures << QStringLiteral("%1… %2").arg(f.digest.left(12), f.reason.toHtmlEscaped());
    m_anchors->setText(
        //: The anchors by state: %1 waiting to be sent, %2 in the mempool, %3 in a block, %4 given up.
        tr("Queue <b>%1</b> — broadcast %2 — confirmed %3 — failed %4")
            .arg(anchors.queueDepth)
            .arg(anchors.counts.value(QStringLiteral("broadcast")))
            .arg(anchors.counts.value(QStringLiteral("confirmed")))
            .arg(anchors.counts.value(QStringLiteral("failed"))) +
        (failures.isEmpty() ? QString() : QStringLiteral("<br>") + failures.join(QStringLiteral("<br>"))));

    auto* set = new QBarSet(tr("Anchors"));
    QStringList minutes;
    qint64 maxPerMinute = 1;
    for (qsizetype i = 0; i < anchors.perMinuteLastHour.size(); ++i) {
        *set << double(anchors.perMinuteLastHour[i]);
        maxPerMinute = std::max<qint64>(maxPerMinute, anchors.perMinuteLastHour[i]);
        minutes << QString::number(i - anchors.perMinuteLastHour.size());
    }
    QBarSeries* series = drawBars(m_perMinute, set, minutes, maxPerMinute);
    series->setBarWidth(0.9);
    auto* x = m_perMinute->axes(Qt::Horizontal).value(0);
    x->setLabelsVisible(false); // sixty bars: the title says what the axis is
    x->setGridLineVisible(false);
    m_perMinute->setTitle(tr("Anchors per minute over the last hour (now on the right)"));
}

void DashboardScreen::exportTo(bool csv)
{
    const QString path = QFileDialog::getSaveFileName(this, csv ? tr("Export CSV") : tr("Export JSON"),
                                                      csv ? QStringLiteral("userwallet-status.csv")
                                                          : QStringLiteral("userwallet-status.json"),
                                                      csv ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    m_model->exportTo(path, csv ? DashboardModel::ExportFormat::Csv : DashboardModel::ExportFormat::Json);
}

void DashboardScreen::showExport(const QString& path, const QString& error)
{
    m_exportStatus->setStyleSheet(
        error.isEmpty()
            ? QString()
            : QStringLiteral("color: %1;").arg(stateColour(StateColour::Error, QApplication::palette()).name()));
    //: The dashboard's figures were written to the file %1.
    m_exportStatus->setText(error.isEmpty() ? tr("Exported to %1.").arg(path) : error);
    m_exportStatus->setVisible(true);
}

} // namespace uw::ui
