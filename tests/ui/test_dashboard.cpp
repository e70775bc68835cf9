// The dashboard page, offscreen, shows what `status --json` reports: the node (the Bitcoin
// Core test double), the anchors, the services (real listeners and a closed port). Its tables
// sort by a click on a column's title, numbers as numbers; its histogram names each bar in full.
#include "anchor/AnchorRuntime.h"
#include "models/AnchoringModel.h"
#include "models/DashboardModel.h"
#include "support/GuiRig.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QChart>
#include <QChartView>
#include <QFileInfo>
#include <QGraphicsTextItem>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestDashboard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pageShowsTheStatus();
    void tablesSortNumbersAsNumbers();
    void histogramNamesEachBarInFull();

private:
    GuiRig rig;
    std::unique_ptr<ui::MainWindow> w;
};

void TestDashboard::pageShowsTheStatus()
{
    QVERIFY(rig.setUp());
    QVERIFY(rig.setUpNode());
    const int blocks = rig.node->rpc(QStringLiteral("getblockcount")).toInt();
    w = rig.openWindow(QStringLiteral("device1"));
    // The application runs the anchoring core (a node is configured): once it has followed the
    // chain, the two anchors mined after the last CLI run are confirmed in the store the
    // dashboard reads.
    QTRY_COMPARE_WITH_TIMEOUT(w->anchoringModel()->status(), ui::AnchoringModel::Status::Running, 30000);
    QJsonObject core;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            w->anchoringModel()->runtime()->snapshot([&core](QJsonObject o) { core = o; });
            return core.value(QStringLiteral("anchors")).toObject().value(QStringLiteral("confirmed")).toInt() == 6;
        }(),
        20000);
    w->showPage(QStringLiteral("dashboardScreen"));
    auto* services = GuiRig::find<QTableView>(w.get(), "servicesTable")->model();
    QTRY_COMPARE_WITH_TIMEOUT(services->rowCount(), 4, 20000);
    auto cell = [](QAbstractItemModel* m, int row, int column, int role = Qt::DisplayRole) {
        return m->index(row, column).data(role).toString();
    };
    QHash<QString, QString> state, detail;
    for (int r = 0; r < services->rowCount(); ++r) {
        state.insert(cell(services, r, 0), cell(services, r, 2, Qt::UserRole));
        detail.insert(cell(services, r, 0), cell(services, r, 5));
    }
    QCOMPARE(cell(services, 0, 0), QStringLiteral("tor")); // the start order given
    QCOMPARE(state.value(QStringLiteral("tor")), QStringLiteral("down"));
    QCOMPARE(detail.value(QStringLiteral("tor")), QStringLiteral("connection refused"));
    QCOMPARE(state.value(QStringLiteral("bitcoin-rpc")), QStringLiteral("up"));
    QCOMPARE(detail.value(QStringLiteral("bitcoin-rpc")), QStringLiteral("HTTP 401")); // up, and asking for its cookie
    QCOMPARE(state.value(QStringLiteral("sdk_relay")), QStringLiteral("up"));
    QCOMPARE(state.value(QStringLiteral("lecoffre-back")), QStringLiteral("up"));
    QCOMPARE(detail.value(QStringLiteral("lecoffre-back")), QStringLiteral("depends on tor, which is down"));

    auto* node = GuiRig::find<QLabel>(w.get(), "nodeLabel");
    QVERIFY2(node->text().contains(QStringLiteral("Blocks <b>%1</b>").arg(blocks)), qPrintable(node->text()));
    QVERIFY(node->text().contains(QStringLiteral("signet")));
    auto* anchors = GuiRig::find<QLabel>(w.get(), "anchorsLabel");
    // Six anchors, all confirmed: the runtime followed the block mined after the last CLI run.
    QVERIFY2(anchors->text().contains(QStringLiteral("broadcast 0 — confirmed 6 — failed 0")),
             qPrintable(anchors->text()));
    QCOMPARE(GuiRig::find<QTableView>(w.get(), "latestAnchorsTable")->model()->rowCount(), 6);
    QVERIFY(GuiRig::find<QLabel>(w.get(), "utxoLabel")->text().contains(QStringLiteral("No lock past its expiry")));
    // The UTXO pool by state, in a fixed order; the wallet still has coins to spend.
    auto* utxos = GuiRig::find<QTableView>(w.get(), "utxoStatesTable")->model();
    QCOMPARE(utxos->rowCount(), 4);
    QCOMPARE(cell(utxos, 0, 0, Qt::UserRole), QStringLiteral("unspent"));
    QCOMPARE(cell(utxos, 3, 0, Qt::UserRole), QStringLiteral("spent"));
    QVERIFY(utxos->index(0, 1).data().toString().toInt() > 0);
    // The relays, with their state.
    auto* relays = GuiRig::find<QTableView>(w.get(), "dashboardRelaysTable")->model();
    QCOMPARE(relays->rowCount(), 1);
    QCOMPARE(cell(relays, 0, 0), rig.relayUrl);
    QTRY_COMPARE_WITH_TIMEOUT(cell(relays, 0, 1), QStringLiteral("connected"), 20000);

    // Those figures are the running core's own (AnchorRuntime::snapshot): a dashboard given the
    // core and a path where no database is still shows the six anchors and the coins by state.
    QTemporaryDir elsewhere;
    ui::DashboardModel throughCore({elsewhere.filePath(QStringLiteral("none.sqlite")), BackendConfig{}, {}, 3000},
                                   600000, SystemClock::instance());
    throughCore.setAnchoringCore([this] { return w->anchoringModel()->runtime(); });
    QSignalSpy collected(&throughCore, &ui::DashboardModel::snapshotChanged);
    throughCore.refresh();
    QVERIFY(collected.wait(20000));
    QVERIFY(throughCore.snapshot().anchors.available);
    QCOMPARE(throughCore.snapshot().anchors.counts.value(QStringLiteral("confirmed")), 6);
    QCOMPARE(throughCore.snapshot().utxos.states.size(), 4);
    QVERIFY(throughCore.snapshot().utxos.states.first().count > 0); // unspent coins
    QVERIFY(!QFileInfo::exists(elsewhere.filePath(QStringLiteral("none.sqlite"))));
    // Without the core, there is nothing to read there: "no anchors", no error, and no file made.
    throughCore.setAnchoringCore({});
    throughCore.refresh();
    QVERIFY(collected.wait(20000));
    QVERIFY(!throughCore.snapshot().anchors.available);
    QVERIFY(throughCore.snapshot().anchors.error.isEmpty());
    QVERIFY(!QFileInfo::exists(elsewhere.filePath(QStringLiteral("none.sqlite"))));
}

