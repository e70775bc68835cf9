// The anchoring core end to end, on its own thread, against the Bitcoin Core test double over
// real HTTP: lifecycle to confirmation (P2WPKH and P2TR), every signed transaction checked by
// bitcoinjs-lib, reorg, node down, fee estimates, dust change, the unconfirmed-chain limit.
#include "anchor/AnchorRuntime.h"
#include "anchor/AnchorTx.h"
#include "anchor/Fanout.h"
#include "chain/BackendConfig.h"
#include "config/Settings.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "double/CoreDouble.h"
#include "double/EsploraDouble.h"
#include "support/StatePrinting.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

Q_DECLARE_METATYPE(uw::btc::KeyType)
Q_DECLARE_METATYPE(uw::ChainError)

namespace {

QString digest(int i)
{
    return Sha256::hashHex(QByteArray(QByteArray("document ") + QByteArray::number(i)));
}

const QString kElsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");

} // namespace

class TestAnchorService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void lifecycleToConfirmation_data();
    void lifecycleToConfirmation();
    void reorgUnconfirmsThenReconfirms();
    void nodeDownWaitsAndRetries();
    void feeFollowsTheEstimate();
    void dustChangeGoesToTheFee();
    void noFundsWaits();
    void staysWithinTheUnconfirmedChainLimit();
    void esploraBackend();
    void rpcUrlWithUserAndPassword();
    void zmqBringsBlocksAtOnce();
    void evictedTransactionIsSentAgain_data();
    void evictedTransactionIsSentAgain();
    void fanoutsAtOnceSplitTwoCoins();
    void feeAboveTheNodesCapKeepsTheCoin();
    void errorsAreClassifiedByCodeOnly_data();
    void errorsAreClassifiedByCodeOnly();
    void refusedFanoutGivesItsCoinBack();
    void manyAnchorsInFlightKeepQueueOrder();
    void refusalInThePipeline_data();
    void refusalInThePipeline();
    void submissionsArrivingTogetherAreEachAnswered();
    void aFailedStartLeavesNothingHalfBuilt();
    void anchorsOnAnUnconfirmedFanoutStayWithinItsDescendants();

private:
    void makeNode(double feeRate = 0, const QString& zmq = {});
    void makeWallet(btc::KeyType type);
    /// Mines `coins` blocks to the wallet, matures them, and imports the outputs into the store.
    void fund(int coins);
    /// Gives the wallet one confirmed coin of exactly `value` sat, paid by another wallet.
    void fundExactly(std::int64_t value);
    void importWalletUtxos(int expected);
    void startRuntime(AnchorService::Options options = {}, const QString& esploraUrl = {}, const QString& zmq = {},
                      int pollMs = 100);
    QJsonValue rpc(const QString& method, const QJsonArray& params = {});
    std::optional<AnchorState> state(qint64 id) const;
    int countState(AnchorState state) const;
    /// bitcoinjs-lib's verdict on a transaction of ours.
    void checkIndependently(const QByteArray& rawTx, const QList<btc::TxOut>& prevouts);

    QTemporaryDir* m_dir = nullptr;
    std::unique_ptr<CoreDouble> m_node;
    QString m_nodeUrl; ///< kept: the node may be down when the runtime starts
    std::optional<btc::WalletKey> m_key;
    std::unique_ptr<AnchorRuntime> m_runtime;
    std::optional<AnchorStore> m_view; ///< this thread's connection to the same database
    QList<qint64> m_ids;
    QStringList m_expectedConflicts; ///< outpoints a test itself spends twice on purpose
};

void TestAnchorService::init()
{
    m_dir = new QTemporaryDir;
    m_ids.clear();
}

void TestAnchorService::cleanup()
{
    m_runtime.reset();
    // The service never signs a second transaction for a coin it already sent a spend of (on
    // Bitcoin Core 28+ it would replace the first), and never replaces anything.
    QStringList wrong;
    if (m_node) {
        const QMap<QString, QStringList> conflicts = m_node->conflictingSubmissions();
        for (auto it = conflicts.cbegin(); it != conflicts.cend(); ++it)
            if (!m_expectedConflicts.contains(it.key()))
                wrong.append(QStringLiteral("%1 spent by %2").arg(it.key(), it->join(QStringLiteral(" and "))));
        for (const QString& r : m_node->replaced())
            wrong.append(QStringLiteral("%1 replaced").arg(r));
    }
    m_expectedConflicts.clear();
    if (m_node)
        if (const QString refused = m_node->finishChecks(); !refused.isEmpty())
            wrong.append(refused);
    m_view.reset();
    m_node.reset();
    delete m_dir;
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QStringLiteral("; "))));
}

void TestAnchorService::makeNode(double feeRate, const QString& zmq)
{
    CoreDouble::Options o;
    // CTest runs this test once per Bitcoin Core policy (tests/CMakeLists.txt).
    o.policy = CoreDouble::Policy::of(qEnvironmentVariableIntValue("UW_DOUBLE_POLICY")).value_or(CoreDouble::Policy{});
    o.feeRateBtcPerKvb = feeRate;
    o.zmqHashblock = zmq;
    o.txcheckDir = QStringLiteral(UW_SOURCE_DIR "/tests/tools/txcheck"); // bitcoinjs-lib checks all it accepts
    o.cookie = QStringLiteral("__cookie__:test");
    m_node = std::make_unique<CoreDouble>(o);
    QVERIFY(m_node->listen());
    m_nodeUrl = m_node->url();
    QFile cookie(m_dir->path() + QStringLiteral("/.cookie"));
    QVERIFY(cookie.open(QIODevice::WriteOnly));
    cookie.write(o.cookie.toUtf8());
}

