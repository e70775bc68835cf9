// The Devices screen: each device by its label (its pair id in the tooltip), and renaming this
// device through the widgets, which publishes a new signed version of the member document on the
// relay (checked from the relay with `userwallet-cli member fetch`) and stores it in the profile.
// Removing another device: refused with a sentence (this device, below the cardinality), else a
// confirmation whose default is Cancel, then a version without it. Each device's last activity,
// from what its key signed on the relay.
#include "devices/MemberChain.h"
#include "models/DeviceListModel.h"
#include "support/GuiRig.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {

QString labelOf(const QJsonObject& member, const QString& pair)
{
    for (const QJsonValue& v : member.value(QStringLiteral("pairs")).toArray())
        if (v.toObject().value(QStringLiteral("pair")).toString() == pair)
            return v.toObject().value(QStringLiteral("label")).toString();
    return {};
}

} // namespace

class TestDevicesScreen : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listShowsLabels();
    void renamingThisDevicePublishesANewVersion();
    void aBadNameIsRefusedBeforeAnythingIsSent();
    void theOtherDeviceRenamesAfterIt();
    void lastActivityFollowsWhatADeviceSigned();
    void removingThisDeviceOrBelowTheCardinalityIsRefused();
    void removingAnotherDeviceThroughTheWidgets();

private:
    /// What a service reads from the relay: the member's latest version, its chain verified.
    QJsonObject fetched()
    {
        int code = -1;
        const QJsonObject out = runCli({QStringLiteral("--data-dir"), m_service.path(), QStringLiteral("member"),
                                        QStringLiteral("fetch"), QStringLiteral("alice")},
                                       {m_rig.relayUrl}, &code);
        return code == 0 ? out : QJsonObject();
    }
    /// Types `label` into this window's name field and clicks Rename.
    void rename(ui::MainWindow* w, const QString& label)
    {
        w->showPage(QStringLiteral("pairingScreen"));
        auto* edit = GuiRig::find<QLineEdit>(w, "deviceLabelEdit");
        QVERIFY(edit);
        QTRY_VERIFY(edit->isEnabled());
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        edit->insert(label); // as pasted: QTest types Latin-1 only

        QTest::mouseClick(GuiRig::find<QPushButton>(w, "renameDeviceButton"), Qt::LeftButton);
    }

    /// Selects `row` of the device list and clicks Remove device…
    void clickRemove(ui::MainWindow* w, int row)
    {
        w->showPage(QStringLiteral("pairingScreen"));
        auto* list = GuiRig::find<QAbstractItemView>(w, "devicesList");
        QVERIFY(list);
        list->selectionModel()->select(list->model()->index(row, 0),
                                       QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        auto* button = GuiRig::find<QPushButton>(w, "removeDeviceButton");
        QTRY_VERIFY(button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
    }
    QString activityTip(ui::MainWindow* w, int row)
    {
        auto* list = GuiRig::find<QAbstractItemView>(w, "devicesList");
        return list->model()->index(row, ui::DeviceListModel::LastActivity).data(Qt::ToolTipRole).toString();
    }

    GuiRig m_rig;
    QTemporaryDir m_service;
    std::unique_ptr<ui::MainWindow> m_d1;
    QString m_pair1, m_pair2;
};

void TestDevicesScreen::initTestCase()
{
    QVERIFY(m_rig.setUp());
    m_d1 = m_rig.openWindow(QStringLiteral("device1"));
    QVERIFY(GuiRig::find<QAbstractItemView>(m_d1.get(), "devicesList"));
    const MemberDocument doc = MemberDocument::load(m_rig.profile(QStringLiteral("device1")).memberFile()).value();
    QCOMPARE(doc.pairs.size(), 2);
    m_pair1 = doc.pairs[0].pair;
    m_pair2 = doc.pairs[1].pair;
}

void TestDevicesScreen::listShowsLabels()
{
    // Both devices were named after the host at init and pairing (the same machine here).
    m_d1->showPage(QStringLiteral("pairingScreen"));
    auto* list = GuiRig::find<QAbstractItemView>(m_d1.get(), "devicesList");
    QAbstractItemModel* model = list->model();
    QCOMPARE(model->rowCount(), 2);
    const QString host = MemberDocument::defaultLabel();
    QCOMPARE(model->index(0, ui::DeviceListModel::Device).data().toString(),
             QStringLiteral("%1 (this device)").arg(host));
    QCOMPARE(model->index(1, ui::DeviceListModel::Device).data().toString(), host);
    QVERIFY(model->index(0, ui::DeviceListModel::Device).data(Qt::ToolTipRole).toString().contains(m_pair1));
    QVERIFY(model->index(1, ui::DeviceListModel::Device).data(Qt::ToolTipRole).toString().contains(m_pair2));
    QCOMPARE(GuiRig::find<QLineEdit>(m_d1.get(), "deviceLabelEdit")->text(), host);
}

void TestDevicesScreen::renamingThisDevicePublishesANewVersion()
{
    const QJsonObject before = fetched();
    QCOMPARE(before.value(QStringLiteral("version")).toInt(), 2); // pairing's version 1 and 2
    rename(m_d1.get(), QStringLiteral("Bureau de Zoé"));
    auto* status = GuiRig::find<QLabel>(m_d1.get(), "renameStatusLabel");
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("version 3, published")), 30000);
    QVERIFY(status->text().contains(QStringLiteral("Bureau de Zoé")));
    QVERIFY(GuiRig::find<QPushButton>(m_d1.get(), "renameDeviceButton")->isEnabled());

    // On the relay: version 3, signed by this device, following version 2, with the new label.
    const QJsonObject after = fetched();
    QCOMPARE(after.value(QStringLiteral("version")).toInt(), 3);
    QCOMPARE(after.value(QStringLiteral("versions")).toInt(), 3);
    const QJsonObject member = after.value(QStringLiteral("member")).toObject();
    QCOMPARE(labelOf(member, m_pair1), QStringLiteral("Bureau de Zoé"));
    QCOMPARE(labelOf(member, m_pair2), MemberDocument::defaultLabel());
    QCOMPARE(member.value(QStringLiteral("previous")).toString(), before.value(QStringLiteral("event")).toString());
    // In the profile: the same version and its event.
    const LocalMember local = LocalMember::load(m_rig.profile(QStringLiteral("device1"))).value();
    QCOMPARE(local.document.version, 3);
    QCOMPARE(local.event->id, after.value(QStringLiteral("event")).toString());
    // In the list.
    auto* list = GuiRig::find<QAbstractItemView>(m_d1.get(), "devicesList");
    QCOMPARE(list->model()->index(0, ui::DeviceListModel::Device).data().toString(),
             QStringLiteral("Bureau de Zoé (this device)"));
}

