// The anchoring commands of userwallet-cli as a user runs them, against the Bitcoin Core
// test double as its own process.
#include "crypto/Sha256.h"
#include "support/OtsCheck.h"
#include "support/Processes.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <csignal>

using namespace uw;
using namespace uw::test;

class TestAnchorCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void addressIsStable();
    void settingsErrorsNameTheSetting_data();
    void settingsErrorsNameTheSetting();
    void importIsAllOrNothing();
    void dryRunTouchesNothing();
    void anchorsOnceUnlessForced();
    void fanoutSplitsACoin();
    void digestsFileQueuesEachAndEndsOnce();
    void roundCommitsToAllDigestsInOneTransaction();
    void roundHoldsAtMostRoundMaxDigests();
    void proofOfAConfirmedDigestChecksAgainstTheNode();
    void nodeDownTimesOutWithTheReason();
    void syncPrintsTheScanProgress();
    void interruptAbortsTheScanOnTheNode();

private:
    /// A node whose scantxoutset walks `extraCoins` more coins at `rate` coins a second, and a
    /// new wallet named `name` on it holding two coins (its --data-dir in `dataDir`).
    std::unique_ptr<DoubleProcess> slowScanNode(const QString& name, const QString& extraCoins, const QString& rate,
                                                QString* dataDir);
    static QHash<QString, QString> nodeEnv(const DoubleProcess& node)
    {
        return {{QStringLiteral("BITCOIN_RPC_URL"), node.url()},
                {QStringLiteral("BITCOIN_RPC_COOKIE"), node.cookieFile()}};
    }
    struct Run
    {
        int code;
        QList<QJsonObject> lines;
        QByteArray err;
        QJsonObject last() const { return lines.isEmpty() ? QJsonObject() : lines.last(); }
    };
    Run cli(const QStringList& args, QHash<QString, QString> env = {});
    QString write(const QString& name, const QByteArray& data);

    QTemporaryDir m_dir;
    std::unique_ptr<DoubleProcess> m_node;
    QHash<QString, QString> m_env;
    QString m_address;
    QString m_script;
    const QString m_elsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
};

TestAnchorCli::Run TestAnchorCli::cli(const QStringList& args, QHash<QString, QString> env)
{
    for (auto it = m_env.cbegin(); it != m_env.cend(); ++it)
        if (!env.contains(it.key()))
            env.insert(it.key(), it.value());
    CliProcess p(QStringList{QStringLiteral("--data-dir"), m_dir.path() + QStringLiteral("/wallet")} + args, {},
                 nullptr, env);
    p.start();
    const int code = p.waitForExit(60000);
    return Run{code, p.lines(), p.stderrText()};
}

QString TestAnchorCli::write(const QString& name, const QByteArray& data)
{
    QFile f(m_dir.path() + QLatin1Char('/') + name);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write");
    f.write(data);
    return f.fileName();
}

void TestAnchorCli::initTestCase()
{
    m_node = std::make_unique<DoubleProcess>(m_dir.path() + QStringLiteral("/.cookie"));
    QVERIFY(m_node->start());
    m_env = {{QStringLiteral("BITCOIN_RPC_URL"), m_node->url()},
             {QStringLiteral("BITCOIN_RPC_COOKIE"), m_node->cookieFile()}};
    const Run address = cli({QStringLiteral("address")});
    QCOMPARE(address.code, 0);
    m_address = address.last().value(QStringLiteral("address")).toString();
    m_script = address.last().value(QStringLiteral("script")).toString();
    QVERIFY(m_address.startsWith(QStringLiteral("tb1q")));
    QVERIFY(m_script.startsWith(QStringLiteral("0014")));
    m_node->rpc(QStringLiteral("generatetoaddress"), {3, m_address});
    m_node->rpc(QStringLiteral("generatetoaddress"), {100, m_elsewhere});
}

void TestAnchorCli::addressIsStable()
{
    const Run again = cli({QStringLiteral("address")});
    QCOMPARE(again.last().value(QStringLiteral("address")).toString(), m_address);
    QCOMPARE(again.last().value(QStringLiteral("network")).toString(), QStringLiteral("signet"));
    const Run wrong =
        cli({QStringLiteral("address")}, {{QStringLiteral("USERWALLET_PASSPHRASE"), QStringLiteral("not it")}});
    QCOMPARE(wrong.code, 1);
    QCOMPARE(wrong.last().value(QStringLiteral("error")).toString(), QStringLiteral("wrong_passphrase"));
}