void TestAnchorService::makeWallet(btc::KeyType type)
{
    m_key.emplace(btc::WalletKey::fromSecret(schnorr::generateSecretKey(), type, btc::Network::Signet).value());
    m_view.emplace(AnchorStore::open(m_dir->path() + QStringLiteral("/anchor.sqlite")).value());
}

QJsonValue TestAnchorService::rpc(const QString& method, const QJsonArray& params)
{
    const auto r = m_node->call(method, params);
    if (const auto* e = std::get_if<CoreDouble::RpcError>(&r))
        qFatal("rpc %s: %s", qPrintable(method), qPrintable(e->message));
    return std::get<QJsonValue>(r);
}

void TestAnchorService::importWalletUtxos(int expected)
{
    QList<Utxo> utxos;
    for (const QJsonValue& v :
         rpc(QStringLiteral("scantxoutset"),
             {QStringLiteral("start"), QJsonArray{QStringLiteral("addr(%1)").arg(m_key->address())}})
             .toObject()
             .value(QStringLiteral("unspents"))
             .toArray()) {
        const QJsonObject u = v.toObject();
        utxos.append(Utxo{0,
                          u.value(QStringLiteral("txid")).toString(),
                          std::uint32_t(u.value(QStringLiteral("vout")).toInt()),
                          std::llround(u.value(QStringLiteral("amount")).toDouble() * 1e8),
                          m_key->script(),
                          u.value(QStringLiteral("height")).toInt(),
                          0,
                          {},
                          {}});
    }
    QCOMPARE(utxos.size(), expected);
    QVERIFY(m_view->importUtxos(utxos).ok());
}

void TestAnchorService::fund(int coins)
{
    rpc(QStringLiteral("generatetoaddress"), {coins, m_key->address()});
    rpc(QStringLiteral("generatetoaddress"), {100, kElsewhere});
    importWalletUtxos(coins);
}

void TestAnchorService::fundExactly(std::int64_t value)
{
    const btc::WalletKey funder =
        btc::WalletKey::fromSecret(schnorr::generateSecretKey(), btc::KeyType::P2WPKH, btc::Network::Signet).value();
    rpc(QStringLiteral("generatetoaddress"), {1, funder.address()});
    rpc(QStringLiteral("generatetoaddress"), {100, kElsewhere});
    const QJsonObject coin =
        rpc(QStringLiteral("scantxoutset"),
            {QStringLiteral("start"), QJsonArray{QStringLiteral("addr(%1)").arg(funder.address())}})
            .toObject()
            .value(QStringLiteral("unspents"))
            .toArray()
            .at(0)
            .toObject();
    btc::Transaction tx;
    btc::TxIn in;
    in.prevout = btc::OutPoint{btc::Txid::fromHex(coin.value(QStringLiteral("txid")).toString()).value(), 0};
    tx.inputs.append(in);
    const std::int64_t coinValue = std::llround(coin.value(QStringLiteral("amount")).toDouble() * 1e8);
    tx.outputs.append(btc::TxOut{value, m_key->script()});
    tx.outputs.append(btc::TxOut{coinValue - value - 1000, funder.script()});
    QVERIFY(funder.signInput(tx, 0, btc::TxOut{coinValue, funder.script()}).ok());
    rpc(QStringLiteral("sendrawtransaction"), {QString::fromLatin1(tx.serialize().toHex())});
    rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});
    importWalletUtxos(1);
}

void TestAnchorService::startRuntime(AnchorService::Options options, const QString& esploraUrl, const QString& zmq,
                                     int pollMs)
{
    const BackendConfig backend =
        esploraUrl.isEmpty()
            ? BackendConfig{QUrl(m_nodeUrl), m_dir->path() + QStringLiteral("/.cookie"), QUrl(), QUrl(zmq)}
            : BackendConfig{QUrl(), QString(), QUrl(esploraUrl), QUrl()};
    AnchorRuntime::Config c{m_dir->path() + QStringLiteral("/anchor.sqlite"), backend, *m_key, options, pollMs};
    m_runtime = std::make_unique<AnchorRuntime>(c, SystemClock::instance());
    connect(m_runtime.get(), &AnchorRuntime::enqueued, this, [this](const QList<qint64>& ids) { m_ids += ids; });
    // `started` comes from the anchoring thread, maybe before a wait() could begin. A QSignalSpy
    // would record it there (a direct connection) while this thread reads it: a receiver living
    // on this thread makes the connection queued, so the flag is written here.
    QObject receiver;
    bool started = false;
    connect(m_runtime.get(), &AnchorRuntime::started, &receiver, [&started] { started = true; });
    m_runtime->start();
    QTRY_VERIFY_WITH_TIMEOUT(started, 10000);
}

std::optional<AnchorState> TestAnchorService::state(qint64 id) const
{
    const auto a = m_view->anchor(id);
    return a ? std::optional(a->stage) : std::nullopt;
}

int TestAnchorService::countState(AnchorState s) const
{
    return int(m_view->anchorCountsByState().value(s));
}

