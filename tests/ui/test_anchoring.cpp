// The Anchoring page against the Bitcoin Core test double (its own process): files dropped on
// the page are hashed, committed to one round, broadcast in one transaction and confirmed once
// a block is mined; the proof is exported and verified through the page; a file given again
// shows its anchor instead of spending; Settings' "Test connection" names the chain or the
// error; without a node the page says so.
#include "MainWindow.h"
#include "anchor/AnchorRuntime.h"
#include "models/AnchoredFileNames.h"
#include "models/AnchoringModel.h"
#include "models/FileAnchorModel.h"
#include "screens/AnchoringScreen.h"
#include "screens/SettingsScreen.h"
#include "support/GuiRig.h"

#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace uw;
using namespace uw::test;
using ui::AnchoredFileNames;
using ui::AnchoringModel;
using ui::FileAnchorModel;

namespace {

constexpr int kRoundMs = 40000; ///< a round closes 10 s after its first digest; the node is polled every 2 s
const QString kElsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
        return {};
    return f.fileName();
}

QString sha256(const QByteArray& content)
{
    return QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
}

/// Drops `paths` on `target` as a file manager would.
bool drop(QWidget* target, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& p : paths)
        urls.append(QUrl::fromLocalFile(p));
    mime.setUrls(urls);
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent dropped(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropped);
    return dropped.isAccepted();
}

QString label(QWidget* root, const char* name)
{
    auto* l = GuiRig::find<QLabel>(root, name);
    return l ? l->text() : QStringLiteral("<no label %1>").arg(QString::fromLatin1(name));
}

} // namespace

class TestAnchoring : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // The English catalogue, as the application loads it (plural forms: "1 confirmation").
        QVERIFY(m_english.load(QStringLiteral(UW_QM_DIR "/userwallet_en.qm")));
        QCoreApplication::installTranslator(&m_english);
    }
    void filesAreAnchoredProvedAndNotSpentTwice();
    void settingsTestsTheNodeAndNoNodeShowsTheHint();
    void namesComeBackAfterARestart();
    void syncShowsItsProgressAndCancels();

private:
    QTranslator m_english;
};