void TestAnchorCli::settingsErrorsNameTheSetting_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("rpc url") << QStringLiteral("BITCOIN_RPC_URL") << QStringLiteral("ftp://node:38332")
                             << QStringLiteral("BITCOIN_RPC_URL");
    QTest::newRow("mempool url") << QStringLiteral("MEMPOOL_API_URL") << QStringLiteral("not a url")
                                 << QStringLiteral("MEMPOOL_API_URL");
    QTest::newRow("relays") << QStringLiteral("RELAY_URLS") << QStringLiteral("ws://ok:1,http://bad")
                            << QStringLiteral("RELAY_URLS");
    QTest::newRow("zmq") << QStringLiteral("BITCOIN_ZMQ_HASHBLOCK") << QStringLiteral("http://x:29000")
                         << QStringLiteral("BITCOIN_ZMQ_HASHBLOCK");
    QTest::newRow("round interval") << QStringLiteral("ANCHOR_ROUND_INTERVAL") << QStringLiteral("0")
                                    << QStringLiteral("ANCHOR_ROUND_INTERVAL");
    QTest::newRow("round size") << QStringLiteral("ANCHOR_ROUND_MAX_DIGESTS") << QStringLiteral("many")
                                << QStringLiteral("ANCHOR_ROUND_MAX_DIGESTS");
    QTest::newRow("mainnet refused") << QStringLiteral("BITCOIN_NETWORK") << QStringLiteral("main")
                                     << QStringLiteral("Mainnet is refused");
}

void TestAnchorCli::settingsErrorsNameTheSetting()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const Run r = cli({QStringLiteral("utxo"), QStringLiteral("sync")}, {{name, value}});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.last().value(QStringLiteral("message")).toString().contains(expected),
             qPrintable(r.last().value(QStringLiteral("message")).toString()));
}

void TestAnchorCli::importIsAllOrNothing()
{
    const QString coin = m_node
                             ->rpc(QStringLiteral("scantxoutset"),
                                   {QStringLiteral("start"), QJsonArray{QStringLiteral("addr(%1)").arg(m_address)}})
                             .toObject()
                             .value(QStringLiteral("unspents"))
                             .toArray()
                             .at(0)
                             .toObject()
                             .value(QStringLiteral("txid"))
                             .toString();
    const QByteArray good = QJsonDocument(QJsonObject{{QStringLiteral("txid"), coin},
                                                      {QStringLiteral("vout"), 0},
                                                      {QStringLiteral("value"), qint64(5000000000LL)},
                                                      {QStringLiteral("script"), m_script},
                                                      {QStringLiteral("height"), 1}})
                                .toJson(QJsonDocument::Compact);
    const QByteArray foreign =
        QJsonDocument(
            QJsonObject{{QStringLiteral("txid"), coin},
                        {QStringLiteral("vout"), 1},
                        {QStringLiteral("value"), 1000},
                        {QStringLiteral("script"), QString(QStringLiteral("0014") + QString(40, QLatin1Char('1')))}})
            .toJson(QJsonDocument::Compact);
    const Run bad = cli({QStringLiteral("utxo"), QStringLiteral("import"),
                         write(QStringLiteral("bad.jsonl"), QByteArray(good + "\n" + foreign + "\n"))});
    QCOMPARE(bad.code, 1);
    QVERIFY(bad.last().value(QStringLiteral("message")).toString().contains(QStringLiteral("line 2")));
    QCOMPARE(cli({QStringLiteral("utxo"), QStringLiteral("stats")})
                 .last()
                 .value(QStringLiteral("unspent"))
                 .toObject()
                 .value(QStringLiteral("count"))
                 .toInt(),
             0);
    const Run ok = cli({QStringLiteral("utxo"), QStringLiteral("import"),
                        write(QStringLiteral("good.jsonl"), QByteArray(good + "\n"))});
    QCOMPARE(ok.code, 0);
    QCOMPARE(ok.last().value(QStringLiteral("imported")).toInt(), 1);
    QCOMPARE(ok.last().value(QStringLiteral("already_present")).toInt(), 0);

    // The same file again: nothing new, and said so.
    const Run again =
        cli({QStringLiteral("utxo"), QStringLiteral("import"), write(QStringLiteral("good.jsonl"), good)});
    QCOMPARE(again.code, 0);
    QCOMPARE(again.last().value(QStringLiteral("imported")).toInt(), 0);
    QCOMPARE(again.last().value(QStringLiteral("already_present")).toInt(), 1);
    QVERIFY2(again.err.contains("imported 0, already present 1"), again.err.constData());

    // A coin not yet stored, then the stored one with another value: refused as a whole, the
    // outpoint named, the stored value kept and the new coin not taken.
    const QJsonArray unspents =
        m_node
            ->rpc(QStringLiteral("scantxoutset"),
                  {QStringLiteral("start"), QJsonArray{QStringLiteral("addr(%1)").arg(m_address)}})
            .toObject()
            .value(QStringLiteral("unspents"))
            .toArray();
    QString other;
    for (const QJsonValue& u : unspents)
        if (u.toObject().value(QStringLiteral("txid")).toString() != coin)
            other = u.toObject().value(QStringLiteral("txid")).toString();
    QVERIFY(!other.isEmpty());
    QJsonObject changed = QJsonDocument::fromJson(good).object();
    changed.insert(QStringLiteral("value"), qint64(4000000000LL));
    QJsonObject fresh = QJsonDocument::fromJson(good).object();
    fresh.insert(QStringLiteral("txid"), other);
    const Run conflict = cli(
        {QStringLiteral("utxo"), QStringLiteral("import"),
         write(QStringLiteral("conflict.jsonl"), QJsonDocument(fresh).toJson(QJsonDocument::Compact) + "\n" +
                                                     QJsonDocument(changed).toJson(QJsonDocument::Compact) + "\n")});
    QCOMPARE(conflict.code, 1);
    QCOMPARE(conflict.last().value(QStringLiteral("error")).toString(), QStringLiteral("utxo_conflict"));
    const QString why = conflict.last().value(QStringLiteral("message")).toString();
    QVERIFY2(why.contains(coin + QStringLiteral(":0")) && why.contains(QStringLiteral("5000000000 sat")) &&
                 why.contains(QStringLiteral("4000000000 sat")),
             qPrintable(why));
    const QJsonObject unspent =
        cli({QStringLiteral("utxo"), QStringLiteral("stats")}).last().value(QStringLiteral("unspent")).toObject();
    QCOMPARE(unspent.value(QStringLiteral("count")).toInt(), 1);
    QCOMPARE(unspent.value(QStringLiteral("value")).toInteger(), 5000000000LL);

    // The rest comes from the node; the coin imported by hand is counted as already present.
    const Run sync = cli({QStringLiteral("utxo"), QStringLiteral("sync")});
    QCOMPARE(sync.code, 0);
    QCOMPARE(sync.last().value(QStringLiteral("imported")).toInt(), 2);
    QCOMPARE(sync.last().value(QStringLiteral("already_present")).toInt(), 1);
    QCOMPARE(cli({QStringLiteral("utxo"), QStringLiteral("stats")})
                 .last()
                 .value(QStringLiteral("unspent"))
                 .toObject()
                 .value(QStringLiteral("count"))
                 .toInt(),
             3);
}

