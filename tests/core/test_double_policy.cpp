// The Bitcoin Core double's mempool policy, each limit at its boundary, with Bitcoin Core's
// reject reasons and messages: ancestor and descendant counts and sizes (and the CPFP carve-out),
// replace-by-fee as Core 28+ applies it (full RBF, BIP125 rules 2 to 6), and what changes between
// --policy 27, 29 and 30 (relay fee floor, data carrier, dust).
#include "bitcoin/Hashes.h"
#include "bitcoin/Keys.h"
#include "bitcoin/Script.h"
#include "bitcoin/Sighash.h"
#include "bitcoin/WalletKey.h"
#include "double/CoreDouble.h"
#include "support/Processes.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {

const QString kElsewhere = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
constexpr std::uint8_t kSecret[32] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                      7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 1};

struct Coin
{
    btc::OutPoint outpoint;
    std::int64_t value;
    QByteArray script;
};

/// An OP_RETURN output script carrying `n` bytes (pushed as Bitcoin Core's standard form).
QByteArray opReturnOf(int n)
{
    QByteArray s(1, '\x6a');
    if (n <= 75) {
        s.append(char(n));
    } else if (n <= 255) {
        s.append('\x4c').append(char(n));
    } else {
        s.append('\x4d').append(char(n & 0xff)).append(char(n >> 8));
    }
    return s + QByteArray(n, 'd');
}

} // namespace

class TestDoublePolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void ancestorCountLimit();
    void tooManyParents();
    void descendantCountLimitAndCarveOut();
    void carveOutNeedsASingleAncestor();
    void ancestorSizeLimit();
    void descendantSizeLimit();
    void relayFeeFloor_data();
    void relayFeeFloor();
    void dataCarrier_data();
    void dataCarrier();
    void dust_data();
    void dust();
    void replacement_data();
    void replacement();
    void replacementEvictsDescendants();
    void replacementAddsUnconfirmed();
    void replacementCandidatesCap();
    void spendsConflictingTransaction();
    void conflictingSubmissionsAreRecorded();
    void policyOnTheCommandLine();
    void bitcoinjsChecksInBatches();
    void aRejectedBatchFailsLoudly();

private:
    void makeNode(int policy = 30);
    /// `n` mature coinbase coins of 50 BTC paying the test key.
    QList<Coin> fund(int n);
    /// A transaction spending `inputs` (all the test key's) to `outputs`, signed.
    btc::Transaction spend(const QList<Coin>& inputs, const QList<btc::TxOut>& outputs) const;
    /// One input, a change output of value - fee, and an OP_RETURN of `data` bytes when data > 0.
    btc::Transaction chained(const Coin& in, std::int64_t fee, int data = 0) const;
    /// As chained(), its OP_RETURN sized so that the transaction is exactly `vsize` vB.
    btc::Transaction ofVsize(const Coin& in, std::int64_t fee, std::int64_t vsize) const;
    /// `n` outputs of 100,000 sat and the change.
    btc::Transaction fanoutOf(const Coin& c, int n) const;
    /// "" when accepted, else the node's message.
    QString send(const btc::Transaction& tx);
    static Coin output(const btc::Transaction& tx, int i)
    {
        return Coin{btc::OutPoint{tx.txid(), std::uint32_t(i)}, tx.outputs[i].value, tx.outputs[i].script};
    }
    QStringList mempool();

    std::unique_ptr<CoreDouble> m_node;
    std::optional<btc::WalletKey> m_key; ///< P2TR: its witness has one size, so vsizes are exact
};

void TestDoublePolicy::init()
{
    m_key.emplace(btc::WalletKey::fromSecret(SecretKey(kSecret), btc::KeyType::P2TR, btc::Network::Signet).value());
    makeNode();
}

void TestDoublePolicy::cleanup()
{
    const QString refused = m_node ? m_node->finishChecks() : QString();
    m_node.reset();
    QCOMPARE(refused, QString());
}

