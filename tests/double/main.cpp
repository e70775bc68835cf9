// bitcoind-double: the Bitcoin Core JSON-RPC test double as a process, for the CLI tests, the
// crash test, the soak run and the demo.
//   bitcoind-double [--port N] [--cookie-file PATH] [--chain signet|regtest] [--fee-rate BTC/kvB]
//                   [--scan-extra-coins N] [--scan-rate COINS_PER_SECOND]
//                   [--txcheck DIR]    (default: $UW_TXCHECK_DIR) bitcoinjs-lib checks what it accepts
//                   [--policy 27|29|30]    (default: $UW_DOUBLE_POLICY, else 30; CTest sets it per run)
#include "double/CoreDouble.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <cstdio>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption(
        {QStringLiteral("port"), QStringLiteral("Port (0: a free one)."), QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("cookie-file"), QStringLiteral("Write an RPC cookie here and require it."),
                 QStringLiteral("PATH")});
    p.addOption({QStringLiteral("chain"), QStringLiteral("signet or regtest."), QStringLiteral("NAME"),
                 QStringLiteral("signet")});
    p.addOption({QStringLiteral("fee-rate"), QStringLiteral("estimatesmartfee answer in BTC/kvB (0: no estimate)."),
                 QStringLiteral("R"), QStringLiteral("0")});
    p.addOption({QStringLiteral("zmq-hashblock"),
                 QStringLiteral("Publish hashblock on this endpoint (tcp://127.0.0.1:PORT)."),
                 QStringLiteral("ENDPOINT")});
    p.addOption({QStringLiteral("scan-extra-coins"),
                 QStringLiteral("scantxoutset walks this many coins besides the real ones (a big UTXO set)."),
                 QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("scan-rate"),
                 QStringLiteral("Coins scantxoutset walks per second (0: as fast as it can, in chunks)."),
                 QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("policy"),
                 QStringLiteral("Bitcoin Core release whose default mempool policy applies: 27, 29 (29.1+) or 30 "
                                "(default: $UW_DOUBLE_POLICY, else 30)."),
                 QStringLiteral("VERSION"), qEnvironmentVariable("UW_DOUBLE_POLICY", QStringLiteral("30"))});
    p.addOption({QStringLiteral("txcheck"),
                 QStringLiteral("tests/tools/txcheck: bitcoinjs-lib checks every accepted transaction, in batches "
                                "(default: $UW_TXCHECK_DIR; none when empty)."),
                 QStringLiteral("DIR"), qEnvironmentVariable("UW_TXCHECK_DIR")});
    p.process(app);
    uw::test::CoreDouble::Options o;
    o.chain = p.value(QStringLiteral("chain"));
    const auto policy = uw::test::CoreDouble::Policy::of(p.value(QStringLiteral("policy")).toInt());
    if (!policy) {
        std::fprintf(stderr, "bitcoind-double: --policy is 27, 29 or 30, not '%s'\n",
                     qPrintable(p.value(QStringLiteral("policy"))));
        return 2;
    }
    o.policy = *policy;
    o.txcheckDir = p.value(QStringLiteral("txcheck"));
    o.feeRateBtcPerKvb = p.value(QStringLiteral("fee-rate")).toDouble();
    o.zmqHashblock = p.value(QStringLiteral("zmq-hashblock"));
    o.scanExtraCoins = p.value(QStringLiteral("scan-extra-coins")).toLongLong();
    o.scanCoinsPerSecond = p.value(QStringLiteral("scan-rate")).toLongLong();
    if (p.isSet(QStringLiteral("cookie-file"))) {
        o.cookie = QStringLiteral("__cookie__:") + QString::number(QRandomGenerator::system()->generate64(), 16);
        QFile f(p.value(QStringLiteral("cookie-file")));
        if (!f.open(QIODevice::WriteOnly) || f.write(o.cookie.toUtf8()) < 0)
            return 2;
    }
    uw::test::CoreDouble node(o);
    if (!node.listen(quint16(p.value(QStringLiteral("port")).toUInt())))
        return 2;
    // "stop": the answer is written out, then the process ends (3 when bitcoinjs-lib refused one).
    QObject::connect(
        &node, &uw::test::CoreDouble::stopRequested, &app,
        [&node](int code) {
            for (QTcpSocket* s : node.findChildren<QTcpSocket*>()) {
                s->flush();
                s->waitForBytesWritten(1000);
            }
            QCoreApplication::exit(code);
        },
        Qt::QueuedConnection);
    std::printf("{\"rpc\":\"%s\"}\n", qPrintable(node.url()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
