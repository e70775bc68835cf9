#include "screens/DashboardScreen.h"

#include "models/DashboardModel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent>

namespace uw::ui {

namespace {

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
    *view = new QChartView(chart, parent);
    (*view)->setObjectName(objectName);
    (*view)->setRenderHint(QPainter::Antialiasing);
    (*view)->setMinimumHeight(170);
    return chart;
}

/// Whole numbers only on a count axis: one tick per unit up to 5, "nice" steps above.
void setIntegerRange(QValueAxis* axis, qint64 max)
{
    axis->setRange(0, double(max));
    if (max <= 5) {
        axis->setTickCount(int(max) + 1);
    } else {
        axis->applyNiceNumbers();
    }
}

QString anchorStateText(const QString& state)
{
    if (state == QLatin1String("queued"))
        return DashboardScreen::tr("queued");
    if (state == QLatin1String("signed"))
        return DashboardScreen::tr("signed, not yet sent");
    if (state == QLatin1String("broadcast"))
        return DashboardScreen::tr("in the mempool");
    if (state == QLatin1String("confirmed"))
        return DashboardScreen::tr("confirmed");
    if (state == QLatin1String("failed"))
        return DashboardScreen::tr("failed");
    return state;
}

QString btc(qint64 sats)
{
    return QLocale().toString(double(sats) / 1e8, 'f', 8);
}

} // namespace

DashboardScreen::DashboardScreen(DashboardModel* model, QWidget* parent) : QWidget(parent), m_model(model)
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
    auto* json = new QPushButton(tr("Export JSON…"), this);
    json->setObjectName(QStringLiteral("exportJsonButton"));
    auto* csv = new QPushButton(tr("Export CSV…"), this);
    csv->setObjectName(QStringLiteral("exportCsvButton"));
    head->addWidget(refresh);
    head->addWidget(json);
    head->addWidget(csv);
    outer->addLayout(head);

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
    QChartView* histogramView = nullptr;
    m_histogram = barChart(content, &histogramView, QStringLiteral("histogramChart"));
    auto* utxoContent = new QWidget(content);
    auto* ul = new QVBoxLayout(utxoContent);
    ul->setContentsMargins(0, 0, 0, 0);
    ul->addWidget(m_utxos);
    ul->addWidget(histogramView);
    grid->addWidget(box(tr("UTXO pool"), utxoContent, content), 1, 0);
    QChartView* perMinuteView = nullptr;
    m_perMinute = barChart(content, &perMinuteView, QStringLiteral("perMinuteChart"));
    auto* anchorContent = new QWidget(content);
    auto* al = new QVBoxLayout(anchorContent);
    al->setContentsMargins(0, 0, 0, 0);
    al->addWidget(m_anchors);
    al->addWidget(perMinuteView);
    m_latest = new QTableWidget(0, 3, anchorContent);
    m_latest->setObjectName(QStringLiteral("latestAnchorsTable"));
    m_latest->setHorizontalHeaderLabels({tr("Transaction"), tr("State"), tr("Confirmations")});
    m_latest->horizontalHeader()->setStretchLastSection(true);
    m_latest->verticalHeader()->setVisible(false);
    m_latest->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_latest->setMaximumHeight(140);
    al->addWidget(m_latest);
    grid->addWidget(box(tr("Anchors"), anchorContent, content), 1, 1);
    m_services = new QTableWidget(0, 6, content);
    m_services->setObjectName(QStringLiteral("servicesTable"));
    m_services->setHorizontalHeaderLabels(
        {tr("Service"), tr("Endpoint"), tr("State"), tr("Latency"), tr("Last check"), tr("Details")});
    m_services->horizontalHeader()->setStretchLastSection(true);
    m_services->verticalHeader()->setVisible(false);
    m_services->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_services->setMinimumHeight(260);
    grid->addWidget(box(tr("Services of the node, in their start order"), m_services, content), 2, 0, 1, 2);
    scroll->setWidget(content);
    outer->addWidget(scroll);

    connect(refresh, &QPushButton::clicked, m_model, &DashboardModel::refresh);
    connect(json, &QPushButton::clicked, this, [this] { exportTo(false); });
    connect(csv, &QPushButton::clicked, this, [this] { exportTo(true); });
    connect(m_model, &DashboardModel::snapshotChanged, this, &DashboardScreen::show);
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

