// The Devices screen: each device by its label (its pair id in the tooltip), and renaming this
// device through the widgets, which publishes a new signed version of the member document on the
// relay (checked from the relay with `userwallet-cli member fetch`) and stores it in the profile.
#include "devices/MemberChain.h"
#include "models/DeviceListModel.h"
#include "support/GuiRig.h"

#include <QAbstractItemView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
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
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("version 3")), 30000);
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
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("version 4")), 30000);
    const QJsonObject member = fetched().value(QStringLiteral("member")).toObject();
    QCOMPARE(member.value(QStringLiteral("version")).toInt(), 4);
    QCOMPARE(labelOf(member, m_pair1), QStringLiteral("Bureau de Zoé"));
    QCOMPARE(labelOf(member, m_pair2), QStringLiteral("Téléphone"));
    auto* list = GuiRig::find<QAbstractItemView>(d2.get(), "devicesList");
    QCOMPARE(list->model()->index(0, ui::DeviceListModel::Device).data().toString(), QStringLiteral("Bureau de Zoé"));
    QCOMPARE(list->model()->index(1, ui::DeviceListModel::Device).data().toString(),
             QStringLiteral("Téléphone (this device)"));
}

QTEST_MAIN(TestDevicesScreen)
#include "test_devices_screen.moc"