namespace {

/// The column's numbers from top to bottom, read as the table shows them.
QList<double> shownNumbers(QTableView* table, int column)
{
    QList<double> out;
    for (int r = 0; r < table->model()->rowCount(); ++r)
        out << QLocale().toDouble(table->model()->index(r, column).data().toString());
    return out;
}

/// Clicks the title of `column`, as a person sorts a table.
void clickTitle(QTableView* table, int column)
{
    QHeaderView* header = table->horizontalHeader();
    QTest::mouseClick(
        header->viewport(), Qt::LeftButton, {},
        QPoint(header->sectionViewportPosition(column) + header->sectionSize(column) / 2, header->height() / 2));
}

} // namespace

void TestDashboard::tablesSortNumbersAsNumbers()
{
    QVERIFY(w);
    // Eight blocks more: the latest anchors have 9, 10 and 11 confirmations, which sort apart
    // as numbers (9 < 10) and as text ("10" < "9").
    const QString elsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
    rig.node->rpc(QStringLiteral("generatetoaddress"), {8, elsewhere});
    auto* latest = GuiRig::find<QTableView>(w.get(), "latestAnchorsTable");
    const int confirmations = 2; // AnchorTableModel::Confirmations
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QTest::mouseClick(GuiRig::find<QPushButton>(w.get(), "refreshButton"), Qt::LeftButton);
            const QList<double> shown = shownNumbers(latest, confirmations);
            return shown.contains(9) && shown.contains(10) && shown.contains(11);
        }(),
        30000);
    QCOMPARE(latest->horizontalHeader()->sortIndicatorSection(), -1); // the model's order at first

    clickTitle(latest, confirmations);
    QCOMPARE(latest->horizontalHeader()->sortIndicatorSection(), confirmations);
    const Qt::SortOrder first = latest->horizontalHeader()->sortIndicatorOrder();
    QList<double> expected = shownNumbers(latest, confirmations);
    std::sort(expected.begin(), expected.end());
    if (first == Qt::DescendingOrder)
        std::reverse(expected.begin(), expected.end());
    QCOMPARE(shownNumbers(latest, confirmations), expected);
    QVERIFY(expected.first() != expected.last());
    clickTitle(latest, confirmations); // the other way
    QVERIFY(latest->horizontalHeader()->sortIndicatorOrder() != first);
    std::reverse(expected.begin(), expected.end());
    QCOMPARE(shownNumbers(latest, confirmations), expected);
    // A refresh keeps the order asked for.
    QTest::mouseClick(GuiRig::find<QPushButton>(w.get(), "refreshButton"), Qt::LeftButton);
    QSignalSpy refreshed(w->findChild<ui::DashboardModel*>(), &ui::DashboardModel::snapshotChanged);
    QVERIFY(refreshed.wait(20000));
    QCOMPARE(shownNumbers(latest, confirmations), expected);

    // The UTXOs by state, by their value in BTC: numbers, whatever the locale writes.
    auto* utxos = GuiRig::find<QTableView>(w.get(), "utxoStatesTable");
    const int value = 2; // UtxoStateModel::Value
    clickTitle(utxos, value);
    QList<double> values = shownNumbers(utxos, value);
    QList<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    if (utxos->horizontalHeader()->sortIndicatorOrder() == Qt::DescendingOrder)
        std::reverse(sorted.begin(), sorted.end());
    QCOMPARE(values, sorted);
    // A third click: the model's own order again (unspent first).
    clickTitle(utxos, value);
    clickTitle(utxos, value);
    QCOMPARE(utxos->horizontalHeader()->sortIndicatorSection(), -1);
    QCOMPARE(utxos->model()->index(0, 0).data(Qt::UserRole).toString(), QStringLiteral("unspent"));
}