void TestAnchorService::checkIndependently(const QByteArray& rawTx, const QList<btc::TxOut>& prevouts)
{
    const QString dir = QStringLiteral(UW_SOURCE_DIR "/tests/tools/txcheck");
    QVERIFY2(QFileInfo::exists(dir + QStringLiteral("/node_modules/bitcoinjs-lib")),
             "bitcoinjs-lib is missing: run `npm ci` in tests/tools/txcheck (scripts/test.sh does)");
    QJsonArray prev;
    for (const btc::TxOut& o : prevouts)
        prev.append(QJsonObject{{QStringLiteral("script"), QString::fromLatin1(o.script.toHex())},
                                {QStringLiteral("value"), qint64(o.value)}});
    QProcess node;
    node.setWorkingDirectory(dir);
    node.start(QStringLiteral("node"), {QStringLiteral("verify_tx.mjs")});
    node.write(QJsonDocument(QJsonObject{{QStringLiteral("hex"), QString::fromLatin1(rawTx.toHex())},
                                         {QStringLiteral("prevouts"), prev}})
                   .toJson());
    node.closeWriteChannel();
    QVERIFY(node.waitForFinished(30000));
    const QByteArray out = node.readAllStandardOutput() + node.readAllStandardError();
    QVERIFY2(node.exitCode() == 0, out.constData());
    QCOMPARE(QJsonDocument::fromJson(out).object().value(QStringLiteral("txid")).toString(),
             btc::Transaction::deserialize(rawTx).value().txid().hex());
}

void TestAnchorService::lifecycleToConfirmation_data()
{
    QTest::addColumn<btc::KeyType>("type");
    QTest::newRow("P2WPKH") << btc::KeyType::P2WPKH;
    QTest::newRow("P2TR") << btc::KeyType::P2TR;
}

void TestAnchorService::lifecycleToConfirmation()
{
    QFETCH(btc::KeyType, type);
    makeNode();
    makeWallet(type);
    fund(2);
    startRuntime();
    m_runtime->enqueue({digest(1), digest(2), digest(3)}, false);
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), 3, 20000);
    QCOMPARE(m_node->mempoolSize(), 3);

    // Every transaction: the payload, the fee, and bitcoinjs-lib's own verification.
    for (qint64 id : std::as_const(m_ids)) {
        const AnchorRecord a = *m_view->anchor(id);
        const btc::Transaction tx = btc::Transaction::deserialize(a.rawTx).value();
        QCOMPARE(anchorTx::digestOf(tx.outputs[0].script), std::optional<QString>(a.digest));
        QCOMPARE(tx.outputs[0].value, 0);
        QVERIFY(a.fee >= tx.vsize()); // at least 1 sat/vB, the floor
        const Utxo in = *m_view->utxo(a.utxoId);
        QCOMPARE(in.state, UtxoState::SpentUnconfirmed);
        checkIndependently(a.rawTx, {btc::TxOut{in.value, in.script}});
    }
    rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Confirmed), 3, 20000);
    const int tip = m_node->height();
    for (qint64 id : std::as_const(m_ids))
        QCOMPARE(*m_view->anchor(id)->height, tip);
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Locked).count, 0);
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Spent).count, 3);
}

void TestAnchorService::reorgUnconfirmsThenReconfirms()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    fund(1);
    startRuntime();
    m_runtime->enqueue({digest(10)}, false);
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), 1, 20000);
    const QString firstBlock = rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere}).toArray().at(0).toString();
    QTRY_COMPARE_WITH_TIMEOUT(state(m_ids.value(0, -1)), std::optional(AnchorState::Confirmed), 20000);
    QCOMPARE(m_view->anchor(m_ids.first())->blockHash, firstBlock);

    rpc(QStringLiteral("invalidateblock"), {firstBlock});
    QCOMPARE(m_node->mempoolSize(), 1); // back in the mempool, as Bitcoin Core does
    QTRY_COMPARE_WITH_TIMEOUT(state(m_ids.value(0, -1)), std::optional(AnchorState::Broadcast), 20000);
    QVERIFY(!m_view->anchor(m_ids.first())->height);

    const QString secondBlock = rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere}).toArray().at(0).toString();
    QVERIFY(secondBlock != firstBlock);
    QTRY_COMPARE_WITH_TIMEOUT(state(m_ids.value(0, -1)), std::optional(AnchorState::Confirmed), 20000);
    QCOMPARE(m_view->anchor(m_ids.first())->blockHash, secondBlock);

    // Several blocks at once: the follower walks back to its tip and applies them in order.
    rpc(QStringLiteral("generatetoaddress"), {5, kElsewhere});
    QTRY_COMPARE_WITH_TIMEOUT(m_view->tip()->height, m_node->height(), 20000);
    QCOMPARE(*m_view->tip(), (AnchorStore::Tip{m_node->height(), rpc(QStringLiteral("getbestblockhash")).toString()}));
}