void TestAnchorCli::dryRunTouchesNothing()
{
    const QJsonObject before = cli({QStringLiteral("utxo"), QStringLiteral("stats")}).last();
    const Run dry = cli(
        {QStringLiteral("anchor"), QStringLiteral("--digest"), Sha256::hashHex("dry"), QStringLiteral("--dry-run")});
    QCOMPARE(dry.code, 0);
    const QJsonObject tx = dry.last();
    for (const char* field : {"txid", "hex", "fee", "vsize", "inputs"})
        QVERIFY2(tx.contains(QString::fromLatin1(field)), field);
    QCOMPARE(tx.value(QStringLiteral("inputs")).toArray().size(), 1);
    QCOMPARE(tx.value(QStringLiteral("inputs")).toArray().at(0).toObject().value(QStringLiteral("script")).toString(),
             m_script);
    QVERIFY(tx.value(QStringLiteral("fee")).toInt() >= tx.value(QStringLiteral("vsize")).toInt());
    QCOMPARE(cli({QStringLiteral("utxo"), QStringLiteral("stats")}).last(), before);
    QCOMPARE(cli({QStringLiteral("anchors")}).last().value(QStringLiteral("anchors")).toArray().size(), 0);
    QCOMPARE(m_node->rpc(QStringLiteral("getrawmempool")).toArray().size(), 0);
}