void TestDevicesScreen::aBadNameIsRefusedBeforeAnythingIsSent()
{
    const QJsonObject before = fetched();
    rename(m_d1.get(), QString(65, QLatin1Char('x')));
    auto* status = GuiRig::find<QLabel>(m_d1.get(), "renameStatusLabel");
    QTRY_VERIFY(status->text().contains(QStringLiteral("cannot be used")));
    QVERIFY(GuiRig::find<QPushButton>(m_d1.get(), "renameDeviceButton")->isEnabled());
    QCOMPARE(fetched().value(QStringLiteral("event")), before.value(QStringLiteral("event")));
}

void TestDevicesScreen::theOtherDeviceRenamesAfterIt()
{
    // Device 2 still holds version 2: its rename reads version 3 from the relay and follows it.
    auto d2 = m_rig.openWindow(QStringLiteral("device2"));
    rename(d2.get(), QStringLiteral("Téléphone"));
    auto* status = GuiRig::find<QLabel>(d2.get(), "renameStatusLabel");
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("version 4, published")), 30000);
    const QJsonObject member = fetched().value(QStringLiteral("member")).toObject();
    QCOMPARE(member.value(QStringLiteral("version")).toInt(), 4);
    QCOMPARE(labelOf(member, m_pair1), QStringLiteral("Bureau de Zoé"));
    QCOMPARE(labelOf(member, m_pair2), QStringLiteral("Téléphone"));
    auto* list = GuiRig::find<QAbstractItemView>(d2.get(), "devicesList");
    QCOMPARE(list->model()->index(0, ui::DeviceListModel::Device).data().toString(), QStringLiteral("Bureau de Zoé"));
    QCOMPARE(list->model()->index(1, ui::DeviceListModel::Device).data().toString(),
             QStringLiteral("Téléphone (this device)"));
}