void TestDoublePolicy::makeNode(int policy)
{
    CoreDouble::Options o;
    o.policy = CoreDouble::Policy::of(policy).value();
    o.txcheckDir = QStringLiteral(UW_SOURCE_DIR "/tests/tools/txcheck");
    if (m_node)
        QCOMPARE(m_node->finishChecks(), QString());
    m_node = std::make_unique<CoreDouble>(o);
}

QList<Coin> TestDoublePolicy::fund(int n)
{
    const QJsonArray blocks =
        std::get<QJsonValue>(m_node->call(QStringLiteral("generatetoaddress"), {n, m_key->address()})).toArray();
    (void)m_node->call(QStringLiteral("generatetoaddress"), {100, kElsewhere});
    QList<Coin> coins;
    for (const QJsonValue& b : blocks) {
        const QJsonObject block =
            std::get<QJsonValue>(m_node->call(QStringLiteral("getblock"), {b.toString(), 2})).toObject();
        const QJsonObject coinbase = block.value(QStringLiteral("tx")).toArray().at(0).toObject();
        coins.append(
            Coin{btc::OutPoint{btc::Txid::fromHex(coinbase.value(QStringLiteral("txid")).toString()).value(), 0},
                 50 * 100'000'000LL, m_key->script()});
    }
    return coins;
}

btc::Transaction TestDoublePolicy::spend(const QList<Coin>& inputs, const QList<btc::TxOut>& outputs) const
{
    btc::Transaction tx;
    QList<btc::TxOut> spent;
    for (const Coin& c : inputs) {
        btc::TxIn in;
        in.prevout = c.outpoint;
        tx.inputs.append(in);
        spent.append(btc::TxOut{c.value, c.script});
    }
    tx.outputs = outputs;
    for (int i = 0; i < tx.inputs.size(); ++i) {
        const Bytes32 h = btc::sighashBip341(tx, i, spent, btc::SIGHASH_DEFAULT).value();
        const Bytes64 sig = btc::keys::signTaproot(SecretKey(kSecret), std::nullopt, h).value();
        tx.inputs[i].witness = {QByteArray(reinterpret_cast<const char*>(sig.data()), 64)};
    }
    return tx;
}

btc::Transaction TestDoublePolicy::chained(const Coin& in, std::int64_t fee, int data) const
{
    QList<btc::TxOut> outs{btc::TxOut{in.value - fee, m_key->script()}};
    if (data > 0)
        outs.append(btc::TxOut{0, opReturnOf(data)});
    return spend({in}, outs);
}

btc::Transaction TestDoublePolicy::ofVsize(const Coin& in, std::int64_t fee, std::int64_t vsize) const
{
    const btc::Transaction probe = chained(in, fee, 1000);
    const btc::Transaction tx = chained(in, fee, int(1000 + vsize - probe.vsize()));
    if (tx.vsize() != vsize)
        qFatal("could not build a transaction of %lld vB", static_cast<long long>(vsize));
    return tx;
}

btc::Transaction TestDoublePolicy::fanoutOf(const Coin& c, int n) const
{
    QList<btc::TxOut> outs;
    for (int i = 0; i < n; ++i)
        outs.append(btc::TxOut{100000, m_key->script()});
    outs.append(btc::TxOut{c.value - 100000 * n - 100000, m_key->script()});
    return spend({c}, outs);
}

QString TestDoublePolicy::send(const btc::Transaction& tx)
{
    const auto r = m_node->call(QStringLiteral("sendrawtransaction"), {QString::fromLatin1(tx.serialize().toHex())});
    if (const auto* e = std::get_if<CoreDouble::RpcError>(&r))
        return QStringLiteral("%1 %2").arg(e->code).arg(e->message);
    const QString txid = std::get<QJsonValue>(r).toString();
    return txid == tx.txid().hex() ? QString() : QStringLiteral("answered %1").arg(txid);
}

QStringList TestDoublePolicy::mempool()
{
    QStringList out;
    for (const QJsonValue& v : std::get<QJsonValue>(m_node->call(QStringLiteral("getrawmempool"), {})).toArray())
        out.append(v.toString());
    return out;
}