void TestAnchorCli::anchorsOnceUnlessForced()
{
    const QString file = write(QStringLiteral("contract.pdf"), QByteArray(300000, 'x'));
    const QString fileDigest = Sha256::hashHex(QByteArray(300000, 'x'));
    const Run first = cli(
        {QStringLiteral("anchor"), QStringLiteral("--file"), file, QStringLiteral("--poll-ms"), QStringLiteral("100")});
    QCOMPARE(first.code, 0);
    QCOMPARE(first.last().value(QStringLiteral("anchored")).toInt(), 1);
    QJsonArray anchors = cli({QStringLiteral("anchors")}).last().value(QStringLiteral("anchors")).toArray();
    QCOMPARE(anchors.size(), 1);
    QCOMPARE(anchors.at(0).toObject().value(QStringLiteral("digest")).toString(), fileDigest);
    QCOMPARE(anchors.at(0).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("broadcast"));

    const Run again = cli({QStringLiteral("anchor"), QStringLiteral("--digest"), fileDigest,
                           QStringLiteral("--poll-ms"), QStringLiteral("100")});
    QCOMPARE(again.code, 0);
    QVERIFY(again.err.contains("already anchored"));
    QCOMPARE(cli({QStringLiteral("anchors")}).last().value(QStringLiteral("anchors")).toArray().size(), 1);
    QCOMPARE(m_node->rpc(QStringLiteral("getrawmempool")).toArray().size(), 1);

    const Run forced = cli({QStringLiteral("anchor"), QStringLiteral("--digest"), fileDigest, QStringLiteral("--force"),
                            QStringLiteral("--poll-ms"), QStringLiteral("100")});
    QCOMPARE(forced.code, 0);
    QCOMPARE(cli({QStringLiteral("anchors")}).last().value(QStringLiteral("anchors")).toArray().size(), 2);
    QCOMPARE(m_node->rpc(QStringLiteral("getrawmempool")).toArray().size(), 2);

    // Confirmations are awaited when asked.
    m_node->rpc(QStringLiteral("generatetoaddress"), {1, m_elsewhere});
    const Run wait = cli({QStringLiteral("anchor"), QStringLiteral("--digest"), fileDigest, QStringLiteral("--wait"),
                          QStringLiteral("1"), QStringLiteral("--poll-ms"), QStringLiteral("100"),
                          QStringLiteral("--timeout"), QStringLiteral("30")});
    QCOMPARE(wait.code, 0);
    anchors = cli({QStringLiteral("anchors")}).last().value(QStringLiteral("anchors")).toArray();
    for (const QJsonValue& a : anchors)
        QCOMPARE(a.toObject().value(QStringLiteral("state")).toString(), QStringLiteral("confirmed"));

    const Run badDigest = cli({QStringLiteral("anchor"), QStringLiteral("--digest"), QStringLiteral("abc")});
    QCOMPARE(badDigest.code, 1);
    QVERIFY(badDigest.last().value(QStringLiteral("message")).toString().contains(QStringLiteral("64 hex")));
}

void TestAnchorCli::fanoutSplitsACoin()
{
    const int before = cli({QStringLiteral("utxo"), QStringLiteral("stats")})
                           .last()
                           .value(QStringLiteral("unspent"))
                           .toObject()
                           .value(QStringLiteral("count"))
                           .toInt();
    const Run fan = cli({QStringLiteral("utxo"), QStringLiteral("fanout"), QStringLiteral("--outputs"),
                         QStringLiteral("20"), QStringLiteral("--value"), QStringLiteral("100000")});
    QCOMPARE(fan.code, 0);
    const QString txid = fan.last().value(QStringLiteral("txid")).toString();
    QVERIFY(m_node->rpc(QStringLiteral("getrawmempool")).toArray().contains(txid));
    const QJsonObject stats = cli({QStringLiteral("utxo"), QStringLiteral("stats")}).last();
    QCOMPARE(stats.value(QStringLiteral("unspent")).toObject().value(QStringLiteral("count")).toInt(),
             before - 1 + 20 + 1); // 20 + change
    QCOMPARE(stats.value(QStringLiteral("spent_unconfirmed")).toObject().value(QStringLiteral("count")).toInt() > 0,
             true);
    const Run tooMuch = cli({QStringLiteral("utxo"), QStringLiteral("fanout"), QStringLiteral("--outputs"),
                             QStringLiteral("2000"), QStringLiteral("--value"), QStringLiteral("100000000")});
    QCOMPARE(tooMuch.code, 1);
}

void TestAnchorCli::digestsFileQueuesEachAndEndsOnce()
{
    // Three digests from a file (one of them twice): one "queued" line per line of the file, in
    // its order, the repeated one naming the same anchor; one summary at the end, however many
    // updates arrive while the command stops.
    QStringList digests;
    for (const char* text : {"minutes of 2026-11-01", "minutes of 2026-11-08", "minutes of 2026-11-15"})
        digests.append(Sha256::hashHex(QByteArray(text)));
    const QString file = write(QStringLiteral("digests.txt"),
                               (digests.join(QLatin1Char('\n')) + QLatin1Char('\n') + digests.at(1)).toLatin1());
    const Run run = cli({QStringLiteral("anchor"), QStringLiteral("--digests-file"), file, QStringLiteral("--poll-ms"),
                         QStringLiteral("100"), QStringLiteral("--timeout"), QStringLiteral("30")});
    QVERIFY2(run.code == 0, run.err.constData());
    QList<QJsonObject> queued, done;
    for (const QJsonObject& line : run.lines) {
        if (line.value(QStringLiteral("event")) == QStringLiteral("queued"))
            queued.append(line);
        if (line.value(QStringLiteral("event")) == QStringLiteral("done"))
            done.append(line);
    }
    QCOMPARE(queued.size(), qsizetype(4));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(queued[i].value(QStringLiteral("digest")).toString(), digests[i]);
    QCOMPARE(queued[3].value(QStringLiteral("digest")).toString(), digests[1]);
    QCOMPARE(queued[3].value(QStringLiteral("anchor")), queued[1].value(QStringLiteral("anchor")));
    QCOMPARE(done.size(), qsizetype(1));
    QCOMPARE(run.last(), done.first());
    QCOMPARE(done.first().value(QStringLiteral("anchored")).toInt(), 3);
}