void TestDevicesScreen::lastActivityFollowsWhatADeviceSigned()
{
    m_d1->showPage(QStringLiteral("pairingScreen"));
    auto* list = GuiRig::find<QAbstractItemView>(m_d1.get(), "devicesList");
    QAbstractItemModel* model = list->model();
    // Both devices acted minutes ago at most (pairing, renames): filled from the relay.
    for (int row = 0; row < 2; ++row) {
        const QModelIndex cell = model->index(row, ui::DeviceListModel::LastActivity);
        QTRY_VERIFY_WITH_TIMEOUT(cell.data().toString().contains(QStringLiteral("ago")) ||
                                     cell.data().toString() == QStringLiteral("just now"),
                                 20000);
    }
    // Device 2 signs a new version of the member document: device 1's window shows it, live.
    auto d2 = m_rig.openWindow(QStringLiteral("device2"));
    rename(d2.get(), QStringLiteral("Phone"));
    QTRY_VERIFY_WITH_TIMEOUT(
        GuiRig::find<QLabel>(d2.get(), "renameStatusLabel")->text().contains(QStringLiteral("version 5, published")),
        30000);
    const LocalMember latest = LocalMember::load(m_rig.profile(QStringLiteral("device2"))).value();
    const QString when =
        QLocale().toString(QDateTime::fromSecsSinceEpoch(latest.event->createdAt), QLocale::LongFormat);
    QTRY_COMPARE_WITH_TIMEOUT(activityTip(m_d1.get(), 1),
                              QStringLiteral("%1: published a version of the member document").arg(when), 20000);
    QCOMPARE(model->index(1, ui::DeviceListModel::LastActivity).data().toString(), QStringLiteral("just now"));
    // Remembered by the profile: a new window shows it before the relay answers (and after).
    m_d1.reset();
    m_d1 = m_rig.openWindow(QStringLiteral("device1"));
    QTRY_COMPARE_WITH_TIMEOUT(activityTip(m_d1.get(), 1),
                              QStringLiteral("%1: published a version of the member document").arg(when), 20000);
}

void TestDevicesScreen::removingThisDeviceOrBelowTheCardinalityIsRefused()
{
    // alice needs both of her two devices: neither may go; and a device never removes itself.
    auto* status = GuiRig::find<QLabel>(m_d1.get(), "removeStatusLabel");
    clickRemove(m_d1.get(), 1);
    QTRY_VERIFY(status->text().contains(QStringLiteral("Each login needs 2 devices")));
    QVERIFY(!m_d1->findChild<QMessageBox*>(QStringLiteral("removeDeviceDialog")));
    QVERIFY(GuiRig::find<QPushButton>(m_d1.get(), "removeDeviceButton")->toolTip().contains(QStringLiteral("needs 2")));
    clickRemove(m_d1.get(), 0);
    QTRY_VERIFY(status->text().contains(QStringLiteral("is this device")));
    QVERIFY(status->text().contains(QStringLiteral("from another of the member's devices")));
    QVERIFY(!m_d1->findChild<QMessageBox*>(QStringLiteral("removeDeviceDialog")));
    QCOMPARE(GuiRig::find<QAbstractItemView>(m_d1.get(), "devicesList")->model()->rowCount(), 2);
}