void DashboardScreen::show(const QJsonObject& s)
{
    const QLocale locale;
    m_updated->setText(
        tr("Updated %1").arg(locale.toString(QDateTime::currentDateTime().time(), QLocale::ShortFormat)));
    const QJsonObject node = s.value(QStringLiteral("node")).toObject();
    if (!node.value(QStringLiteral("configured")).toBool())
        m_node->setText(
            tr("<b>No Bitcoin node is configured.</b><br>Set it in Settings (Bitcoin Core RPC or Esplora)."));
    else if (!node.value(QStringLiteral("reachable")).toBool())
        m_node->setText(tr("<b style='color:#b00020'>Unreachable</b><br>%1")
                            .arg(node.value(QStringLiteral("reason")).toString().toHtmlEscaped()));
    else
        m_node->setText(
            tr("Chain <b>%1</b><br>Blocks <b>%2</b> / headers %3 — verified %4 %<br>Best block %5<br>Mempool %6 "
               "transactions, %7 "
               "bytes<br>Peers %8<br>Fee estimate (6 blocks) %9")
                .arg(node.value(QStringLiteral("chain")).toString())
                .arg(node.value(QStringLiteral("blocks")).toInt())
                .arg(node.value(QStringLiteral("headers")).toInt())
                .arg(node.value(QStringLiteral("verification_progress")).toDouble() * 100, 0, 'f', 2)
                .arg(locale.toString(
                    QDateTime::fromSecsSinceEpoch(node.value(QStringLiteral("best_block_time")).toInteger()),
                    QLocale::ShortFormat))
                .arg(node.value(QStringLiteral("mempool_count")).toInt())
                .arg(node.value(QStringLiteral("mempool_bytes")).toInteger())
                .arg(node.value(QStringLiteral("peers")).toInt())
                .arg(node.contains(QStringLiteral("fee_estimate_sat_vb"))
                         ? tr("%1 sat/vB").arg(node.value(QStringLiteral("fee_estimate_sat_vb")).toDouble(), 0, 'f', 1)
                         : tr("none yet")));
    const QJsonObject process = s.value(QStringLiteral("process")).toObject();
    m_process->setText(tr("Memory %1 MB<br>Threads %2<br>Database %3 MB")
                           .arg(process.value(QStringLiteral("rss_kb")).toDouble() / 1024, 0, 'f', 1)
                           .arg(process.value(QStringLiteral("threads")).toInt())
                           .arg(process.value(QStringLiteral("database_bytes")).toDouble() / 1e6, 0, 'f', 1));

    const QJsonObject utxos = s.value(QStringLiteral("utxos")).toObject();
    if (utxos.value(QStringLiteral("available")) == QJsonValue(false)) {
        m_utxos->setText(tr("No anchoring wallet in this profile."));
    } else {
        auto line = [&](const char* key, const QString& label) {
            const QJsonObject o = utxos.value(QString::fromLatin1(key)).toObject();
            return tr("%1: <b>%2</b> (%3 BTC)")
                .arg(label)
                .arg(o.value(QStringLiteral("count")).toInteger())
                .arg(btc(o.value(QStringLiteral("value")).toInteger()));
        };
        const qint64 expired = utxos.value(QStringLiteral("expired_locks")).toInteger();
        m_utxos->setText(
            line("unspent", tr("Unspent")) + QStringLiteral("<br>") + line("locked", tr("Locked")) +
            QStringLiteral("<br>") + line("spent_unconfirmed", tr("Spent, unconfirmed")) + QStringLiteral("<br>") +
            (expired > 0 ? tr("<b style='color:#b00020'>%n lock(s) past their expiry</b>", nullptr, int(expired))
                         : tr("No lock past its expiry")));
        m_histogram->removeAllSeries();
        const auto axes = m_histogram->axes();
        for (QAbstractAxis* a : axes) {
            m_histogram->removeAxis(a); // releases ownership: ours to delete
            delete a;
        }
        auto* set = new QBarSet(tr("UTXOs"));
        QStringList categories;
        qint64 maxCount = 1;
        // Short labels: the upper bound of each bucket (k = 1,000 sat, M = 1,000,000 sat). Axis labels are
        // rich text: "<" must be written &lt;.
        auto shortAmount = [](qint64 sats) {
            return sats >= 100'000'000 ? QStringLiteral("%1 BTC").arg(sats / 100'000'000)
                   : sats >= 1'000'000 ? QStringLiteral("%1M").arg(sats / 1'000'000)
                   : sats >= 1'000     ? QStringLiteral("%1k").arg(sats / 1'000)
                                       : QString::number(sats);
        };
        const QJsonArray buckets = utxos.value(QStringLiteral("histogram")).toArray();
        for (qsizetype i = 0; i < buckets.size(); ++i) {
            const qint64 high = buckets[i].toObject().value(QStringLiteral("below_sat")).toInteger();
            const qint64 count = buckets[i].toObject().value(QStringLiteral("count")).toInteger();
            maxCount = std::max(maxCount, count);
            *set << double(count);
            const qint64 previous =
                i > 0 ? buckets[i - 1].toObject().value(QStringLiteral("below_sat")).toInteger() : 0;
            categories << (i + 1 == buckets.size() ? QStringLiteral("≥") + shortAmount(previous)
                                                   : QStringLiteral("&lt;") + shortAmount(high));
        }
        auto* series = new QBarSeries;
        series->append(set);
        m_histogram->addSeries(series);
        auto* x = new QBarCategoryAxis;
        x->append(categories);
        QFont small = x->labelsFont();
        small.setPointSizeF(small.pointSizeF() * 0.8);
        x->setLabelsFont(small);
        m_histogram->addAxis(x, Qt::AlignBottom);
        series->attachAxis(x);
        auto* y = new QValueAxis;
        y->setLabelFormat(QStringLiteral("%d"));
        setIntegerRange(y, maxCount);
        m_histogram->addAxis(y, Qt::AlignLeft);
        series->attachAxis(y);
        m_histogram->setTitle(tr("Unspent UTXOs by value (sat)"));
    }

    const QJsonObject anchors = s.value(QStringLiteral("anchors")).toObject();
    if (anchors.value(QStringLiteral("available")) != QJsonValue(false)) {
        const QJsonObject counts = anchors.value(QStringLiteral("counts")).toObject();
        QStringList failures;
        for (const QJsonValue& v : anchors.value(QStringLiteral("failures")).toArray())
            failures << QStringLiteral("%1… %2").arg(
                v.toObject().value(QStringLiteral("digest")).toString().left(12),
                v.toObject().value(QStringLiteral("reason")).toString().toHtmlEscaped());
        m_anchors->setText(
            tr("Queue <b>%1</b> — broadcast %2 — confirmed %3 — failed %4")
                .arg(anchors.value(QStringLiteral("queue_depth")).toInteger())
                .arg(counts.value(QStringLiteral("broadcast")).toInteger())
                .arg(counts.value(QStringLiteral("confirmed")).toInteger())
                .arg(counts.value(QStringLiteral("failed")).toInteger()) +
            (failures.isEmpty() ? QString() : QStringLiteral("<br>") + failures.join(QStringLiteral("<br>"))));
        m_perMinute->removeAllSeries();
        const auto axes = m_perMinute->axes();
        for (QAbstractAxis* a : axes) {
            m_perMinute->removeAxis(a);
            delete a;
        }
        auto* set = new QBarSet(tr("Anchors"));
        QStringList minutes;
        qint64 maxPerMinute = 1;
        const QJsonArray perMinute = anchors.value(QStringLiteral("per_minute_last_hour")).toArray();
        for (qsizetype i = 0; i < perMinute.size(); ++i) {
            *set << perMinute[i].toDouble();
            maxPerMinute = std::max<qint64>(maxPerMinute, perMinute[i].toInteger());
            minutes << QString::number(i - perMinute.size());
        }
        auto* series = new QBarSeries;
        series->append(set);
        series->setBarWidth(0.9);
        m_perMinute->addSeries(series);
        auto* x = new QBarCategoryAxis;
        x->append(minutes);
        x->setLabelsVisible(false); // sixty bars: the title says what the axis is
        x->setGridLineVisible(false);
        m_perMinute->addAxis(x, Qt::AlignBottom);
        series->attachAxis(x);
        auto* y = new QValueAxis;
        y->setLabelFormat(QStringLiteral("%d"));
        setIntegerRange(y, maxPerMinute);
        m_perMinute->addAxis(y, Qt::AlignLeft);
        series->attachAxis(y);
        m_perMinute->setTitle(tr("Anchors per minute over the last hour (now on the right)"));
        const QJsonArray latest = anchors.value(QStringLiteral("latest")).toArray();
        m_latest->setRowCount(int(latest.size()));
        for (int i = 0; i < latest.size(); ++i) {
            const QJsonObject a = latest[i].toObject();
            m_latest->setItem(i, 0, new QTableWidgetItem(a.value(QStringLiteral("txid")).toString()));
            m_latest->setItem(i, 1, new QTableWidgetItem(anchorStateText(a.value(QStringLiteral("state")).toString())));
            m_latest->setItem(
                i, 2,
                new QTableWidgetItem(a.contains(QStringLiteral("confirmations"))
                                         ? QString::number(a.value(QStringLiteral("confirmations")).toInt())
                                         : QString()));
        }
    } else {
        m_anchors->setText(tr("No anchors in this profile."));
    }

    const QJsonArray services = s.value(QStringLiteral("services")).toArray();
    m_services->setRowCount(int(services.size()));
    for (int i = 0; i < services.size(); ++i) {
        const QJsonObject o = services[i].toObject();
        const bool up = o.value(QStringLiteral("state")).toString() == QLatin1String("up");
        const bool flagged = o.value(QStringLiteral("dependency_down")).toBool();
        auto* state = new QTableWidgetItem(up ? (flagged ? tr("up, dependency down") : tr("up")) : tr("down"));
        state->setForeground(up ? (flagged ? QColor(0xb2, 0x6a, 0x00) : QColor(0x1b, 0x5e, 0x20))
                                : QColor(0xb0, 0x00, 0x20));
        state->setData(Qt::UserRole, o.value(QStringLiteral("state")).toString());
        m_services->setItem(i, 0, new QTableWidgetItem(o.value(QStringLiteral("name")).toString()));
        m_services->setItem(i, 1, new QTableWidgetItem(o.value(QStringLiteral("url")).toString()));
        m_services->setItem(i, 2, state);
        m_services->setItem(i, 3, new QTableWidgetItem(tr("%1 ms").arg(o.value(QStringLiteral("latency_ms")).toInt())));
        m_services->setItem(
            i, 4,
            new QTableWidgetItem(locale.toString(
                QDateTime::fromString(o.value(QStringLiteral("checked_at")).toString(), Qt::ISODateWithMs)
                    .toLocalTime()
                    .time(),
                QLocale::LongFormat)));
        m_services->setItem(i, 5, new QTableWidgetItem(o.value(QStringLiteral("detail")).toString()));
    }
    m_services->resizeColumnsToContents();
}

void DashboardScreen::exportTo(bool csv)
{
    const QString path = QFileDialog::getSaveFileName(this, csv ? tr("Export CSV") : tr("Export JSON"),
                                                      csv ? QStringLiteral("userwallet-status.csv")
                                                          : QStringLiteral("userwallet-status.json"),
                                                      csv ? tr("CSV (*.csv)") : tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    const QJsonObject snapshot = m_model->snapshot();
    // Written on a worker: the GUI thread does not wait on the disk.
    (void)QtConcurrent::run([path, snapshot, csv] {
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(csv ? StatusCollector::toCsv(snapshot) : QJsonDocument(snapshot).toJson());
    });
}

} // namespace uw::ui