void TestAnchorCli::roundCommitsToAllDigestsInOneTransaction()
{
    // Five digests (one of them twice) in one round: one transaction in the node's mempool, whose
    // OP_RETURN carries "UWA" 0x01 and the round's root; every digest names that round and txid.
    QStringList digests;
    for (int i = 0; i < 5; ++i)
        digests.append(Sha256::hashHex(QByteArray(QByteArray("round document ") + QByteArray::number(i))));
    const QString file =
        write(QStringLiteral("round.txt"),
              (digests.join(QLatin1Char('\n')) + QLatin1Char('\n') + digests.at(2) + QLatin1Char('\n')).toLatin1());
    const int before = int(m_node->rpc(QStringLiteral("getrawmempool")).toArray().size());
    const Run run =
        cli({QStringLiteral("anchor"), QStringLiteral("--round"), QStringLiteral("--digests-file"), file,
             QStringLiteral("--poll-ms"), QStringLiteral("100"), QStringLiteral("--timeout"), QStringLiteral("30")});
    QVERIFY2(run.code == 0, run.err.constData());
    QCOMPARE(run.last().value(QStringLiteral("anchored")).toInt(), 6); // each line given is answered
    const QJsonArray mempool = m_node->rpc(QStringLiteral("getrawmempool")).toArray();
    QCOMPARE(int(mempool.size()), before + 1);
    QSet<QString> txids;
    QSet<qint64> rounds;
    for (const QJsonObject& line : run.lines)
        if (line.value(QStringLiteral("event")) == QStringLiteral("anchor") &&
            line.value(QStringLiteral("state")) == QStringLiteral("broadcast")) {
            txids.insert(line.value(QStringLiteral("txid")).toString());
            rounds.insert(line.value(QStringLiteral("round")).toInteger());
        }
    QCOMPARE(txids.size(), 1);
    QCOMPARE(rounds.size(), 1);
    QVERIFY(mempool.contains(*txids.cbegin()));
    const QJsonObject tx = m_node->rpc(QStringLiteral("getrawtransaction"), {*txids.cbegin(), true}).toObject();
    QString payload;
    for (const QJsonValue& out : tx.value(QStringLiteral("vout")).toArray()) {
        const QString hex =
            out.toObject().value(QStringLiteral("scriptPubKey")).toObject().value(QStringLiteral("hex")).toString();
        if (hex.startsWith(QLatin1String("6a24")))
            payload = hex.mid(4);
    }
    QCOMPARE(payload.left(8), QStringLiteral("55574101")); // "UWA" 0x01
    // The root over the five leaves in the order given: ((d0 d1) (d2 d3)) d4, the odd one promoted.
    auto leaf = [&](int i) { return QByteArray::fromHex(digests[i].toLatin1()); };
    auto node = [](const QByteArray& l, const QByteArray& r) {
        return QByteArray::fromHex(Sha256::hashHex(QByteArray(l + r)).toLatin1());
    };
    const QByteArray root = node(node(node(leaf(0), leaf(1)), node(leaf(2), leaf(3))), leaf(4));
    QCOMPARE(payload.mid(8), QString::fromLatin1(root.toHex()));
}