void TestDoublePolicy::ancestorCountLimit()
{
    Coin c = fund(1).first();
    for (int i = 1; i <= CoreDouble::kAncestorLimit; ++i) {
        const btc::Transaction tx = chained(c, 200);
        QCOMPARE(send(tx), QString());
        c = output(tx, 0);
    }
    QCOMPARE(send(chained(c, 200)),
             QStringLiteral("-26 too-long-mempool-chain, too many unconfirmed ancestors [limit: 25]"));
    QCOMPARE(m_node->mempoolSize(), 25);
}

void TestDoublePolicy::tooManyParents()
{
    QList<Coin> parents;
    for (const Coin& c : fund(25)) {
        const btc::Transaction tx = chained(c, 200);
        QCOMPARE(send(tx), QString());
        parents.append(output(tx, 0));
    }
    auto merge = [&](const QList<Coin>& in) {
        std::int64_t total = 0;
        for (const Coin& c : in)
            total += c.value;
        return spend(in, {btc::TxOut{total - 5000, m_key->script()}});
    };
    QCOMPARE(send(merge(parents)),
             QStringLiteral("-26 too-long-mempool-chain, too many unconfirmed parents [limit: 25]"));
    QCOMPARE(send(merge(parents.mid(1))), QString()); // 24 parents and itself: 25
}

void TestDoublePolicy::descendantCountLimitAndCarveOut()
{
    const btc::Transaction fanout = fanoutOf(fund(1).first(), 30);
    QCOMPARE(send(fanout), QString());
    for (int i = 0; i < CoreDouble::kDescendantLimit - 1; ++i)
        QCOMPARE(send(chained(output(fanout, i), 200)), QString());
    // The fan-out and 24 children: 25. One more child with a single unconfirmed ancestor gets
    // the CPFP carve-out; the next does not.
    QCOMPARE(send(chained(output(fanout, 24), 200)), QString());
    QCOMPARE(send(chained(output(fanout, 25), 200)),
             QStringLiteral("-26 too-long-mempool-chain, too many descendants for tx %1 [limit: 25]")
                 .arg(fanout.txid().hex()));
    QCOMPARE(m_node->mempoolSize(), 26);
}

void TestDoublePolicy::carveOutNeedsASingleAncestor()
{
    const btc::Transaction fanout = fanoutOf(fund(1).first(), 30);
    QCOMPARE(send(fanout), QString());
    const btc::Transaction child = chained(output(fanout, 0), 200);
    QCOMPARE(send(child), QString());
    const btc::Transaction grandchild = chained(output(child, 0), 200);
    QCOMPARE(send(grandchild), QString());
    for (int i = 1; i < 23; ++i)
        QCOMPARE(send(chained(output(fanout, i), 200)), QString());
    QCOMPARE(m_node->mempoolSize(), 25); // the fan-out's 24 descendants
    // Three unconfirmed ancestors: no carve-out.
    QCOMPARE(send(chained(output(grandchild, 0), 200)),
             QStringLiteral("-26 too-long-mempool-chain, too many descendants for tx %1 [limit: 25]")
                 .arg(fanout.txid().hex()));
    QCOMPARE(send(chained(output(fanout, 23), 200)), QString()); // one: carved out
}

void TestDoublePolicy::ancestorSizeLimit()
{
    // Two unrelated 50,000 vB parents; the child's ancestors weigh 100,000 vB plus itself.
    const QList<Coin> coins = fund(2);
    const btc::Transaction a = ofVsize(coins[0], 50000, 50000);
    const btc::Transaction b = ofVsize(coins[1], 50000, 50000);
    QCOMPARE(send(a), QString());
    QCOMPARE(send(b), QString());
    auto child = [&](std::int64_t vsize) {
        const QList<Coin> in{output(a, 0), output(b, 0)};
        btc::Transaction probe =
            spend(in, {btc::TxOut{in[0].value + in[1].value - 5000, m_key->script()}, btc::TxOut{0, opReturnOf(500)}});
        btc::Transaction tx = spend(in, {btc::TxOut{in[0].value + in[1].value - 5000, m_key->script()},
                                         btc::TxOut{0, opReturnOf(int(500 + vsize - probe.vsize()))}});
        if (tx.vsize() != vsize)
            qFatal("could not size the child");
        return tx;
    };
    QCOMPARE(send(child(1001)),
             QStringLiteral("-26 too-long-mempool-chain, exceeds ancestor size limit [limit: 101000]"));
    QCOMPARE(send(child(1000)), QString());
}