void TestAnchoring::filesAreAnchoredProvedAndNotSpentTwice()
{
    GuiRig rig;
    QVERIFY(rig.setUp());
    QVERIFY(rig.setUpNode()); // a funded anchoring wallet (mature coins), six anchors already
    auto w = rig.openWindow(QStringLiteral("device1"));
    QVERIFY(GuiRig::find<QListWidget>(w.get(), "navigation"));
    w->showPage(QStringLiteral("anchoringScreen"));
    auto* screen = w->anchoringScreen();
    QVERIFY(screen->isVisible());
    AnchoringModel* model = w->anchoringModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->status(), AnchoringModel::Status::Running, 30000);
    QVERIFY2(label(w.get(), "anchoringStatusLabel").contains(model->address()),
             qPrintable(label(w.get(), "anchoringStatusLabel")));
    QVERIFY(GuiRig::find<QLabel>(w.get(), "anchoringEmptyLabel")->isVisible());

    QTemporaryDir dir;
    const QByteArray contract = QByteArray("Contrat de bail, signé le 3 mars.\n").repeated(100000); // ~3.5 MB
    const QByteArray invoice = "Facture 2024-117\n";
    const QString contractPath = writeFile(dir, QStringLiteral("contrat.pdf"), contract);
    const QString invoicePath = writeFile(dir, QStringLiteral("facture.txt"), invoice);
    QVERIFY(!contractPath.isEmpty() && !invoicePath.isEmpty());
    const int mempoolBefore = int(rig.node->rpc(QStringLiteral("getrawmempool")).toArray().size());

    // Two files dropped at once.
    QVERIFY(drop(screen, {contractPath, invoicePath}));
    FileAnchorModel* files = model->files();
    QTRY_COMPARE_WITH_TIMEOUT(files->rowCount(), 2, 20000);
    auto cell = [files](int row, int column, int role = Qt::DisplayRole) {
        return files->index(row, column).data(role).toString();
    };
    const int contractRow = files->rowOf(sha256(contract));
    const int invoiceRow = files->rowOf(sha256(invoice));
    QVERIFY(contractRow >= 0 && invoiceRow >= 0);
    QCOMPARE(cell(contractRow, FileAnchorModel::File), QStringLiteral("contrat.pdf"));
    QCOMPARE(cell(contractRow, FileAnchorModel::Digest, Qt::ToolTipRole), sha256(contract)); // whole in the tooltip
    QVERIFY(sha256(contract).startsWith(cell(contractRow, FileAnchorModel::Digest).chopped(1)));
    QVERIFY(GuiRig::find<QTableView>(w.get(), "fileAnchorsTable")->isVisible());

    // One round, one transaction, both broadcast.
    QTRY_COMPARE_WITH_TIMEOUT(cell(contractRow, FileAnchorModel::State, Qt::UserRole), QStringLiteral("broadcast"),
                              kRoundMs);
    QTRY_COMPARE_WITH_TIMEOUT(cell(invoiceRow, FileAnchorModel::State, Qt::UserRole), QStringLiteral("broadcast"),
                              kRoundMs);
    const QString txid = cell(contractRow, FileAnchorModel::Transaction, Qt::UserRole);
    QCOMPARE(txid.size(), 64);
    QVERIFY(txid.startsWith(cell(contractRow, FileAnchorModel::Transaction).chopped(1))); // shown short
    QCOMPARE(cell(invoiceRow, FileAnchorModel::Transaction, Qt::UserRole), txid);
    const QJsonArray mempool = rig.node->rpc(QStringLiteral("getrawmempool")).toArray();
    QCOMPARE(int(mempool.size()), mempoolBefore + 1);
    QVERIFY(mempool.contains(txid));

    // Copy the transaction id.
    GuiRig::find<QTableView>(w.get(), "fileAnchorsTable")->selectRow(invoiceRow);
    auto* copy = GuiRig::find<QPushButton>(w.get(), "copyTxidButton");
    QVERIFY(copy->isEnabled());
    QVERIFY(!GuiRig::find<QPushButton>(w.get(), "exportProofButton")->isEnabled()); // not confirmed yet
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), txid);

    // A block: both confirmed, with their count.
    const QJsonArray mined = rig.node->rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere}).toArray();
    QCOMPARE(mined.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(cell(contractRow, FileAnchorModel::State, Qt::UserRole), QStringLiteral("confirmed"),
                              20000);
    QTRY_COMPARE_WITH_TIMEOUT(cell(invoiceRow, FileAnchorModel::State, Qt::UserRole), QStringLiteral("confirmed"),
                              20000);
    QCOMPARE(cell(contractRow, FileAnchorModel::State), QStringLiteral("confirmed (1 confirmation)"));
    QVERIFY(GuiRig::find<QPushButton>(w.get(), "exportProofButton")->isEnabled());

    // Export the contract's proof, then verify it through the page.
    const QString proofPath = dir.filePath(QStringLiteral("contrat.pdf.ots"));
    screen->exportProof(contractRow, proofPath);
    // The node is asked for the block before anything is written: the page says what it waits for.
    QVERIFY2(label(w.get(), "anchoringMessageLabel").startsWith(QStringLiteral("Writing the proof of ")),
             qPrintable(label(w.get(), "anchoringMessageLabel")));
    QVERIFY(!GuiRig::find<QPushButton>(w.get(), "exportProofButton")->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(label(w.get(), "anchoringMessageLabel").startsWith(QStringLiteral("Proof saved")), 20000);
    QVERIFY(GuiRig::find<QPushButton>(w.get(), "exportProofButton")->isEnabled());
    QVERIFY(QFile(proofPath).size() > 100);
    const int height = rig.node->rpc(QStringLiteral("getblockcount")).toInt();
    screen->verifyFile(contractPath, proofPath);
    QTRY_VERIFY_WITH_TIMEOUT(!label(w.get(), "verifyResultLabel").startsWith(QStringLiteral("Checking")), 20000);
    QCOMPARE(label(w.get(), "verifyResultLabel"),
             QStringLiteral("The proof commits to contrat.pdf: it is in block %1 (%2) of signet, as the node says.")
                 .arg(height)
                 .arg(mined.first().toString()));
    // The same proof does not pass for the other file.
    screen->verifyFile(invoicePath, proofPath);
    QTRY_VERIFY_WITH_TIMEOUT(!label(w.get(), "verifyResultLabel").startsWith(QStringLiteral("Checking")), 20000);
    QCOMPARE(label(w.get(), "verifyResultLabel"),
             QStringLiteral("This proof is not for facture.txt: it commits to another document."));
    // Nor does a cut one.
    const QString cutPath = writeFile(dir, QStringLiteral("cut.ots"), [&] {
        QFile f(proofPath);
        return f.open(QIODevice::ReadOnly) ? f.read(f.size() / 2) : QByteArray();
    }());
    screen->verifyFile(contractPath, cutPath);
    QTRY_VERIFY_WITH_TIMEOUT(!label(w.get(), "verifyResultLabel").startsWith(QStringLiteral("Checking")), 20000);
    QVERIFY2(label(w.get(), "verifyResultLabel").startsWith(QStringLiteral("This is not a valid proof: ")),
             qPrintable(label(w.get(), "verifyResultLabel")));

    // The contract again, under another name: its anchor is selected, nothing is spent or queued.
    GuiRig::find<QTableView>(w.get(), "fileAnchorsTable")->selectRow(invoiceRow);
    const QString copyPath = writeFile(dir, QStringLiteral("contrat-copie.pdf"), contract);
    QVERIFY(drop(screen, {copyPath}));
    QTRY_VERIFY_WITH_TIMEOUT(label(w.get(), "anchoringMessageLabel").contains(QStringLiteral("already anchored")),
                             20000);
    QCOMPARE(label(w.get(), "anchoringMessageLabel"),
             QStringLiteral("contrat-copie.pdf is already anchored: its anchor is selected, nothing new is spent."));
    QCOMPARE(files->rowCount(), 2);
    const auto selected = GuiRig::find<QTableView>(w.get(), "fileAnchorsTable")->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().row(), contractRow);
    QCOMPARE(rig.node->rpc(QStringLiteral("getrawmempool")).toArray().size(), 0);
    std::optional<QJsonObject> snapshot;
    model->runtime()->snapshot([&](QJsonObject o) { snapshot = o; });
    QTRY_VERIFY(snapshot.has_value());
    QCOMPARE(snapshot->value(QStringLiteral("pending_digests")).toInt(), 0); // nothing waits for a round
}