void TestAnchorService::nodeDownWaitsAndRetries()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    fund(1);
    const quint16 port = m_node->port();
    m_node->close(); // the node goes down before anything is sent
    AnchorService::Options o;
    o.retryBaseMs = 500;
    startRuntime(o);
    m_runtime->enqueue({digest(20)}, false);
    // Signed and recorded, not sent: it waits with the reason.
    QTRY_VERIFY_WITH_TIMEOUT(m_view->anchor(m_ids.value(0, -1)) &&
                                 m_view->anchor(m_ids.first())->error.contains(QStringLiteral("unreachable")),
                             20000);
    QCOMPARE(state(m_ids.value(0, -1)), std::optional(AnchorState::Signed));
    const QString txid = m_view->anchor(m_ids.first())->txid;
    QCOMPARE(m_node->mempoolSize(), 0);

    QVERIFY(m_node->listen(port)); // back up
    QTRY_COMPARE_WITH_TIMEOUT(state(m_ids.value(0, -1)), std::optional(AnchorState::Broadcast), 30000);
    QCOMPARE(m_view->anchor(m_ids.first())->txid, txid); // the same transaction, never re-signed
    QCOMPARE(m_node->mempoolSize(), 1);
}

void TestAnchorService::feeFollowsTheEstimate()
{
    makeNode(/*feeRate BTC/kvB=*/0.00005); // 5 sat/vB
    makeWallet(btc::KeyType::P2TR);
    fund(1);
    startRuntime();
    m_runtime->enqueue({digest(30)}, false);
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), 1, 20000);
    const AnchorRecord a = *m_view->anchor(m_ids.first());
    QVERIFY2(a.fee >= 5 * a.vsize && a.fee <= 5 * (a.vsize + 2),
             qPrintable(QStringLiteral("fee %1 for %2 vB").arg(a.fee).arg(a.vsize)));
}

void TestAnchorService::dustChangeGoesToTheFee()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    // A coin worth the fee plus less than the dust threshold.
    const std::int64_t fee = anchorTx::feeFor(1.0, anchorTx::maxVsize(*m_key, 1));
    fundExactly(fee + 200);
    startRuntime();
    m_runtime->enqueue({digest(40)}, false);
    QTRY_COMPARE_WITH_TIMEOUT(state(m_ids.value(0, -1)), std::optional(AnchorState::Broadcast), 20000);
    const btc::Transaction tx = btc::Transaction::deserialize(m_view->anchor(m_ids.first())->rawTx).value();
    QCOMPARE(tx.outputs.size(), 1); // only the OP_RETURN: no dust output
    QCOMPARE(m_view->anchor(m_ids.first())->fee, fee + 200);
}

void TestAnchorService::noFundsWaits()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    startRuntime();
    m_runtime->enqueue({digest(50)}, false);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->anchor(m_ids.value(0, -1)) &&
                                 m_view->anchor(m_ids.first())->error.contains(QStringLiteral("No spendable UTXO")),
                             20000);
    QCOMPARE(state(m_ids.value(0, -1)), std::optional(AnchorState::Queued));
}

void TestAnchorService::staysWithinTheUnconfirmedChainLimit()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    fund(1);
    startRuntime();
    QStringList digests;
    for (int i = 0; i < 30; ++i)
        digests.append(digest(100 + i));
    m_runtime->enqueue(digests, false);
    // One coin: each anchor spends the previous one's change, up to Bitcoin Core's 25-transaction limit.
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), AnchorStore::kMaxChainDepth, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Queued), 30 - AnchorStore::kMaxChainDepth, 30000);
    QCOMPARE(m_node->mempoolSize(), AnchorStore::kMaxChainDepth);
    // A block confirms the chain; the rest follows.
    rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), 30 - AnchorStore::kMaxChainDepth, 30000);
    QCOMPARE(countState(AnchorState::Confirmed), AnchorStore::kMaxChainDepth);
    QCOMPARE(countState(AnchorState::Failed), 0);
}