void TestDoublePolicy::descendantSizeLimit()
{
    // One 1,000 vB parent and two 50,000 vB children: the parent and its descendants weigh 101,000 vB.
    const Coin c = fund(1).first();
    const btc::Transaction sizedParent = [&] {
        const btc::Transaction probe =
            spend({c}, {btc::TxOut{100'000'000, m_key->script()}, btc::TxOut{100'000'000, m_key->script()},
                        btc::TxOut{c.value - 200'010'000, m_key->script()}, btc::TxOut{0, opReturnOf(300)}});
        return spend({c}, {btc::TxOut{100'000'000, m_key->script()}, btc::TxOut{100'000'000, m_key->script()},
                           btc::TxOut{c.value - 200'010'000, m_key->script()},
                           btc::TxOut{0, opReturnOf(int(300 + 1000 - probe.vsize()))}});
    }();
    QCOMPARE(sizedParent.vsize(), 1000);
    QCOMPARE(send(sizedParent), QString());
    QCOMPARE(send(ofVsize(output(sizedParent, 0), 50000, 50000)), QString());
    QCOMPARE(send(ofVsize(output(sizedParent, 1), 50001, 50001)),
             QStringLiteral("-26 too-long-mempool-chain, exceeds descendant size limit for tx %1 [limit: 101000]")
                 .arg(sizedParent.txid().hex()));
    QCOMPARE(send(ofVsize(output(sizedParent, 1), 50000, 50000)), QString());
}

void TestDoublePolicy::relayFeeFloor_data()
{
    QTest::addColumn<int>("policy");
    QTest::addColumn<std::int64_t>("perKvb");
    QTest::newRow("27: 1 sat/vB") << 27 << std::int64_t(1000);
    QTest::newRow("29: 0.1 sat/vB") << 29 << std::int64_t(100);
    QTest::newRow("30: 0.1 sat/vB") << 30 << std::int64_t(100);
}

void TestDoublePolicy::relayFeeFloor()
{
    QFETCH(int, policy);
    QFETCH(std::int64_t, perKvb);
    makeNode(policy);
    const Coin c = fund(1).first();
    const std::int64_t vsize = chained(c, 1).vsize();
    const std::int64_t floor = (perKvb * vsize + 999) / 1000;
    QCOMPARE(send(chained(c, floor - 1)),
             QStringLiteral("-26 min relay fee not met, %1 < %2").arg(floor - 1).arg(floor));
    QCOMPARE(send(chained(c, floor)), QString());
    const QJsonObject info = std::get<QJsonValue>(m_node->call(QStringLiteral("getmempoolinfo"), {})).toObject();
    QCOMPARE(std::llround(info.value(QStringLiteral("minrelaytxfee")).toDouble() * 1e8), perKvb);
}

void TestDoublePolicy::dataCarrier_data()
{
    QTest::addColumn<int>("policy");
    QTest::addColumn<QList<int>>("sizes"); ///< OP_RETURN payloads
    QTest::addColumn<QString>("expected");
    // 80 bytes of data: OP_RETURN OP_PUSHDATA1 80 <80 bytes>, an 83-byte script.
    QTest::newRow("27: 80 bytes (83-byte script)") << 27 << QList<int>{80} << QString();
    QTest::newRow("27: 81 bytes") << 27 << QList<int>{81} << QStringLiteral("-26 scriptpubkey");
    QTest::newRow("27: two outputs") << 27 << QList<int>{10, 10} << QStringLiteral("-26 multi-op-return");
    QTest::newRow("29: 80 bytes") << 29 << QList<int>{80} << QString();
    QTest::newRow("29: 81 bytes") << 29 << QList<int>{81} << QStringLiteral("-26 scriptpubkey");
    QTest::newRow("29: two outputs") << 29 << QList<int>{10, 10} << QStringLiteral("-26 multi-op-return");
    QTest::newRow("30: 81 bytes") << 30 << QList<int>{81} << QString();
    QTest::newRow("30: 4,000 bytes in two outputs") << 30 << QList<int>{2000, 2000} << QString();
    // 100,000 bytes of data cannot fit the 400,000 weight units a standard transaction may have.
    QTest::newRow("30: 99,990 bytes") << 30 << QList<int>{30000, 30000, 39990} << QStringLiteral("-26 tx-size");
}