void TestAnchorCli::roundHoldsAtMostRoundMaxDigests()
{
    // anchoring/round_max_digests (here from its environment variable) bounds a round: five new
    // digests with a bound of two make three rounds, three transactions in the mempool.
    QStringList digests;
    for (int i = 0; i < 5; ++i)
        digests.append(Sha256::hashHex(QByteArray(QByteArray("bounded round ") + QByteArray::number(i))));
    const QString file =
        write(QStringLiteral("bounded.txt"), (digests.join(QLatin1Char('\n')) + QLatin1Char('\n')).toLatin1());
    const int before = int(m_node->rpc(QStringLiteral("getrawmempool")).toArray().size());
    const Run run =
        cli({QStringLiteral("anchor"), QStringLiteral("--round"), QStringLiteral("--digests-file"), file,
             QStringLiteral("--poll-ms"), QStringLiteral("100"), QStringLiteral("--timeout"), QStringLiteral("30")},
            {{QStringLiteral("ANCHOR_ROUND_MAX_DIGESTS"), QStringLiteral("2")}});
    QVERIFY2(run.code == 0, run.err.constData());
    QCOMPARE(run.last().value(QStringLiteral("anchored")).toInt(), 5);
    QHash<qint64, QSet<QString>> digestsOfRound;
    QSet<QString> txids;
    for (const QJsonObject& line : run.lines)
        if (line.value(QStringLiteral("event")) == QStringLiteral("anchor") &&
            line.value(QStringLiteral("state")) == QStringLiteral("broadcast")) {
            digestsOfRound[line.value(QStringLiteral("round")).toInteger()].insert(
                line.value(QStringLiteral("digest")).toString());
            txids.insert(line.value(QStringLiteral("txid")).toString());
        }
    QCOMPARE(digestsOfRound.size(), 3);
    QCOMPARE(txids.size(), 3);
    QList<qsizetype> sizes;
    for (const auto& round : std::as_const(digestsOfRound))
        sizes.append(round.size());
    std::sort(sizes.begin(), sizes.end());
    QCOMPARE(sizes, (QList<qsizetype>{1, 2, 2}));
    QCOMPARE(int(m_node->rpc(QStringLiteral("getrawmempool")).toArray().size()), before + 3);
}

void TestAnchorCli::proofOfAConfirmedDigestChecksAgainstTheNode()
{
    // Three documents in one round, confirmed: each gets a .ots proof that verify-ots accepts
    // for that document only, that the upstream OpenTimestamps library reads and replays to the
    // Merkle root of the block the node has at the attested height.
    QStringList docs, digests;
    for (int i = 0; i < 3; ++i) {
        const QByteArray text = QByteArray("contract page ") + QByteArray::number(i);
        docs.append(write(QStringLiteral("doc%1.txt").arg(i), text));
        digests.append(Sha256::hashHex(text));
    }
    const Run early = cli(
        {QStringLiteral("proof"), digests[0], QStringLiteral("--out"), m_dir.path() + QStringLiteral("/early.ots")});
    QCOMPARE(early.code, 1);
    QVERIFY2(early.err.contains("never given"), early.err.constData());

    QStringList args{QStringLiteral("anchor"), QStringLiteral("--round"),   QStringLiteral("--poll-ms"),
                     QStringLiteral("100"),    QStringLiteral("--timeout"), QStringLiteral("30")};
    for (const QString& d : std::as_const(docs))
        args << QStringLiteral("--file") << d;
    QCOMPARE(cli(args).code, 0);
    const Run unconfirmed = cli({QStringLiteral("proof"), digests[1], QStringLiteral("--out"),
                                 m_dir.path() + QStringLiteral("/unconfirmed.ots")});
    QCOMPARE(unconfirmed.code, 1);
    QVERIFY2(unconfirmed.err.contains("broadcast"), unconfirmed.err.constData());
    QVERIFY(!QFileInfo::exists(m_dir.path() + QStringLiteral("/unconfirmed.ots")));

    m_node->rpc(QStringLiteral("generatetoaddress"), {1, m_elsewhere});
    QCOMPARE(cli(args + QStringList{QStringLiteral("--wait"), QStringLiteral("1")}).code, 0); // follows the block
    const int height = m_node->rpc(QStringLiteral("getblockcount")).toInt();
    const QString blockHash = m_node->rpc(QStringLiteral("getblockhash"), {height}).toString();
    const QString merkleRoot = m_node->rpc(QStringLiteral("getblockheader"), {blockHash, true})
                                   .toObject()
                                   .value(QStringLiteral("merkleroot"))
                                   .toString();
    QStringList files;
    for (int i = 0; i < 3; ++i) {
        const QString out = m_dir.path() + QStringLiteral("/doc%1.ots").arg(i);
        const Run proof = cli({QStringLiteral("proof"), digests[i], QStringLiteral("--out"), out});
        QVERIFY2(proof.code == 0, proof.err.constData());
        QCOMPARE(proof.last().value(QStringLiteral("height")).toInt(), height);
        files.append(out);
        const Run ok = cli({QStringLiteral("verify-ots"), out, QStringLiteral("--file"), docs[i]});
        QVERIFY2(ok.code == 0, ok.err.constData());
        QCOMPARE(ok.last().value(QStringLiteral("valid")).toBool(), true);
        QCOMPARE(ok.last().value(QStringLiteral("height")).toInt(), height);
        QCOMPARE(ok.last().value(QStringLiteral("block")).toString(), blockHash);
    }
    // The upstream library: the file digest, a block-header attestation at that height (the
    // project's signet tag), and the operations lead to the header's Merkle root.
    const OtsCheckRun upstream = runOtsCheck(files);
    QVERIFY2(upstream.exitCode == 0, upstream.err.constData());
    const QList<QByteArray> lines = upstream.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QByteArray rootInternal = QByteArray::fromHex(merkleRoot.toLatin1());
    std::reverse(rootInternal.begin(), rootInternal.end());
    for (int i = 0; i < 3; ++i) {
        const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
        QCOMPARE(o.value(QStringLiteral("digest")).toString(), digests[i]);
        QCOMPARE(o.value(QStringLiteral("commitment")).toString(), QString::fromLatin1(rootInternal.toHex()));
        const QJsonObject att = o.value(QStringLiteral("attestations")).toArray().first().toObject();
        QCOMPARE(att.value(QStringLiteral("payload_varuint")).toInt(), height);
    }

    // Another document, a proof cut short, a proof whose block is not the node's: refused, with the reason.
    const Run other = cli({QStringLiteral("verify-ots"), files[0], QStringLiteral("--file"), docs[1]});
    QCOMPARE(other.code, 1);
    QCOMPARE(other.last().value(QStringLiteral("code")).toString(), QStringLiteral("ots_other_digest"));
    QFile whole(files[0]);
    QVERIFY(whole.open(QIODevice::ReadOnly));
    const QByteArray bytes = whole.readAll();
    const Run cut = cli({QStringLiteral("verify-ots"), write(QStringLiteral("cut.ots"), bytes.left(bytes.size() - 3)),
                         QStringLiteral("--digest"), digests[0]});
    QCOMPARE(cut.code, 1);
    QCOMPARE(cut.last().value(QStringLiteral("code")).toString(), QStringLiteral("ots_truncated"));
    m_node->rpc(QStringLiteral("invalidateblock"), {blockHash});
    m_node->rpc(QStringLiteral("generatetoaddress"), {2, m_elsewhere}); // another block at that height
    const Run reorged = cli({QStringLiteral("verify-ots"), files[0], QStringLiteral("--digest"), digests[0]});
    QCOMPARE(reorged.code, 1);
    QCOMPARE(reorged.last().value(QStringLiteral("code")).toString(), QStringLiteral("ots_not_in_block"));
}

