#include "support/GuiRig.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTcpServer>
#include <QTest>

namespace uw::test {

GuiRig::GuiRig() = default;
GuiRig::~GuiRig() = default;

Profile GuiRig::profile(const QString& name) const
{
    return Profile::resolve(name, m_dir.path() + QLatin1Char('/') + name).value();
}

Settings GuiRig::settings(int timeoutSeconds) const
{
    Settings s;
    s.relayUrls = {relayUrl};
    s.loginTimeoutSeconds = timeoutSeconds;
    s.roundIntervalSeconds = roundIntervalSeconds;
    s.roundMaxDigests = roundMaxDigests;
    s.knownServices = {KnownService{QStringLiteral("lecoffre"), QStringLiteral("lecoffre"), QUrl(parent.url())}};
    if (node) {
        s.bitcoinRpcUrl = QUrl(node->url());
        s.bitcoinRpcCookie = node->cookieFile();
    }
    return s;
}

bool GuiRig::setUp()
{
    if (!parent.listen())
        return false;
    m_relay = std::make_unique<RelayProcess>(m_dir.path() + QStringLiteral("/relay.sqlite"));
    if (!m_relay->start())
        return false;
    relayUrl = m_relay->url();
    const QStringList d1{QStringLiteral("--data-dir"), profile(QStringLiteral("device1")).dataDir()};
    const QStringList d2{QStringLiteral("--data-dir"), profile(QStringLiteral("device2")).dataDir()};
    int code = -1;
    runCli(d1 + QStringList{QStringLiteral("init"), QStringLiteral("--member"), QStringLiteral("alice"),
                            QStringLiteral("--name"), QStringLiteral("Alice Martin"), QStringLiteral("--cardinality"),
                            QStringLiteral("2")},
           {}, &code);
    if (code != 0)
        return false;
    CliProcess offer(d1 + QStringList{QStringLiteral("pair-offer"), QStringLiteral("--yes")}, {relayUrl});
    offer.start();
    const QString link = offer.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    CliProcess join(d2 + QStringList{QStringLiteral("pair-join"), link}, {relayUrl});
    join.start();
    return offer.waitForExit() == 0 && join.waitForExit() == 0;
}

bool GuiRig::setUpNode(const QStringList& doubleArgs)
{
    node = std::make_unique<DoubleProcess>(m_dir.path() + QStringLiteral("/.cookie"), doubleArgs);
    if (!node->start())
        return false;
    const QHash<QString, QString> env{{QStringLiteral("BITCOIN_RPC_URL"), node->url()},
                                      {QStringLiteral("BITCOIN_RPC_COOKIE"), node->cookieFile()}};
    const QStringList d1{QStringLiteral("--data-dir"), profile(QStringLiteral("device1")).dataDir()};
    auto cli = [&](const QStringList& args) {
        CliProcess p(d1 + args, {}, nullptr, env);
        p.start();
        const int code = p.waitForExit(60000);
        return std::make_pair(code, p.lines().isEmpty() ? QJsonObject() : p.lines().last());
    };
    const auto address = cli({QStringLiteral("address")});
    if (address.first != 0)
        return false;
    const QString elsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
    node->rpc(QStringLiteral("generatetoaddress"), {3, address.second.value(QStringLiteral("address")).toString()});
    node->rpc(QStringLiteral("generatetoaddress"), {100, elsewhere});
    if (cli({QStringLiteral("utxo"), QStringLiteral("sync")}).first != 0)
        return false;
    for (int i = 0; i < 6; ++i) {
        if (cli({QStringLiteral("anchor"), QStringLiteral("--digest"),
                 QString::fromLatin1(
                     QCryptographicHash::hash(QByteArray::number(i), QCryptographicHash::Sha256).toHex()),
                 QStringLiteral("--poll-ms"), QStringLiteral("100")})
                .first != 0)
            return false;
        if (i % 2 == 1)
            node->rpc(QStringLiteral("generatetoaddress"), {1, elsewhere});
    }
    QTcpServer closed;
    closed.listen(QHostAddress::LocalHost);
    const quint16 closedPort = closed.serverPort();
    closed.close();
    const QJsonArray services{
        QJsonObject{{QStringLiteral("name"), QStringLiteral("tor")},
                    {QStringLiteral("url"), QStringLiteral("tcp://127.0.0.1:%1").arg(closedPort)}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("bitcoin-rpc")}, {QStringLiteral("url"), node->url()}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("sdk_relay")},
                    {QStringLiteral("url"), relayUrl},
                    {QStringLiteral("depends_on"), QJsonArray{QStringLiteral("bitcoin-rpc")}}},
        QJsonObject{{QStringLiteral("name"), QStringLiteral("lecoffre-back")},
                    {QStringLiteral("url"), parent.url(QStringLiteral("/health"))},
                    {QStringLiteral("depends_on"), QJsonArray{QStringLiteral("tor")}}},
    };
    QFile f(profile(QStringLiteral("device1")).servicesFile());
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QJsonDocument(services).toJson());
    return true;
}

std::unique_ptr<ui::MainWindow> GuiRig::openWindow(const QString& name, int timeoutSeconds)
{
    auto w = std::make_unique<ui::MainWindow>(profile(name), settings(timeoutSeconds), SystemClock::instance());
    w->show();
    auto* pass = find<QLineEdit>(w.get(), "unlockPassphraseEdit");
    QTest::keyClicks(pass, QStringLiteral("test passphrase"));
    QTest::mouseClick(find<QPushButton>(w.get(), "unlockButton"), Qt::LeftButton);
    (void)QTest::qWaitFor([&] { return find<QListWidget>(w.get(), "navigation") != nullptr; }, 20000);
    return w;
}

} // namespace uw::test