void TestAnchoring::settingsTestsTheNodeAndNoNodeShowsTheHint()
{
    GuiRig rig;
    QVERIFY(rig.setUp()); // no node in the settings
    auto w = rig.openWindow(QStringLiteral("device1"));
    QVERIFY(GuiRig::find<QListWidget>(w.get(), "navigation"));
    w->showPage(QStringLiteral("anchoringScreen"));
    QCOMPARE(w->anchoringModel()->status(), AnchoringModel::Status::NoNode);
    auto* status = GuiRig::find<QLabel>(w.get(), "anchoringStatusLabel");
    QVERIFY2(status->text().startsWith(QStringLiteral("No Bitcoin node is configured")), qPrintable(status->text()));
    QVERIFY(!GuiRig::find<QPushButton>(w.get(), "addFilesButton")->isEnabled());
    // The link leads to the settings.
    Q_EMIT status->linkActivated(QStringLiteral("settings"));
    QVERIFY(w->settingsScreen()->isVisible());

    // A port nobody listens on: the error, in words.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    auto* url = GuiRig::find<QLineEdit>(w.get(), "rpcUrlEdit");
    url->setText(QStringLiteral("http://127.0.0.1:%1").arg(port));
    auto* test = GuiRig::find<QPushButton>(w.get(), "testNodeButton");
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), 20000);
    QCOMPARE(label(w.get(), "nodeTestLabel"),
             QStringLiteral("The node did not answer: The Bitcoin node is unreachable: Connection refused."));

    // The double: its chain and height.
    QTemporaryDir dir;
    DoubleProcess node(dir.filePath(QStringLiteral(".cookie")));
    QVERIFY(node.start());
    node.rpc(QStringLiteral("generatetoaddress"), {7, kElsewhere});
    url->setText(node.url());
    GuiRig::find<QLineEdit>(w.get(), "cookieEdit")->setText(node.cookieFile());
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), 20000);
    QCOMPARE(
        label(w.get(), "nodeTestLabel"),
        QStringLiteral("Connected: chain signet, height %1.").arg(node.rpc(QStringLiteral("getblockcount")).toInt()));
    // Wrong credentials say so too.
    GuiRig::find<QLineEdit>(w.get(), "cookieEdit")->clear();
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), 20000);
    QVERIFY2(label(w.get(), "nodeTestLabel").startsWith(QStringLiteral("The node did not answer: ")),
             qPrintable(label(w.get(), "nodeTestLabel")));
}