void TestAnchorCli::nodeDownTimesOutWithTheReason()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QString deadUrl = QStringLiteral("http://127.0.0.1:%1/").arg(closed.serverPort());
    closed.close();
    const Run r =
        cli({QStringLiteral("anchor"), QStringLiteral("--digest"), Sha256::hashHex("offline"),
             QStringLiteral("--timeout"), QStringLiteral("2"), QStringLiteral("--poll-ms"), QStringLiteral("100")},
            {{QStringLiteral("BITCOIN_RPC_URL"), deadUrl}});
    QCOMPARE(r.code, 1);
    QCOMPARE(r.last().value(QStringLiteral("event")).toString(), QStringLiteral("timeout"));
    bool sawReason = false;
    for (const QJsonObject& l : r.lines)
        sawReason = sawReason || l.value(QStringLiteral("error")).toString().contains(QStringLiteral("unreachable"));
    QVERIFY2(sawReason, r.err.constData());
    const QJsonArray anchors = cli({QStringLiteral("anchors")}).last().value(QStringLiteral("anchors")).toArray();
    QCOMPARE(anchors.at(0).toObject().value(QStringLiteral("state")).toString(),
             QStringLiteral("signed")); // kept, to be re-sent as is
}

namespace {

/// The figures of the "scan: 42%" lines, in order.
QList<int> scanPercents(const QByteArray& stderrText)
{
    QList<int> percents;
    for (const QByteArray& line : stderrText.split('\n'))
        if (line.startsWith("scan: ") && line.endsWith('%'))
            percents.append(line.mid(6, line.size() - 7).toInt());
    return percents;
}

} // namespace

std::unique_ptr<DoubleProcess> TestAnchorCli::slowScanNode(const QString& name, const QString& extraCoins,
                                                           const QString& rate, QString* dataDir)
{
    auto node = std::make_unique<DoubleProcess>(
        m_dir.path() + QStringLiteral("/.cookie-") + name,
        QStringList{QStringLiteral("--scan-extra-coins"), extraCoins, QStringLiteral("--scan-rate"), rate});
    if (!node->start())
        return nullptr;
    *dataDir = m_dir.path() + QLatin1Char('/') + name;
    CliProcess address({QStringLiteral("--data-dir"), *dataDir, QStringLiteral("address")}, {}, nullptr,
                       nodeEnv(*node));
    address.start();
    if (address.waitForExit(60000) != 0 || address.lines().isEmpty())
        return nullptr;
    node->rpc(QStringLiteral("generatetoaddress"),
              {2, address.lines().last().value(QStringLiteral("address")).toString()});
    node->rpc(QStringLiteral("generatetoaddress"), {100, m_elsewhere});
    return node;
}