void TestDevicesScreen::removingAnotherDeviceThroughTheWidgets()
{
    // Device 1 follows the latest version (its rename reads it), a third device joins alice through
    // the command line, then device 1's window is opened anew.
    rename(m_d1.get(), QStringLiteral("Desk"));
    QTRY_VERIFY_WITH_TIMEOUT(
        GuiRig::find<QLabel>(m_d1.get(), "renameStatusLabel")->text().contains(QStringLiteral("is now “Desk”")), 30000);
    const QStringList d1{QStringLiteral("--data-dir"), m_rig.profile(QStringLiteral("device1")).dataDir()};
    const QStringList d3{QStringLiteral("--data-dir"), m_rig.profile(QStringLiteral("device3")).dataDir()};
    m_d1.reset();
    {
        CliProcess offer(d1 + QStringList{QStringLiteral("pair-offer"), QStringLiteral("--yes")}, {m_rig.relayUrl});
        offer.start();
        const QString link = offer.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
        CliProcess join(d3 + QStringList{QStringLiteral("pair-join"), link, QStringLiteral("--label"),
                                         QStringLiteral("old tablet")},
                        {m_rig.relayUrl});
        join.start();
        QCOMPARE(offer.waitForExit(), 0);
        QCOMPARE(join.waitForExit(), 0);
    }
    const QJsonObject before = fetched();
    const int version = before.value(QStringLiteral("version")).toInt();
    const MemberDocument three = MemberDocument::load(m_rig.profile(QStringLiteral("device1")).memberFile()).value();
    QCOMPARE(three.pairs.size(), 3);
    const PairRef tablet = three.pairs.at(2);
    m_d1 = m_rig.openWindow(QStringLiteral("device1"));
    auto* list = GuiRig::find<QAbstractItemView>(m_d1.get(), "devicesList");
    QCOMPARE(list->model()->rowCount(), 3);

    // Cancel, the default: nothing happens.
    clickRemove(m_d1.get(), 2);
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_d1->findChild<QMessageBox*>(QStringLiteral("removeDeviceDialog"))));
    const auto* devices = qobject_cast<const ui::DeviceListModel*>(list->model());
    QVERIFY(devices);
    QVERIFY(box->text().contains(QStringLiteral("“old tablet”")));
    QVERIFY(box->text().contains(devices->fingerprint(tablet.pair)));
    QVERIFY(!devices->fingerprint(tablet.pair).isEmpty());
    auto* confirm = box->findChild<QPushButton*>(QStringLiteral("confirmRemoveButton"));
    QVERIFY(confirm);
    QVERIFY(box->defaultButton() != confirm);
    QCOMPARE(box->buttonRole(confirm), QMessageBox::DestructiveRole);
    QTest::mouseClick(box->defaultButton(), Qt::LeftButton);
    QTRY_VERIFY(!m_d1->findChild<QMessageBox*>(QStringLiteral("removeDeviceDialog")));
    QCOMPARE(list->model()->rowCount(), 3);
    QCOMPARE(fetched().value(QStringLiteral("event")), before.value(QStringLiteral("event")));

    // Remove: a new version without the tablet, published, stored, and the list follows.
    clickRemove(m_d1.get(), 2);
    QTRY_VERIFY((box = m_d1->findChild<QMessageBox*>(QStringLiteral("removeDeviceDialog"))));
    QTest::mouseClick(box->findChild<QPushButton*>(QStringLiteral("confirmRemoveButton")), Qt::LeftButton);
    auto* status = GuiRig::find<QLabel>(m_d1.get(), "removeStatusLabel");
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("was removed")), 30000);
    QCOMPARE(status->text(),
             QStringLiteral("“old tablet” was removed (member document version %1, published).").arg(version + 1));
    QCOMPARE(list->model()->rowCount(), 2);

    const QJsonObject after = fetched();
    QCOMPARE(after.value(QStringLiteral("version")).toInt(), version + 1);
    QCOMPARE(after.value(QStringLiteral("versions")).toInt(), version + 1);
    QVERIFY(!QJsonDocument(after.value(QStringLiteral("member")).toObject()).toJson().contains(tablet.pair.toUtf8()));
    const LocalMember local = LocalMember::load(m_rig.profile(QStringLiteral("device1"))).value();
    QCOMPARE(local.document.version, version + 1);
    QCOMPARE(local.event->id, after.value(QStringLiteral("event")).toString());
    QVERIFY(!local.document.pairs.contains(tablet));
}

QTEST_MAIN(TestDevicesScreen)
#include "test_devices_screen.moc"