void TestAnchorService::esploraBackend()
{
    makeNode();
    makeWallet(btc::KeyType::P2TR);
    EsploraDouble esplora(m_node.get());
    QVERIFY(esplora.listen());
    rpc(QStringLiteral("generatetoaddress"), {2, m_key->address()});
    rpc(QStringLiteral("generatetoaddress"), {100, kElsewhere});
    // First import through the Esplora API (GET /api/address/:address/utxo).
    auto backend = makeBackend(BackendConfig{QUrl(), QString(), QUrl(esplora.url()), QUrl()});
    std::optional<Result<QList<Utxo>>> found;
    backend->scanUtxos(m_key->script(), m_key->address(), {}, [&](Result<QList<Utxo>> r) { found = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(found.has_value(), 10000);
    QVERIFY(found->ok());
    QCOMPARE((*found)->size(), 2);
    QVERIFY(m_view->importUtxos(**found).ok());

    startRuntime({}, esplora.url());
    m_runtime->enqueue({digest(200), digest(201)}, false);
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), 2, 20000);
    // Esplora's fee estimate (2 sat/vB for 6 blocks) is used.
    const AnchorRecord a = *m_view->anchor(m_ids.first());
    QVERIFY2(a.fee >= 2 * a.vsize, qPrintable(QString::number(a.fee)));
    rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Confirmed), 2, 20000);
    // A refusal comes back with the node's code and reason through Esplora's text answer.
    std::optional<Result<QString>> refused;
    backend->sendRawTransaction(a.rawTx, [&](Result<QString> r) { refused = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(refused.has_value(), 10000);
    QVERIFY(!refused->ok());
    // Its outputs are in the UTXO set already: Bitcoin Core's -27 (RPC_VERIFY_ALREADY_IN_CHAIN),
    // with Bitcoin Core's own words, passed on by Esplora.
    QCOMPARE(refused->error().code, QStringLiteral("rpc:-27"));
    QCOMPARE(refused->error().message,
             QStringLiteral("The node rejected it: Transaction outputs already in utxo set."));
}

void TestAnchorService::rpcUrlWithUserAndPassword()
{
    // The README's other way to reach the node: BITCOIN_RPC_URL=http://user:password@host:port, no
    // cookie file. The node requires exactly these credentials (the password percent-encoded in
    // the URL, as any URL's); anything else is refused with a message that says so.
    CoreDouble::Options o;
    o.cookie = QStringLiteral("anchor:p@ss word"); // the Basic credentials the node requires
    CoreDouble node(o);
    QVERIFY(node.listen());
    auto bestBlock = [&](const QString& user, const QString& password) {
        QUrl url(node.url());
        url.setUserName(user);
        url.setPassword(password);
        QProcessEnvironment env;
        env.insert(QStringLiteral("BITCOIN_RPC_URL"), url.toString(QUrl::FullyEncoded));
        const Settings settings = Settings::load(m_dir->path() + QStringLiteral("/none.ini"), env).value();
        auto backend = makeBackend(BackendConfig{settings.bitcoinRpcUrl, settings.bitcoinRpcCookie, QUrl(), QUrl()});
        std::optional<Result<QString>> answer;
        backend->bestBlockHash([&](Result<QString> r) { answer = std::move(r); });
        if (!QTest::qWaitFor([&] { return answer.has_value(); }, 10000))
            return Result<QString>(makeError(QStringLiteral("test"), QStringLiteral("no answer")));
        return *answer;
    };
    QVERIFY(QUrl(node.url()).userInfo().isEmpty());
    const auto right = bestBlock(QStringLiteral("anchor"), QStringLiteral("p@ss word"));
    QVERIFY2(right.ok(), right.ok() ? "" : qPrintable(right.error().message));
    QCOMPARE(right->size(), 64);
    for (const auto& [user, password] :
         {std::pair{QStringLiteral("anchor"), QStringLiteral("p@ss")},
          std::pair{QStringLiteral("someone"), QStringLiteral("p@ss word")}, std::pair{QString(), QString()}}) {
        const auto wrong = bestBlock(user, password);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code, QStringLiteral("auth"));
        QCOMPARE(wrong.error().message,
                 QStringLiteral("The node refused the RPC credentials (cookie or user/password)."));
    }
}

void TestAnchorService::zmqBringsBlocksAtOnce()
{
    QTcpServer probe; // a free port for the ZMQ publisher
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const QString endpoint = QStringLiteral("tcp://127.0.0.1:%1").arg(probe.serverPort());
    probe.close();
    makeNode(0, endpoint);
    makeWallet(btc::KeyType::P2WPKH);
    fund(1);
    // Polling every 10 minutes: only the ZMQ notification can bring the block in time.
    startRuntime({}, {}, endpoint, 600000);
    m_runtime->enqueue({digest(300)}, false);
    QTRY_COMPARE_WITH_TIMEOUT(state(m_ids.value(0, -1)), std::optional(AnchorState::Broadcast), 20000);
    // ZMQ subscriptions take a moment to reach the publisher: publish until one lands.
    QTRY_VERIFY_WITH_TIMEOUT((rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere}),
                              state(m_ids.value(0, -1)) == AnchorState::Confirmed),
                             20000);
}

void TestAnchorService::evictedTransactionIsSentAgain_data()
{
    QTest::addColumn<bool>("esplora");
    QTest::newRow("Bitcoin Core RPC") << false;
    QTest::newRow("Esplora") << true;
}

void TestAnchorService::evictedTransactionIsSentAgain()
{
    QFETCH(bool, esplora);
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    EsploraDouble front(m_node.get());
    QVERIFY(front.listen());
    fund(1);
    AnchorService::Options o;
    o.mempoolCheckMs = 200;
    o.mempoolGraceSeconds = 0;
    startRuntime(o, esplora ? front.url() : QString());
    m_runtime->enqueue({digest(400)}, false);
    QTRY_COMPARE_WITH_TIMEOUT(state(m_ids.value(0, -1)), std::optional(AnchorState::Broadcast), 20000);
    QCOMPARE(m_node->mempoolSize(), 1);
    m_node->clearMempool();                                     // the node restarted without its mempool
    QTRY_COMPARE_WITH_TIMEOUT(m_node->mempoolSize(), 1, 20000); // sent again, as it was
    QCOMPARE(std::get<QJsonValue>(m_node->call(QStringLiteral("getrawmempool"), {})).toArray().at(0).toString(),
             m_view->anchor(m_ids.first())->txid);
}