void TestDoublePolicy::dataCarrier()
{
    QFETCH(int, policy);
    QFETCH(QList<int>, sizes);
    QFETCH(QString, expected);
    makeNode(policy);
    const Coin c = fund(1).first();
    QList<btc::TxOut> outs{btc::TxOut{c.value - 200000, m_key->script()}};
    for (int n : sizes)
        outs.append(btc::TxOut{0, opReturnOf(n)});
    QCOMPARE(send(spend({c}, outs)), expected);
}

void TestDoublePolicy::dust_data()
{
    QTest::addColumn<int>("policy");
    QTest::addColumn<QList<std::int64_t>>("values"); ///< of P2WPKH outputs (dust below 294 sat)
    QTest::addColumn<QString>("expected");
    for (int p : {27, 29, 30})
        QTest::addRow("%d: 294 sat", p) << p << QList<std::int64_t>{294} << QString();
    QTest::newRow("27: 293 sat") << 27 << QList<std::int64_t>{293} << QStringLiteral("-26 dust");
    QTest::newRow("29: 293 sat, with a fee")
        << 29 << QList<std::int64_t>{293} << QStringLiteral("-26 dust, tx with dust output must be 0-fee");
    QTest::newRow("30: 293 sat, with a fee")
        << 30 << QList<std::int64_t>{293} << QStringLiteral("-26 dust, tx with dust output must be 0-fee");
    QTest::newRow("30: two dust outputs") << 30 << QList<std::int64_t>{1, 1} << QStringLiteral("-26 dust");
}

void TestDoublePolicy::dust()
{
    QFETCH(int, policy);
    QFETCH(QList<std::int64_t>, values);
    QFETCH(QString, expected);
    makeNode(policy);
    const Coin c = fund(1).first();
    const QByteArray p2wpkh = btc::script::p2wpkh(QByteArray(20, '\x11'));
    QList<btc::TxOut> outs{btc::TxOut{c.value - 10000, m_key->script()}};
    for (std::int64_t v : values)
        outs.append(btc::TxOut{v, p2wpkh});
    QCOMPARE(send(spend({c}, outs)), expected);
}

void TestDoublePolicy::replacement_data()
{
    QTest::addColumn<int>("policy");
    for (int p : {27, 29, 30})
        QTest::addRow("%d", p) << p;
}