void TestAnchorCli::syncPrintsTheScanProgress()
{
    // 300,000 coins at 100,000 a second: a scan of about 3 s, its status asked every 500 ms.
    QString dataDir;
    const auto node =
        slowScanNode(QStringLiteral("progress"), QStringLiteral("300000"), QStringLiteral("100000"), &dataDir);
    QVERIFY(node);
    CliProcess sync({QStringLiteral("--data-dir"), dataDir, QStringLiteral("utxo"), QStringLiteral("sync")}, {},
                    nullptr, nodeEnv(*node));
    sync.start();
    QCOMPARE(sync.waitForExit(60000), 0);
    // JSON on stdout only; the progress lines on stderr, rising, with figures between 0 and 100.
    QCOMPARE(sync.lines().size(), 1);
    QCOMPARE(sync.lines().last().value(QStringLiteral("imported")).toInt(), 2);
    QVERIFY(!sync.rawOutput().contains("scan:"));
    const QList<int> percents = scanPercents(sync.stderrText());
    QVERIFY2(percents.size() >= 3, sync.stderrText().constData());
    QCOMPARE(percents.first(), 0);
    QCOMPARE(percents.last(), 100);
    QVERIFY2(std::is_sorted(percents.cbegin(), percents.cend()) &&
                 std::adjacent_find(percents.cbegin(), percents.cend()) == percents.cend(),
             sync.stderrText().constData());
    QVERIFY2(sync.stderrText().contains("save: 100% (2 of 2)"), sync.stderrText().constData());
}

void TestAnchorCli::interruptAbortsTheScanOnTheNode()
{
    // 10,000,000 coins at 200,000 a second: 50 s, far longer than the test needs it.
    QString dataDir;
    const auto slow =
        slowScanNode(QStringLiteral("interrupt"), QStringLiteral("10000000"), QStringLiteral("200000"), &dataDir);
    QVERIFY(slow);
    DoubleProcess& node = *slow;
    const QHash<QString, QString> env = nodeEnv(node);
    const QStringList args{QStringLiteral("--data-dir"), dataDir, QStringLiteral("utxo"), QStringLiteral("sync")};
    CliProcess sync(args, {}, nullptr, env);
    sync.start();
    // Under way: the node says how far it is.
    QTRY_VERIFY_WITH_TIMEOUT(scanPercents(sync.stderrText()).value(1) > 0, 30000);
    QVERIFY(node.rpc(QStringLiteral("scantxoutset"), {QStringLiteral("status")})
                .toObject()
                .value(QStringLiteral("progress"))
                .toInt() >= 1);

    // A second scan is refused with Bitcoin Core's words, to another client and to this one.
    const QJsonObject refused =
        node.rpc(QStringLiteral("scantxoutset"), {QStringLiteral("start"), QJsonArray{QStringLiteral("raw(51)")}})
            .toObject();
    QCOMPARE(refused.value(QStringLiteral("code")).toInt(), -8);
    QCOMPARE(refused.value(QStringLiteral("message")).toString(),
             QStringLiteral("Scan already in progress, use action \"abort\" or \"status\""));
    CliProcess second(args, {}, nullptr, env);
    second.start();
    QCOMPARE(second.waitForExit(60000), 1);
    QCOMPARE(second.lines().last().value(QStringLiteral("error")).toString(), QStringLiteral("scan_busy"));
    QVERIFY2(
        second.lines().last().value(QStringLiteral("message")).toString().contains(QStringLiteral("already scanning")),
        qPrintable(second.lines().last().value(QStringLiteral("message")).toString()));

    // Ctrl+C: the node's scan is aborted, the command says so and nothing is stored.
    QCOMPARE(::kill(pid_t(sync.process().processId()), SIGINT), 0);
    QCOMPARE(sync.waitForExit(30000), 1);
    QCOMPARE(sync.lines().last().value(QStringLiteral("error")).toString(), QStringLiteral("cancelled"));
    QVERIFY2(sync.stderrText().contains("cancelling: nothing will be imported"), sync.stderrText().constData());
    QCOMPARE(node.rpc(QStringLiteral("scantxoutset"), {QStringLiteral("status")}), QJsonValue(QJsonValue::Null));
    CliProcess stats({QStringLiteral("--data-dir"), dataDir, QStringLiteral("utxo"), QStringLiteral("stats")}, {},
                     nullptr, env);
    stats.start();
    QCOMPARE(stats.waitForExit(30000), 0);
    QCOMPARE(stats.lines().last().value(QStringLiteral("unspent")).toObject().value(QStringLiteral("count")).toInt(),
             0);
}

QTEST_GUILESS_MAIN(TestAnchorCli)
#include "test_anchor_cli.moc"