void TestAnchorService::fanoutsAtOnceSplitTwoCoins()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    fund(2);
    auto backend =
        makeBackend(BackendConfig{QUrl(m_nodeUrl), m_dir->path() + QStringLiteral("/.cookie"), QUrl(), QUrl()});
    // The second starts while the first waits for the node's answer.
    std::optional<Result<fanout::Sent>> first, second;
    fanout::split(*m_view, *backend, *m_key, {10, 100000, 1.0, 1000}, [&](Result<fanout::Sent> r) { first = r; });
    fanout::split(*m_view, *backend, *m_key, {10, 100000, 1.0, 1000}, [&](Result<fanout::Sent> r) { second = r; });
    QTRY_VERIFY_WITH_TIMEOUT(first && second, 20000);
    QVERIFY2(first->ok(), first->ok() ? "" : qPrintable(first->error().message));
    QVERIFY2(second->ok(), second->ok() ? "" : qPrintable(second->error().message));
    QVERIFY((*first)->input.id != (*second)->input.id);
    QCOMPARE(m_node->mempoolSize(), 2);
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::SpentUnconfirmed).count, 2);
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Locked).count, 0);
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Unspent).count, 2 * (10 + 1)); // ten each, and change
    QCOMPARE((*first)->tx.txid().hex(), (*first)->txid);
    QCOMPARE((*first)->tx.outputs.size(), 11);
    for (const auto& sent : {*first, *second})
        checkIndependently(sent->tx.serialize(), {btc::TxOut{sent->input.value, sent->input.script}});
}

void TestAnchorService::refusedFanoutGivesItsCoinBack()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    fund(1);
    m_node->close();
    auto backend =
        makeBackend(BackendConfig{QUrl(m_nodeUrl), m_dir->path() + QStringLiteral("/.cookie"), QUrl(), QUrl()});
    std::optional<Result<fanout::Sent>> sent;
    fanout::split(*m_view, *backend, *m_key, {10, 100000, 1.0, 1000}, [&](Result<fanout::Sent> r) { sent = r; });
    QTRY_VERIFY_WITH_TIMEOUT(sent.has_value(), 20000);
    QVERIFY(!sent->ok());
    QCOMPARE(sent->error().code, QStringLiteral("unreachable"));
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Locked).count, 0);
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Unspent).count, 1);
    // Nothing large enough: said plainly, nothing locked.
    std::optional<Result<fanout::Sent>> tooMuch;
    fanout::split(*m_view, *backend, *m_key, {2000, 100000000, 1.0, 1000},
                  [&](Result<fanout::Sent> r) { tooMuch = r; });
    QVERIFY(tooMuch.has_value());
    QCOMPARE(tooMuch->error().code, QStringLiteral("no_funds"));
}

void TestAnchorService::feeAboveTheNodesCapKeepsTheCoin()
{
    // 0.2 BTC/kvB: twice sendrawtransaction's maxfeerate. The node answers -25, as it does for a
    // missing input; the coin must not be taken for spent.
    makeNode(/*feeRate BTC/kvB=*/0.2);
    makeWallet(btc::KeyType::P2WPKH);
    fund(1);
    AnchorService::Options o;
    o.maxAttempts = 1;
    startRuntime(o);
    m_runtime->enqueue({digest(500)}, false);
    QTRY_COMPARE_WITH_TIMEOUT(state(m_ids.value(0, -1)), std::optional(AnchorState::Failed), 20000);
    QVERIFY(!m_view->anchor(m_ids.first())->error.isEmpty()); // the node's refusal, said
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Unspent).count, 1);
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Spent).count, 0);
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Locked).count, 0);
    QCOMPARE(m_node->mempoolSize(), 0);
}

void TestAnchorService::errorsAreClassifiedByCodeOnly_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<ChainError>("expected");
    const QString any = QStringLiteral("Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)");
    QTest::newRow("-25, whatever it says") << QStringLiteral("rpc:-25") << any << ChainError::VerifyError;
    QTest::newRow("-25 missing inputs") << QStringLiteral("rpc:-25") << QStringLiteral("bad-txns-inputs-missingorspent")
                                        << ChainError::VerifyError;
    QTest::newRow("-26") << QStringLiteral("rpc:-26") << QStringLiteral("maximum") << ChainError::VerifyRejected;
    QTest::newRow("-27") << QStringLiteral("rpc:-27") << QString() << ChainError::AlreadyInChain;
    QTest::newRow("-28") << QStringLiteral("rpc:-28") << QString() << ChainError::Warmup;
    QTest::newRow("-5") << QStringLiteral("rpc:-5") << QString() << ChainError::NotFound;
    QTest::newRow("-22") << QStringLiteral("rpc:-22") << QString() << ChainError::BadRequest;
    QTest::newRow("-32601") << QStringLiteral("rpc:-32601") << QString() << ChainError::BadRequest;
    QTest::newRow("-1") << QStringLiteral("rpc:-1") << QStringLiteral("unreachable") << ChainError::Other;
    QTest::newRow("not a number") << QStringLiteral("rpc:x") << QString() << ChainError::Other;
    QTest::newRow("unreachable") << QStringLiteral("unreachable") << QString() << ChainError::Unreachable;
    QTest::newRow("auth") << QStringLiteral("auth") << QString() << ChainError::Auth;
    QTest::newRow("no estimate") << QStringLiteral("no_estimate") << QString() << ChainError::NoEstimate;
    QTest::newRow("bad answer") << QStringLiteral("bad_answer") << QString() << ChainError::BadAnswer;
    QTest::newRow("Esplora 404") << QStringLiteral("http:404") << QString() << ChainError::NotFound;
    QTest::newRow("Esplora 400") << QStringLiteral("http:400") << QStringLiteral("rpc:-25") << ChainError::BadRequest;
    QTest::newRow("Esplora 429") << QStringLiteral("http:429") << QString() << ChainError::Other;
}

void TestAnchorService::errorsAreClassifiedByCodeOnly()
{
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(ChainError, expected);
    QCOMPARE(classifyChainError(makeError(code, message)), expected);
}