// BIP125 rules 6, 3 and 4 at their boundaries, then the replacement that passes them all.
void TestDoublePolicy::replacement()
{
    QFETCH(int, policy);
    makeNode(policy);
    const std::int64_t incremental = CoreDouble::Policy::of(policy)->incrementalFeePerKvb;
    const Coin c = fund(1).first();
    // The original: two outputs (a bigger transaction), 1,000 sat.
    const btc::Transaction original =
        spend({c}, {btc::TxOut{100000, m_key->script()}, btc::TxOut{c.value - 101000, m_key->script()}});
    QCOMPARE(send(original), QString());
    const std::int64_t oldRate = 1000 * 1000 / original.vsize();
    auto rate = [](std::int64_t perK) { return QStringLiteral("0.%1 BTC/kvB").arg(perK, 8, 10, QLatin1Char('0')); };

    // Rule 6: the highest fee whose rate is not above the original's is refused; one sat more
    // passes rule 6 (and meets rule 3 below).
    const std::int64_t small = chained(c, 1).vsize();
    std::int64_t fee = oldRate * small / 1000;
    while ((fee + 1) * 1000 / small <= oldRate)
        ++fee;
    const btc::Transaction notHigher = chained(c, fee);
    QCOMPARE(send(notHigher),
             QStringLiteral("-26 insufficient fee, rejecting replacement %1; new feerate %2 <= old feerate %3")
                 .arg(notHigher.txid().hex(), rate(fee * 1000 / small), rate(oldRate)));
    // Rule 3: a higher rate (one output: smaller) but less in fees.
    const btc::Transaction lessFee = chained(c, fee + 1);
    QVERIFY(fee + 1 < 1000);
    QCOMPARE(
        send(lessFee),
        QStringLiteral("-26 insufficient fee, rejecting replacement %1, less fees than conflicting txs; 0.%2 < 0.00001")
            .arg(lessFee.txid().hex())
            .arg(QString::number(fee + 1)
                     .rightJustified(8, QLatin1Char('0'))
                     .remove(QRegularExpression(QStringLiteral("0+$")))));
    // Rule 4: the extra must pay for the replacement's own size at the incremental relay fee.
    const std::int64_t vsize = chained(c, 1000).vsize();
    const std::int64_t relay = (incremental * vsize + 999) / 1000;
    auto money = [](std::int64_t sats) {
        QString s = QStringLiteral("0.%1").arg(sats, 8, 10, QLatin1Char('0'));
        while (s.endsWith(QLatin1Char('0')) && s.size() > 4)
            s.chop(1);
        return s;
    };
    const btc::Transaction tooLittle = chained(c, 1000 + relay - 1);
    QCOMPARE(
        send(tooLittle),
        QStringLiteral("-26 insufficient fee, rejecting replacement %1, not enough additional fees to relay; %2 < %3")
            .arg(tooLittle.txid().hex(), money(relay - 1), money(relay)));
    QCOMPARE(mempool(), QStringList{original.txid().hex()});
    QVERIFY(m_node->replaced().isEmpty());

    const btc::Transaction enough = chained(c, 1000 + relay);
    QCOMPARE(send(enough), QString());
    QCOMPARE(mempool(), QStringList{enough.txid().hex()});
    QCOMPARE(m_node->replaced(), QStringList{original.txid().hex()});
    // The original cannot come back: it pays less than what replaced it.
    QVERIFY(send(original).startsWith(QStringLiteral("-26 insufficient fee, rejecting replacement ")));
}

void TestDoublePolicy::replacementEvictsDescendants()
{
    const Coin c = fund(1).first();
    const btc::Transaction parent = chained(c, 1000);
    const btc::Transaction child = chained(output(parent, 0), 5000);
    QCOMPARE(send(parent), QString());
    QCOMPARE(send(child), QString());
    // It must pay for both: 6,000 sat and its own size at 0.1 sat/vB.
    const btc::Transaction replacement = chained(c, 6000 + (100 * chained(c, 6000).vsize() + 999) / 1000);
    QCOMPARE(send(replacement), QString());
    QCOMPARE(mempool(), QStringList{replacement.txid().hex()});
    QCOMPARE(m_node->replaced(), (QStringList{parent.txid().hex(), child.txid().hex()}));
}

void TestDoublePolicy::replacementAddsUnconfirmed()
{
    const QList<Coin> coins = fund(2);
    const btc::Transaction original = chained(coins[0], 1000);
    const btc::Transaction other = chained(coins[1], 1000);
    QCOMPARE(send(original), QString());
    QCOMPARE(send(other), QString());
    const btc::Transaction replacement = spend(
        {coins[0], output(other, 0)}, {btc::TxOut{coins[0].value + output(other, 0).value - 50000, m_key->script()}});
    QCOMPARE(send(replacement),
             QStringLiteral("-26 replacement-adds-unconfirmed, replacement %1 adds unconfirmed input, idx 1")
                 .arg(replacement.txid().hex()));
}