void TestAnchoring::namesComeBackAfterARestart()
{
    GuiRig rig;
    QVERIFY(rig.setUp());
    QVERIFY(rig.setUpNode());
    // Rounds of one digest, closed a second after it (anchoring/round_* settings): each file gets a
    // transaction of its own, which shows that the settings reach the window's anchoring core.
    rig.roundIntervalSeconds = 1;
    rig.roundMaxDigests = 1;
    QTemporaryDir dir;
    const QByteArray statutes = "Statuts de l'association, version adoptée\n";
    const QByteArray minutes = "Procès-verbal de l'assemblée générale\n";
    const QString statutesPath = writeFile(dir, QStringLiteral("statuts.odt"), statutes);
    const QString minutesPath = writeFile(dir, QStringLiteral("pv-ag.txt"), minutes);
    QVERIFY(!statutesPath.isEmpty() && !minutesPath.isEmpty());
    const QString namesFile = AnchoredFileNames::fileIn(rig.profile(QStringLiteral("device1")).dataDir());
    auto cell = [](FileAnchorModel* files, const QString& digest, int column, int role = Qt::DisplayRole) {
        return files->index(files->rowOf(digest), column).data(role).toString();
    };
    QString statutesTx, minutesTx;
    {
        auto w = rig.openWindow(QStringLiteral("device1"));
        QVERIFY(GuiRig::find<QListWidget>(w.get(), "navigation"));
        w->showPage(QStringLiteral("anchoringScreen"));
        AnchoringModel* model = w->anchoringModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->status(), AnchoringModel::Status::Running, 30000);
        const int mempoolBefore = int(rig.node->rpc(QStringLiteral("getrawmempool")).toArray().size());
        QVERIFY(drop(w->anchoringScreen(), {statutesPath, minutesPath}));
        FileAnchorModel* files = model->files();
        QTRY_COMPARE_WITH_TIMEOUT(files->rowCount(), 2, 20000);
        for (const QByteArray* content : {&statutes, &minutes})
            QTRY_COMPARE_WITH_TIMEOUT(cell(files, sha256(*content), FileAnchorModel::State, Qt::UserRole),
                                      QStringLiteral("broadcast"), kRoundMs);
        statutesTx = cell(files, sha256(statutes), FileAnchorModel::Transaction, Qt::UserRole);
        minutesTx = cell(files, sha256(minutes), FileAnchorModel::Transaction, Qt::UserRole);
        QCOMPARE(statutesTx.size(), 64);
        QVERIFY(statutesTx != minutesTx); // two rounds of one
        QCOMPARE(int(rig.node->rpc(QStringLiteral("getrawmempool")).toArray().size()), mempoolBefore + 2);
        // The name table is on disk (written on a worker).
        QTRY_COMPARE_WITH_TIMEOUT(AnchoredFileNames::load(namesFile).entries.size(), 2, 20000);
    } // the window goes, and its model, its anchoring core and its page with it

    // A new window on the same profile lists both files by name again, then their anchors' state.
    {
        auto w = rig.openWindow(QStringLiteral("device1"));
        QVERIFY(GuiRig::find<QListWidget>(w.get(), "navigation"));
        w->showPage(QStringLiteral("anchoringScreen"));
        FileAnchorModel* files = w->anchoringModel()->files();
        QTRY_COMPARE_WITH_TIMEOUT(files->rowCount(), 2, 20000);
        QCOMPARE(cell(files, sha256(statutes), FileAnchorModel::File), QStringLiteral("statuts.odt"));
        QCOMPARE(cell(files, sha256(minutes), FileAnchorModel::File), QStringLiteral("pv-ag.txt"));
        QVERIFY(cell(files, sha256(statutes), FileAnchorModel::File, Qt::ToolTipRole).startsWith(statutesPath));
        QTRY_COMPARE_WITH_TIMEOUT(cell(files, sha256(statutes), FileAnchorModel::State, Qt::UserRole),
                                  QStringLiteral("broadcast"), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(files, sha256(minutes), FileAnchorModel::State, Qt::UserRole),
                                  QStringLiteral("broadcast"), 30000);
        QCOMPARE(cell(files, sha256(statutes), FileAnchorModel::Transaction, Qt::UserRole), statutesTx);
        QCOMPARE(cell(files, sha256(minutes), FileAnchorModel::Transaction, Qt::UserRole), minutesTx);
        QVERIFY(GuiRig::find<QTableView>(w.get(), "fileAnchorsTable")->isVisible());
        QVERIFY(!GuiRig::find<QLabel>(w.get(), "anchoringNamesWarningLabel")->isVisible());
    }

    // A name table cut in the middle (a disk that filled up, an editor): the page says so, keeps
    // the unreadable file aside, and anchors and lists new files as before.
    QByteArray cut;
    {
        QFile f(namesFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        cut = f.readAll();
    }
    cut.chop(cut.size() / 2);
    {
        QFile f(namesFile);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(cut), cut.size());
    }
    {
        auto w = rig.openWindow(QStringLiteral("device1"));
        QVERIFY(GuiRig::find<QListWidget>(w.get(), "navigation"));
        w->showPage(QStringLiteral("anchoringScreen"));
        AnchoringModel* model = w->anchoringModel();
        auto* warning = GuiRig::find<QLabel>(w.get(), "anchoringNamesWarningLabel");
        QTRY_VERIFY_WITH_TIMEOUT(warning->isVisible(), 20000);
        QVERIFY2(warning->text().startsWith(
                     QStringLiteral("The names of the files anchored earlier could not be read from %1: it is not "
                                    "valid JSON")
                         .arg(QDir::toNativeSeparators(namesFile))),
                 qPrintable(warning->text()));
        QVERIFY2(warning->text().contains(QStringLiteral("The old list was kept as")), qPrintable(warning->text()));
        QFile aside(AnchoredFileNames::setAsidePath(namesFile));
        QVERIFY(aside.open(QIODevice::ReadOnly));
        QCOMPARE(aside.readAll(), cut); // kept as it was
        QCOMPARE(model->files()->rowCount(), 0);
        QVERIFY(GuiRig::find<QLabel>(w.get(), "anchoringEmptyLabel")->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(model->status(), AnchoringModel::Status::Running, 30000);
        const QByteArray invoice = "Facture 2025-004\n";
        QVERIFY(drop(w->anchoringScreen(), {writeFile(dir, QStringLiteral("facture-004.txt"), invoice)}));
        QTRY_COMPARE_WITH_TIMEOUT(cell(model->files(), sha256(invoice), FileAnchorModel::State, Qt::UserRole),
                                  QStringLiteral("broadcast"), kRoundMs);
        QTRY_COMPARE_WITH_TIMEOUT(AnchoredFileNames::load(namesFile).entries.size(), 1, 20000);
        const AnchoredFileNames::Entry saved = AnchoredFileNames::load(namesFile).entries.first();
        QCOMPARE(saved.digest, sha256(invoice));
        QCOMPARE(saved.name, QStringLiteral("facture-004.txt"));
        QVERIFY(saved.added.isValid());
    }
}