void TestDashboard::histogramNamesEachBarInFull()
{
    QVERIFY(w);
    auto* view = GuiRig::find<QChartView>(w.get(), "histogramChart");
    QVERIFY(view);
    view->ensureVisible(view->rect());
    QCoreApplication::processEvents();
    // Every range in words, for a screen reader: the first and the last.
    const QString description = view->accessibleDescription();
    QVERIFY2(description.contains(QStringLiteral("0 to %1 sat").arg(QLocale().toString(999))), qPrintable(description));
    QVERIFY2(description.contains(QStringLiteral("%1 sat or more").arg(QLocale().toString(qint64(1'000'000'000)))),
             qPrintable(description));
    // The axis never cuts a label short: none drawn ends in an ellipsis.
    auto* x = qobject_cast<QBarCategoryAxis*>(view->chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(x);
    QCOMPARE(x->count(), 8);
    QVERIFY(!x->truncateLabels());
    int labels = 0;
    const auto items = view->scene()->items();
    for (QGraphicsItem* item : items)
        if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible()) {
            ++labels;
            QVERIFY2(!text->toPlainText().contains(QStringLiteral("...")) &&
                         !text->toPlainText().contains(QStringLiteral("…")),
                     qPrintable(text->toPlainText()));
        }
    QVERIFY(labels >= 8);
    // A bar under the pointer says its range and count in full.
    auto* series = qobject_cast<QBarSeries*>(view->chart()->series().value(0));
    QVERIFY(series);
    Q_EMIT series->hovered(true, 1, series->barSets().value(0));
    QVERIFY2(view->toolTip().startsWith(
                 QStringLiteral("%1 to %2 sat: ").arg(QLocale().toString(1000), QLocale().toString(9999))),
             qPrintable(view->toolTip()));
    Q_EMIT series->hovered(false, 1, series->barSets().value(0));
    QVERIFY(view->toolTip().isEmpty());
}

QTEST_MAIN(TestDashboard)
#include "test_dashboard.moc"