void TestAnchorService::manyAnchorsInFlightKeepQueueOrder()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    fund(40);
    AnchorService::Options o;
    o.maxInFlight = 16; // signed in batches (one commit each), sent while the next batch is signed
    startRuntime(o);
    QStringList digests;
    for (int i = 0; i < 40; ++i)
        digests.append(digest(600 + i));
    m_runtime->enqueue(digests, false);
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), 40, 30000);
    QCOMPARE(m_ids.size(), 40);
    QSet<QString> inPool;
    for (const QJsonValue& v : rpc(QStringLiteral("getrawmempool")).toArray())
        inPool.insert(v.toString());
    QCOMPARE(inPool.size(), 40);
    qint64 lastInput = 0;
    for (qint64 id : std::as_const(m_ids)) {
        const AnchorRecord a = *m_view->anchor(id);
        QCOMPARE(a.attempts, 1); // signed once, never again
        QVERIFY(inPool.contains(a.txid));
        // The coins are alike (50 BTC coinbases): the pick takes them in their order, so queue
        // order is signing order.
        QVERIFY2(
            a.utxoId > lastInput,
            qPrintable(QStringLiteral("anchor %1 took coin %2 after coin %3").arg(id).arg(a.utxoId).arg(lastInput)));
        lastInput = a.utxoId;
        QCOMPARE(anchorTx::digestOf(btc::Transaction::deserialize(a.rawTx).value().outputs[0].script),
                 std::optional<QString>(a.digest));
    }
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::Locked).count, 0);
    QCOMPARE(m_view->utxoStatsByState().value(UtxoState::SpentUnconfirmed).count, 40);
}

void TestAnchorService::refusalInThePipeline_data()
{
    QTest::addColumn<bool>("mined");
    // In the node's mempool: refused (-26, a replacement paying too little), failed after maxAttempts as before.
    QTest::newRow("conflict in the mempool") << false;
    // In a block the wallet never saw: the input is gone (-25), so it is signed again with another coin.
    QTest::newRow("spent in a block") << true;
}

void TestAnchorService::refusalInThePipeline()
{
    QFETCH(bool, mined);
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    fund(13);
    // The sixth coin, which the sixth anchor will take, is spent behind the wallet's back.
    QSqlQuery q(m_view->connection().db());
    QVERIFY(q.exec(QStringLiteral("SELECT id FROM utxos ORDER BY id LIMIT 1 OFFSET 5")) && q.next());
    const Utxo taken = *m_view->utxo(q.value(0).toLongLong());
    q.finish();
    const btc::WalletKey elsewhere =
        btc::WalletKey::fromSecret(schnorr::generateSecretKey(), btc::KeyType::P2WPKH, btc::Network::Signet).value();
    btc::Transaction spend;
    btc::TxIn in;
    in.prevout = btc::OutPoint{btc::Txid::fromHex(taken.txid).value(), taken.vout};
    spend.inputs.append(in);
    spend.outputs.append(btc::TxOut{taken.value - 1000, elsewhere.script()});
    QVERIFY(m_key->signInput(spend, 0, btc::TxOut{taken.value, taken.script}).ok());
    rpc(QStringLiteral("sendrawtransaction"), {QString::fromLatin1(spend.serialize().toHex())});
    m_expectedConflicts.append(QStringLiteral("%1:%2").arg(taken.txid).arg(taken.vout)); // the anchor spends it too
    if (mined) // the store has no tip yet: the follower starts from the node's tip without reading this block
        rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});

    AnchorService::Options o;
    o.maxInFlight = 16;
    o.maxAttempts = 1;
    startRuntime(o);
    QStringList digests;
    for (int i = 0; i < 12; ++i)
        digests.append(digest(700 + i));
    m_runtime->enqueue(digests, false);
    QTRY_COMPARE_WITH_TIMEOUT(m_ids.size(), 12, 20000);
    const qint64 victim = m_ids[5];
    const int others = 11;
    if (mined) {
        QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), 12, 30000);
        const AnchorRecord a = *m_view->anchor(victim);
        QCOMPARE(a.attempts, 2);       // signed again ...
        QVERIFY(a.utxoId != taken.id); // ... with another coin
        QCOMPARE(m_view->utxo(taken.id)->state, UtxoState::Spent);
        QCOMPARE(m_node->mempoolSize(), 12);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), others, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(state(victim), std::optional(AnchorState::Failed), 20000);
        // Bitcoin Core 28+ replaces by fee on any conflict: the anchor pays less than the spend in
        // the mempool, so the replacement is refused (rule 6), and nothing is replaced.
        QVERIFY2(m_view->anchor(victim)->error.contains(QStringLiteral("insufficient fee, rejecting replacement")),
                 qPrintable(m_view->anchor(victim)->error));
        QVERIFY(m_node->replaced().isEmpty());
        QCOMPARE(m_view->utxo(taken.id)->state, UtxoState::Unspent); // released, as before
        QCOMPARE(m_node->mempoolSize(), others + 1);                 // theirs and the conflicting spend
    }
    for (qint64 id : std::as_const(m_ids))
        if (id != victim)
            QCOMPARE(m_view->anchor(id)->attempts, 1); // the others went on, each signed once
}