void TestAnchoring::syncShowsItsProgressAndCancels()
{
    GuiRig rig;
    QVERIFY(rig.setUp());
    // A node whose scan of its UTXO set takes about 4 s (400,000 coins at 100,000 a second).
    QVERIFY(rig.setUpNode({QStringLiteral("--scan-extra-coins"), QStringLiteral("400000"),
                           QStringLiteral("--scan-rate"), QStringLiteral("100000")}));
    auto w = rig.openWindow(QStringLiteral("device1"));
    QVERIFY(GuiRig::find<QListWidget>(w.get(), "navigation"));
    w->showPage(QStringLiteral("anchoringScreen"));
    AnchoringModel* model = w->anchoringModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->status(), AnchoringModel::Status::Running, 30000);
    auto* sync = GuiRig::find<QPushButton>(w.get(), "syncUtxosButton");
    auto* bar = GuiRig::find<QProgressBar>(w.get(), "syncProgressBar");
    auto* cancel = GuiRig::find<QPushButton>(w.get(), "cancelSyncButton");
    QVERIFY(sync && bar && cancel);
    QVERIFY(sync->isEnabled());
    QVERIFY(!bar->isVisible());

    // The scan under way: the bar moves, the label names the step; the window keeps answering.
    QTest::mouseClick(sync, Qt::LeftButton);
    QVERIFY(!sync->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(bar->isVisible() && bar->value() > 0, 30000);
    QVERIFY2(label(w.get(), "syncProgressLabel").startsWith(QStringLiteral("Scanning the node's UTXO set… ")),
             qPrintable(label(w.get(), "syncProgressLabel")));
    QVERIFY(rig.node->rpc(QStringLiteral("scantxoutset"), {QStringLiteral("status")}).isObject());

    // Cancel: aborted on the node, said in words, nothing imported.
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(label(w.get(), "syncProgressLabel"), QStringLiteral("Cancelling: stopping the node's scan…"));
    QTRY_COMPARE_WITH_TIMEOUT(label(w.get(), "anchoringMessageLabel"),
                              QStringLiteral("Sync cancelled: the node's scan was stopped and nothing was imported."),
                              30000);
    QVERIFY(!bar->isVisible());
    QVERIFY(sync->isEnabled());
    QCOMPARE(rig.node->rpc(QStringLiteral("scantxoutset"), {QStringLiteral("status")}), QJsonValue(QJsonValue::Null));

    // Run to its end: every coin of the wallet on the node is known already (the set-up's sync,
    // then the chain follower), so none is new.
    QTest::mouseClick(sync, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(label(w.get(), "anchoringMessageLabel").contains(QStringLiteral("already known")), 60000);
    QVERIFY2(label(w.get(), "anchoringMessageLabel").startsWith(QStringLiteral("0 UTXO")),
             qPrintable(label(w.get(), "anchoringMessageLabel")));
    QVERIFY(!bar->isVisible());

    // The saving step names how many UTXOs it writes.
    Q_EMIT model->syncProgress(true, 1000, 173000);
    QVERIFY(bar->isVisible());
    QVERIFY2(label(w.get(), "syncProgressLabel").startsWith(QStringLiteral("Saving 173")),
             qPrintable(label(w.get(), "syncProgressLabel")));
}

QTEST_MAIN(TestAnchoring)
#include "test_anchoring.moc"