void TestDoublePolicy::replacementCandidatesCap()
{
    // Five originals, each with `children` descendants: 5 × (1 + children) candidates.
    auto build = [this](int children) {
        makeNode();
        const QList<Coin> coins = fund(5);
        std::int64_t fees = 0;
        for (const Coin& c : coins) {
            QList<btc::TxOut> outs;
            for (int i = 0; i < children; ++i)
                outs.append(btc::TxOut{100000, m_key->script()});
            outs.append(btc::TxOut{c.value - 100000 * children - 2000, m_key->script()});
            const btc::Transaction original = spend({c}, outs);
            if (!send(original).isEmpty())
                qFatal("original refused");
            fees += 2000;
            for (int i = 0; i < children; ++i) {
                if (!send(chained(output(original, i), 300)).isEmpty())
                    qFatal("child refused");
                fees += 300;
            }
        }
        std::int64_t total = 0;
        for (const Coin& c : coins)
            total += c.value;
        return spend(coins, {btc::TxOut{total - fees - 100000, m_key->script()}});
    };
    const btc::Transaction tooMany = build(20);
    QCOMPARE(m_node->mempoolSize(), 105);
    QCOMPARE(send(tooMany),
             QStringLiteral("-26 too many potential replacements, rejecting replacement %1; too many potential "
                            "replacements (105 > 100)")
                 .arg(tooMany.txid().hex()));
    const btc::Transaction hundred = build(19);
    QCOMPARE(m_node->mempoolSize(), 100);
    QCOMPARE(send(hundred), QString());
    QCOMPARE(m_node->mempoolSize(), 1);
    QCOMPARE(m_node->replaced().size(), 100);
}

void TestDoublePolicy::spendsConflictingTransaction()
{
    const QList<Coin> coins = fund(1);
    const btc::Transaction original = chained(coins[0], 1000);
    QCOMPARE(send(original), QString());
    const btc::Transaction both = spend({coins[0], output(original, 0)}, {btc::TxOut{coins[0].value, m_key->script()}});
    QCOMPARE(send(both), QStringLiteral("-26 bad-txns-spends-conflicting-tx, %1 spends conflicting transaction %2")
                             .arg(both.txid().hex(), original.txid().hex()));
}

void TestDoublePolicy::conflictingSubmissionsAreRecorded()
{
    const Coin c = fund(1).first();
    const btc::Transaction first = chained(c, 1000);
    QCOMPARE(send(first), QString());
    QCOMPARE(send(first), QString()); // the same transaction again is no conflict
    QVERIFY(m_node->conflictingSubmissions().isEmpty());
    const btc::Transaction second = chained(c, 1001);
    QVERIFY(!send(second).isEmpty()); // refused, and recorded all the same
    const QString outpoint = QStringLiteral("%1:0").arg(c.outpoint.txid.hex());
    QCOMPARE(m_node->conflictingSubmissions(),
             (QMap<QString, QStringList>{{outpoint, {first.txid().hex(), second.txid().hex()}}}));
    const QJsonObject listed = std::get<QJsonValue>(m_node->call(QStringLiteral("listconflicts"), {})).toObject();
    QCOMPARE(listed.value(QStringLiteral("conflicts")).toObject().value(outpoint).toArray().size(), 2);
    QCOMPARE(listed.value(QStringLiteral("replaced")).toArray().size(), 0);
}

void TestDoublePolicy::policyOnTheCommandLine()
{
    QProcess bad;
    bad.start(QStringLiteral(UW_DOUBLE_PATH), {QStringLiteral("--policy"), QStringLiteral("28")});
    QVERIFY(bad.waitForFinished(10000));
    QCOMPARE(bad.exitCode(), 2);
    QVERIFY2(bad.readAllStandardError().contains("--policy is 27, 29 or 30"), "the refusal names the choices");

    makeNode(27);
    QCOMPARE(std::get<QJsonValue>(m_node->call(QStringLiteral("getnetworkinfo"), {}))
                 .toObject()
                 .value(QStringLiteral("version")),
             QJsonValue(270000));
    makeNode(29);
    QCOMPARE(std::get<QJsonValue>(m_node->call(QStringLiteral("getnetworkinfo"), {}))
                 .toObject()
                 .value(QStringLiteral("subversion")),
             QJsonValue(QStringLiteral("/Satoshi:29.1.0(userwallet-double)/")));
}

