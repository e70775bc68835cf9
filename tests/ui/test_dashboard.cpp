// The dashboard page, offscreen, shows what `status --json` reports: the node (the Bitcoin
// Core test double), the anchors, the services (real listeners and a closed port).
#include "anchor/AnchorRuntime.h"
#include "models/AnchoringModel.h"
#include "models/DashboardModel.h"
#include "support/GuiRig.h"

#include <QFileInfo>
#include <QLabel>
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
};

void TestDashboard::pageShowsTheStatus()
{
    GuiRig rig;
    QVERIFY(rig.setUp());
    QVERIFY(rig.setUpNode());
    const int blocks = rig.node->rpc(QStringLiteral("getblockcount")).toInt();
    auto w = rig.openWindow(QStringLiteral("device1"));
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
    throughCore.setAnchoringCore([&w] { return w->anchoringModel()->runtime(); });
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

QTEST_MAIN(TestDashboard)
#include "test_dashboard.moc"