// userwallet-anchord's clients post at once: the submissions queued while the anchoring thread
// is busy are accepted in one commit, and each is answered with its own digests, in its order.
void TestAnchorService::submissionsArrivingTogetherAreEachAnswered()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    startRuntime();
    const QList<QStringList> requests{{digest(1), digest(2)}, {digest(2), digest(3), digest(4)}, {digest(5)}};
    QList<std::optional<Result<QList<DigestStatus>>>> answers(requests.size());
    for (qsizetype i = 0; i < requests.size(); ++i)
        m_runtime->submit(requests[i], [&answers, i](Result<QList<DigestStatus>> r) { answers[i] = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(answers.cbegin(), answers.cend(), [](const auto& a) { return a.has_value(); }),
                             10000);
    for (qsizetype i = 0; i < requests.size(); ++i) {
        QVERIFY2(answers[i]->ok(), answers[i]->ok() ? "" : qPrintable(answers[i]->error().message));
        const QList<DigestStatus>& got = answers[i]->value();
        QCOMPARE(got.size(), requests[i].size());
        for (qsizetype j = 0; j < got.size(); ++j) {
            QCOMPARE(got[j].digest, requests[i][j]);
            QCOMPARE(got[j].round, qint64(0)); // waiting for its round
        }
    }
    QCOMPARE(m_view->pendingDigestCount(), qint64(5)); // digest 2, posted twice, waits once
}

// A node whose block notifications cannot be subscribed to (a mistyped ZMQ endpoint) stops the
// start with a sentence naming the endpoint, and leaves no store behind that would accept digests
// whose rounds never close.
void TestAnchorService::aFailedStartLeavesNothingHalfBuilt()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    const QString endpoint = QStringLiteral("foo://127.0.0.1:1");
    AnchorRuntime::Config c{
        m_dir->path() + QStringLiteral("/anchor.sqlite"),
        BackendConfig{QUrl(m_nodeUrl), m_dir->path() + QStringLiteral("/.cookie"), QUrl(), QUrl(endpoint)},
        *m_key,
        {},
        100};
    AnchorRuntime runtime(c, SystemClock::instance());
    QObject receiver;
    QString reason;
    bool started = false;
    connect(&runtime, &AnchorRuntime::failed, &receiver, [&reason](const QString& r) { reason = r; });
    connect(&runtime, &AnchorRuntime::started, &receiver, [&started] { started = true; });
    runtime.start();
    QTRY_VERIFY_WITH_TIMEOUT(!reason.isEmpty(), 10000);
    QVERIFY2(reason.contains(endpoint), qPrintable(reason));
    std::optional<Result<QList<DigestStatus>>> answer;
    runtime.submit({digest(1)}, [&answer](Result<QList<DigestStatus>> r) { answer = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 10000);
    QVERIFY(!answer->ok());
    QCOMPARE(answer->error().code, QStringLiteral("not_started"));
    QCOMPARE(m_view->pendingDigestCount(), qint64(0));
    QVERIFY(!started);
}

// Anchors spending the outputs of a fan-out still in the mempool would be its descendants:
// Bitcoin Core takes 24 of them (one more through the CPFP carve-out) and refuses the rest ("too
// many descendants"). The fan-out's outputs wait for its block; then every anchor goes, none fails.
void TestAnchorService::anchorsOnAnUnconfirmedFanoutStayWithinItsDescendants()
{
    makeNode();
    makeWallet(btc::KeyType::P2WPKH);
    fund(1);
    auto backend =
        makeBackend(BackendConfig{QUrl(m_nodeUrl), m_dir->path() + QStringLiteral("/.cookie"), QUrl(), QUrl()});
    std::optional<Result<fanout::Sent>> sent;
    fanout::split(*m_view, *backend, *m_key, {40, 100000, 1.0, 1000}, [&](Result<fanout::Sent> r) { sent = r; });
    QTRY_VERIFY_WITH_TIMEOUT(sent.has_value(), 20000);
    QVERIFY2(sent->ok(), sent->ok() ? "" : qPrintable(sent->error().message));
    const QString fanoutTxid = (*sent)->txid;
    AnchorService::Options o;
    o.maxInFlight = 16;
    o.maxAttempts = 1;
    startRuntime(o);
    QStringList digests;
    for (int i = 0; i < 40; ++i)
        digests.append(digest(800 + i));
    m_runtime->enqueue(digests, false);
    QTRY_COMPARE_WITH_TIMEOUT(m_ids.size(), 40, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_view->anchor(m_ids.first())->error.contains(QStringLiteral("No spendable UTXO")), 20000);
    QCOMPARE(countState(AnchorState::Queued), 40);
    QCOMPARE(m_node->mempoolSize(), 1); // the fan-out alone

    rpc(QStringLiteral("generatetoaddress"), {1, kElsewhere});
    QTRY_COMPARE_WITH_TIMEOUT(countState(AnchorState::Broadcast), 40, 60000);
    QCOMPARE(countState(AnchorState::Failed), 0);
    QCOMPARE(m_node->mempoolSize(), 40);
    for (qint64 id : std::as_const(m_ids)) {
        const btc::Transaction tx = btc::Transaction::deserialize(m_view->anchor(id)->rawTx).value();
        QCOMPARE(tx.inputs.first().prevout.txid.hex(), fanoutTxid); // one of its 40 outputs or its change
    }
}

QTEST_GUILESS_MAIN(TestAnchorService)
#include "test_anchor_service.moc"