void TestDoublePolicy::bitcoinjsChecksInBatches()
{
    CoreDouble::Options o;
    o.txcheckDir = QStringLiteral(UW_SOURCE_DIR "/tests/tools/txcheck");
    o.txcheckBatch = 2;
    m_node = std::make_unique<CoreDouble>(o);
    Coin c = fund(1).first();
    for (int i = 0; i < 3; ++i) {
        const btc::Transaction tx = chained(c, 200);
        QCOMPARE(send(tx), QString());
        c = output(tx, 0);
    }
    QCOMPARE(m_node->checkedCount(), 2); // the first batch, at once
    const QJsonObject checked = std::get<QJsonValue>(m_node->call(QStringLiteral("checktransactions"), {})).toObject();
    QCOMPARE(checked.value(QStringLiteral("checked")).toInteger(), 3);
}

// A checker that refuses every batch (a stand-in for bitcoinjs-lib finding a bad signature): the
// RPC says why, and the double's process exits with 3 at "stop".
void TestDoublePolicy::aRejectedBatchFailsLoudly()
{
    QTemporaryDir fake;
    QVERIFY(QDir(fake.path()).mkpath(QStringLiteral("node_modules/bitcoinjs-lib")));
    QFile script(fake.filePath(QStringLiteral("verify_tx.mjs")));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("import * as readline from 'node:readline';\n"
                 "for await (const line of readline.createInterface({ input: process.stdin })) {\n"
                 "  const n = JSON.parse(line).txs.length;\n"
                 "  console.log(JSON.stringify({ valid: false, index: n - 1, reason: 'signed by a stranger' }));\n"
                 "}\n");
    script.close();

    CoreDouble::Options o;
    o.txcheckDir = fake.path();
    m_node = std::make_unique<CoreDouble>(o);
    const Coin c = fund(1).first();
    const btc::Transaction tx = chained(c, 200);
    QCOMPARE(send(tx), QString());
    const auto answer = m_node->call(QStringLiteral("checktransactions"), {});
    QVERIFY(std::holds_alternative<CoreDouble::RpcError>(answer));
    const QString message = std::get<CoreDouble::RpcError>(answer).message;
    QVERIFY2(message.contains(tx.txid().hex()) && message.contains(QStringLiteral("signed by a stranger")),
             qPrintable(message));
    QCOMPARE(m_node->finishChecks(), message); // and so on, every time
    m_node.reset();

    // The process: its "stop" answers the refusal and it exits with 3.
    QTemporaryDir dir;
    DoubleProcess node(dir.filePath(QStringLiteral(".cookie")), {QStringLiteral("--txcheck"), fake.path()});
    QVERIFY(node.start());
    node.rpc(QStringLiteral("generatetoaddress"), {1, m_key->address()});
    const QString block = node.rpc(QStringLiteral("getbestblockhash")).toString();
    node.rpc(QStringLiteral("generatetoaddress"), {100, kElsewhere});
    const QJsonObject coinbase = node.rpc(QStringLiteral("getblock"), {block, 2})
                                     .toObject()
                                     .value(QStringLiteral("tx"))
                                     .toArray()
                                     .at(0)
                                     .toObject();
    const Coin mined{btc::OutPoint{btc::Txid::fromHex(coinbase.value(QStringLiteral("txid")).toString()).value(), 0},
                     50 * 100'000'000LL, m_key->script()};
    QCOMPARE(
        node.rpc(QStringLiteral("sendrawtransaction"), {QString::fromLatin1(chained(mined, 200).serialize().toHex())})
            .toString(),
        chained(mined, 200).txid().hex());
    const QString problems = node.stop();
    QVERIFY2(problems.contains(QStringLiteral("signed by a stranger")) &&
                 problems.contains(QStringLiteral("exit code 3")),
             qPrintable(problems));
}

QTEST_GUILESS_MAIN(TestDoublePolicy)
#include "test_double_policy.moc"
