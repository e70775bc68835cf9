// Soak run (issue #6), not a test: the anchoring core anchors 50 digests a minute against the
// Bitcoin Core test double for N minutes while the dashboard page is open and refreshing.
// Prints, every minute, the process RSS, the anchors done, and the GUI thread's CPU time.
//   xvfb-run -a build/bench/soak [minutes]
#include "MainWindow.h"
#include "anchor/AnchorRuntime.h"
#include "chain/BitcoinCoreRpc.h"
#include "crypto/KeyFile.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "identity/KeyStore.h"
#include "support/Processes.h"
#include "util/ProcessStats.h"

#include <QApplication>
#include <QFile>
#include <QJsonArray>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <cstdio>
#include <unistd.h>

using namespace uw;

namespace {

/// CPU seconds of the main (GUI) thread: utime + stime of /proc/self/task/<pid>/stat.
double guiThreadCpu()
{
    QFile f(QStringLiteral("/proc/self/task/%1/stat").arg(getpid()));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = f.readAll().split(')').last().trimmed().split(' ');
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / double(sysconf(_SC_CLK_TCK));
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const int minutes = argc > 1 ? std::atoi(argv[1]) : 30;
    QTemporaryDir dir(QStringLiteral("soak-XXXXXX"));
    test::DoubleProcess node(dir.path() + QStringLiteral("/.cookie"));
    if (!node.start())
        return 2;
    const QByteArray pass("soak passphrase");
    const Profile profile = Profile::resolve(QStringLiteral("soak"), dir.path() + QStringLiteral("/profile")).value();
    (void)profile.ensureExists();
    const PairRef pair = KeyStore(profile.keysDir()).createPair(pass).value();
    (void)MemberDocument{QStringLiteral("operator"), QStringLiteral("Node operator"), 1, {pair}}.save(
        profile.memberFile());
    const btc::WalletKey key =
        btc::WalletKey::fromSecret(schnorr::generateSecretKey(), btc::KeyType::P2WPKH, btc::Network::Signet).value();
    const QString elsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
    node.rpc(QStringLiteral("generatetoaddress"), {100, key.address()});
    node.rpc(QStringLiteral("generatetoaddress"), {100, elsewhere});
    {
        AnchorStore store = AnchorStore::open(profile.anchorDatabase()).value();
        (void)store.importUtxos(BitcoinCoreRpc::parseScan(
            node.rpc(QStringLiteral("scantxoutset"),
                     {QStringLiteral("start"), QJsonArray{QStringLiteral("addr(%1)").arg(key.address())}})
                .toObject(),
            key.script()));
    }

    // The dashboard, open and refreshing (every 10 s) for the whole run.
    Settings settings;
    settings.relayUrls = {QStringLiteral("ws://127.0.0.1:9")};
    settings.bitcoinRpcUrl = QUrl(node.url());
    settings.bitcoinRpcCookie = node.cookieFile();
    ui::MainWindow window(profile, settings, SystemClock::instance());
    window.show();
    QTest::keyClicks(window.findChild<QLineEdit*>(QStringLiteral("unlockPassphraseEdit")), QString::fromLatin1(pass));
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("unlockButton")), Qt::LeftButton);
    if (!QTest::qWaitFor([&] { return window.findChild<QWidget*>(QStringLiteral("dashboardScreen")) != nullptr; },
                         30000))
        return 3;
    window.showPage(QStringLiteral("dashboardScreen"));

    AnchorRuntime runtime({profile.anchorDatabase(), BackendConfig{QUrl(node.url()), node.cookieFile(), QUrl(), QUrl()},
                           key, AnchorService::Options{}, 2000},
                          SystemClock::instance());
    int broadcast = 0, sent = 0;
    QObject::connect(&runtime, &AnchorRuntime::anchorUpdated, &runtime,
                     [&](qint64, AnchorState state) { broadcast += state == AnchorState::Broadcast ? 1 : 0; });
    runtime.start();
    QTimer feed; // 50 a minute
    QObject::connect(&feed, &QTimer::timeout, &runtime, [&] {
        runtime.enqueue({Sha256::hashHex(QByteArray(QByteArray("soak ") + QByteArray::number(sent++)))}, false);
    });
    feed.start(1200);
    QTimer mine; // a block a minute, as signet does on average... ten times faster
    QObject::connect(&mine, &QTimer::timeout, &runtime, [&] {
        node.rpc(QStringLiteral("generatetoaddress"), {1, elsewhere});
    });
    mine.start(60000);
    std::printf("minute,rss_kb,anchors_requested,anchors_broadcast,gui_thread_cpu_s\n");
    int minute = 0;
    auto sample = [&] {
        std::printf("%d,%ld,%d,%d,%.2f\n", minute, processStats::rssKb(), sent, broadcast, guiThreadCpu());
        std::fflush(stdout);
    };
    sample();
    QTimer report;
    QObject::connect(&report, &QTimer::timeout, &runtime, [&] {
        ++minute;
        sample();
        if (minute >= minutes)
            QApplication::quit();
    });
    report.start(60000);
    return QApplication::exec();
}
