#include "double/CoreDouble.h"

#include "bitcoin/Bech32.h"
#include "bitcoin/Hashes.h"
#include "bitcoin/Script.h"
#include "crypto/Sha256.h"
#include "double/DoubleTx.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <set>
#include <zmq.h>

namespace uw::test {

namespace {
/// 32 bytes in internal order, shown as Bitcoin Core shows hashes (reversed hex).
QString displayHex(QByteArray internal)
{
    std::reverse(internal.begin(), internal.end());
    return QString::fromLatin1(internal.toHex());
}
} // namespace

namespace {

constexpr std::int64_t kCoin = 100'000'000;
constexpr int kCoinbaseMaturity = 100;
constexpr std::int64_t kMaxMoney = 21'000'000 * kCoin;
constexpr double kMaxFeeRateSatPerVb = 0.10 * kCoin / 1000; // -maxfeerate default 0.10 BTC/kvB
constexpr std::int64_t kMaxStandardWeight = 400000;         // MAX_STANDARD_TX_WEIGHT
constexpr qsizetype kMinStandardNonWitnessSize = 65;        // MIN_STANDARD_TX_NONWITNESS_SIZE

/// CFeeRate(fee, vsize): sat per 1000 vB, rounded down.
std::int64_t feeRatePerKvb(std::int64_t fee, std::int64_t vsize)
{
    return vsize > 0 ? fee * 1000 / vsize : 0;
}

/// CFeeRate::GetFee: the fee at `perKvb` for `vsize`, rounded up, at least 1 sat.
std::int64_t feeAt(std::int64_t perKvb, std::int64_t vsize)
{
    const std::int64_t fee = (perKvb * vsize + 999) / 1000;
    return fee == 0 && perKvb > 0 && vsize > 0 ? 1 : fee;
}

/// CFeeRate::ToString: "0.00001000 BTC/kvB".
QString feeRateString(std::int64_t fee, std::int64_t vsize)
{
    const std::int64_t perK = feeRatePerKvb(fee, vsize);
    return QStringLiteral("%1.%2 BTC/kvB").arg(perK / kCoin).arg(perK % kCoin, 8, 10, QLatin1Char('0'));
}

/// FormatMoney: at least two decimals, trailing zeros dropped ("0.00001", "1.50").
QString formatMoney(std::int64_t sats)
{
    const std::int64_t a = sats < 0 ? -sats : sats;
    QString s = QStringLiteral("%1.%2").arg(a / kCoin).arg(a % kCoin, 8, 10, QLatin1Char('0'));
    while (s.endsWith(QLatin1Char('0')) && s.size() - s.indexOf(QLatin1Char('.')) > 3)
        s.chop(1);
    return sats < 0 ? QLatin1Char('-') + s : s;
}

QJsonValue btcValue(std::int64_t sats)
{
    return double(sats) / double(kCoin);
}

QString scriptType(const QByteArray& s)
{
    if (btc::script::isP2wpkh(s))
        return QStringLiteral("witness_v0_keyhash");
    if (btc::script::isP2tr(s))
        return QStringLiteral("witness_v1_taproot");
    if (btc::script::isOpReturn(s))
        return QStringLiteral("nulldata");
    return QStringLiteral("nonstandard");
}

} // namespace

/// A scantxoutset start while it walks the UTXO set.
struct CoreDouble::Scan
{
    QSet<QByteArray> scripts;
    QHash<QString, Coin> coins; ///< the set when the scan started (Core walks a snapshot)
    QHash<QString, Coin>::const_iterator next;
    qint64 walked = 0;
    qint64 total = 0;
    int height = 0;
    QString bestBlock;
    QJsonArray unspents;
    std::int64_t amount = 0;
    bool abort = false;
    Reply reply;
    qint64 chunk = 0; ///< coins walked per turn
    int intervalMs = 0;
};

CoreDouble::CoreDouble(Options options, QObject* parent)
    : QObject(parent), m_options(std::move(options)), m_startTime(QDateTime::currentSecsSinceEpoch())
{
    connect(&m_server, &QTcpServer::newConnection, this, &CoreDouble::onConnection);
    // Genesis: an empty block at height 0.
    Block genesis{QString(), QString(64, QLatin1Char('0')), 0, 1598918400, {}, QByteArray(32, '\0'), {}};
    genesis.hash =
        btc::Txid{Sha256::hash256(QByteArray(QByteArray("userwallet double genesis") + m_options.chain.toUtf8()))}
            .hex();
    m_chain.append(genesis);
    if (!m_options.zmqHashblock.isEmpty()) {
        m_zmqContext = zmq_ctx_new();
        m_zmqPub = zmq_socket(m_zmqContext, ZMQ_PUB);
        const int zero = 0;
        zmq_setsockopt(m_zmqPub, ZMQ_LINGER, &zero, sizeof zero);
        if (zmq_bind(m_zmqPub, m_options.zmqHashblock.toUtf8().constData()) != 0)
            qWarning("bitcoind-double: cannot bind ZMQ %s", qPrintable(m_options.zmqHashblock));
    }
}

CoreDouble::~CoreDouble()
{
    // A failure nobody asked for ends the test process here: a test cannot pass over it.
    if (const QString failure = runChecks(); !failure.isEmpty() && !m_failureReported)
        qFatal("bitcoind-double: %s", qPrintable(failure));
    if (m_zmqPub)
        zmq_close(m_zmqPub);
    if (m_zmqContext)
        zmq_ctx_term(m_zmqContext);
}

bool CoreDouble::listen(quint16 port)
{
    if (!m_options.txcheckDir.isEmpty()) {
        if (const QString missing = TxCheck::missing(m_options.txcheckDir); !missing.isEmpty()) {
            qWarning("bitcoind-double: %s", qPrintable(missing));
            return false;
        }
    }
    return m_server.listen(QHostAddress::LocalHost, port);
}

void CoreDouble::close()
{
    m_server.close();
    for (QTcpSocket* s : findChildren<QTcpSocket*>())
        s->abort();
}

QString CoreDouble::url() const
{
    return QStringLiteral("http://127.0.0.1:%1/").arg(port());
}

std::optional<QByteArray> CoreDouble::scriptForAddress(const QString& address) const
{
    const QString hrp = m_options.chain == QLatin1String("regtest") ? QStringLiteral("bcrt") : QStringLiteral("tb");
    auto p = btc::bech32::decodeAddress(hrp, address);
    if (!p)
        return std::nullopt;
    QByteArray s(1, char(p->version == 0 ? 0 : 0x50 + p->version));
    s.append(char(p->program.size()));
    return s + p->program;
}

std::optional<CoreDouble::Coin> CoreDouble::findCoin(const QString& k) const
{
    if (const auto it = m_utxos.constFind(k); it != m_utxos.constEnd())
        return *it;
    const qsizetype colon = k.indexOf(QLatin1Char(':'));
    const QString txid = k.left(colon);
    const int vout = k.mid(colon + 1).toInt();
    for (const MempoolEntry& e : m_mempool)
        if (e.txid == txid && vout < e.tx.outputs.size() && !btc::script::isOpReturn(e.tx.outputs[vout].script))
            return Coin{e.tx.outputs[vout].value, e.tx.outputs[vout].script, -1, false};
    return std::nullopt;
}

std::optional<CoreDouble::Policy> CoreDouble::Policy::of(int version)
{
    switch (version) {
    case 27: // 1 sat/vB floor, one OP_RETURN output of at most 83 bytes, no dust output
        return Policy{27, 1000, 1000, 83, false, false};
    case 29: // 29.1: the relay and incremental fees lowered to 0.1 sat/vB; ephemeral dust
        return Policy{29, 100, 100, 83, false, true};
    case 30: // OP_RETURN outputs share a 100,000-byte budget
        return Policy{30, 100, 100, 100000, true, true};
    default:
        return std::nullopt;
    }
}

const CoreDouble::MempoolEntry* CoreDouble::entry(const QString& txid) const
{
    for (const MempoolEntry& e : m_mempool)
        if (e.txid == txid)
            return &e;
    return nullptr;
}

QSet<QString> CoreDouble::descendants(const QString& txid) const
{
    QSet<QString> out;
    QList<QString> todo{txid};
    while (!todo.isEmpty()) {
        const QString t = todo.takeLast();
        for (const MempoolEntry& e : m_mempool)
            if (e.inputTxids.contains(t) && !out.contains(e.txid)) {
                out.insert(e.txid);
                todo.append(e.txid);
            }
    }
    return out;
}

std::variant<QSet<QString>, QString> CoreDouble::ancestorsWithinLimits(const QSet<QString>& parents, std::int64_t vsize,
                                                                       const Limits& l) const
{
    // CTxMemPool::CalculateAncestorsAndCheckLimits, the same checks in the same order.
    std::set<QString> staged;
    for (const QString& p : parents) {
        staged.insert(p);
        if (int(staged.size()) + 1 > l.ancestorCount)
            return QStringLiteral("too many unconfirmed parents [limit: %1]").arg(l.ancestorCount);
    }
    QSet<QString> ancestors;
    std::int64_t totalSize = vsize;
    while (!staged.empty()) {
        const MempoolEntry* stage = entry(*staged.begin());
        staged.erase(staged.begin());
        ancestors.insert(stage->txid);
        totalSize += stage->vsize;
        const QSet<QString> below = descendants(stage->txid);
        std::int64_t sizeWithDescendants = stage->vsize;
        for (const QString& d : below)
            sizeWithDescendants += entry(d)->vsize;
        if (sizeWithDescendants + vsize > l.descendantSize)
            return QStringLiteral("exceeds descendant size limit for tx %1 [limit: %2]")
                .arg(stage->txid)
                .arg(l.descendantSize);
        if (below.size() + 1 + 1 > l.descendantCount)
            return QStringLiteral("too many descendants for tx %1 [limit: %2]").arg(stage->txid).arg(l.descendantCount);
        if (totalSize > l.ancestorSize)
            return QStringLiteral("exceeds ancestor size limit [limit: %1]").arg(l.ancestorSize);
        for (const QString& p : stage->inputTxids) {
            if (!entry(p))
                continue;
            if (!ancestors.contains(p))
                staged.insert(p);
            if (qsizetype(staged.size()) + ancestors.size() + 1 > l.ancestorCount)
                return QStringLiteral("too many unconfirmed ancestors [limit: %1]").arg(l.ancestorCount);
        }
    }
    return ancestors;
}

void CoreDouble::removeFromMempool(const QSet<QString>& txids)
{
    m_mempool.removeIf([&](const MempoolEntry& e) { return txids.contains(e.txid); });
    m_mempoolSpends.removeIf([&](const QHash<QString, QString>::iterator& it) { return txids.contains(it.value()); });
}

QMap<QString, QStringList> CoreDouble::conflictingSubmissions() const
{
    QMap<QString, QStringList> out;
    for (auto it = m_submittedSpends.cbegin(); it != m_submittedSpends.cend(); ++it)
        if (it->size() > 1)
            out.insert(it.key(), *it);
    return out;
}

QString CoreDouble::runChecks()
{
    if (m_options.txcheckDir.isEmpty() || !m_checkFailure.isEmpty() || m_unchecked.isEmpty())
        return m_checkFailure;
    const QList<TxCheck::Item> batch = std::exchange(m_unchecked, {});
    m_checkFailure = TxCheck::check(m_options.txcheckDir, batch);
    if (m_checkFailure.isEmpty())
        m_checked += batch.size();
    else
        qCritical("bitcoind-double: %s", qPrintable(m_checkFailure));
    return m_checkFailure;
}

QString CoreDouble::finishChecks()
{
    const QString failure = runChecks();
    m_failureReported = m_failureReported || !failure.isEmpty();
    return failure;
}

std::variant<QJsonValue, CoreDouble::RpcError> CoreDouble::sendRawTransaction(const QJsonArray& params)
{
    const auto raw = fromHexAnyCase(params.at(0).toString());
    if (!raw)
        return RpcError{-22, QStringLiteral("TX decode failed. Make sure the tx has at least one input.")};
    return accept(*raw, true);
}

// MemPoolAccept::AcceptSingleTransaction with Bitcoin Core's default options, its checks in
// its order: PreChecks (consensus, standardness, conflicts, inputs, fee, chain limits),
// ReplacementChecks, the scripts; then BroadcastTransaction's maximum fee rate.
std::variant<QJsonValue, CoreDouble::RpcError> CoreDouble::accept(const QByteArray& raw, bool submitted)
{
    // The double reads, hashes, sizes and verifies with its own code (DoubleTx), not the wallet's.
    const dtx::Parsed parsed = dtx::parse(raw);
    if (!parsed.tx)
        return RpcError{-22, QStringLiteral("TX decode failed. Make sure the tx has at least one input.")};
    const dtx::Tx* tx = &*parsed.tx;
    const QString txid = tx->txidHex();
    auto rejected = [](const QString& reason, const QString& debug = QString()) {
        return RpcError{-26, debug.isEmpty() ? reason : reason + QStringLiteral(", ") + debug};
    };
    QSet<QString> inputTxids, parents;
    for (const dtx::Input& input : tx->inputs) {
        const QString k = key(input.prevTxidHex(), input.vout);
        if (submitted && !m_submittedSpends[k].contains(txid))
            m_submittedSpends[k].append(txid);
        inputTxids.insert(input.prevTxidHex());
        if (entry(input.prevTxidHex()))
            parents.insert(input.prevTxidHex());
    }
    if (entry(txid))
        return QJsonValue(txid); // already in the mempool: Bitcoin Core answers with the txid
    for (int i = 0; i < tx->outputs.size(); ++i)
        if (m_utxos.contains(key(txid, std::uint32_t(i))))
            return RpcError{-27, QStringLiteral("Transaction outputs already in utxo set")};

    // CheckTransaction.
    QSet<QString> outpoints;
    for (const dtx::Input& input : tx->inputs) {
        const QString k = key(input.prevTxidHex(), input.vout);
        if (outpoints.contains(k))
            return rejected(QStringLiteral("bad-txns-inputs-duplicate"));
        outpoints.insert(k);
    }
    std::int64_t out = 0;
    for (const dtx::Output& o : tx->outputs) {
        if (o.value < 0)
            return rejected(QStringLiteral("bad-txns-vout-negative"));
        if (o.value > kMaxMoney)
            return rejected(QStringLiteral("bad-txns-vout-toolarge"));
        out += o.value;
        if (out > kMaxMoney)
            return rejected(QStringLiteral("bad-txns-txouttotal-toolarge"));
    }

    // IsStandardTx.
    const Policy& policy = m_options.policy;
    if (tx->version < 1 || tx->version > (policy.version >= 28 ? 3 : 2))
        return rejected(QStringLiteral("version"));
    if (tx->weight() > kMaxStandardWeight)
        return rejected(QStringLiteral("tx-size"));
    qsizetype dataCarrierLeft = policy.dataCarrierBytes;
    int dataOutputs = 0;
    int dustOutputs = 0;
    for (const dtx::Output& o : tx->outputs) {
        if (dtx::isOpReturn(o.script)) {
            if (policy.dataCarrierShared) {
                if (o.script.size() > dataCarrierLeft)
                    return rejected(QStringLiteral("datacarrier"));
                dataCarrierLeft -= o.script.size();
            } else if (o.script.size() > policy.dataCarrierBytes) {
                return rejected(QStringLiteral("scriptpubkey"));
            }
            ++dataOutputs;
        } else if (o.value < dtx::dustThreshold(o.script)) {
            if (!policy.ephemeralDust)
                return rejected(QStringLiteral("dust"));
            ++dustOutputs;
        }
    }
    if (!policy.dataCarrierShared && dataOutputs > 1)
        return rejected(QStringLiteral("multi-op-return"));
    if (dustOutputs > 1) // MAX_DUST_OUTPUTS_PER_TX
        return rejected(QStringLiteral("dust"));
    if (tx->serialize(false).size() < kMinStandardNonWitnessSize)
        return rejected(QStringLiteral("tx-size-small"));

    // Conflicts: with full RBF (Core 28+) every one is a candidate replacement.
    std::set<QString> directConflicts;
    for (const dtx::Input& input : tx->inputs)
        if (const auto it = m_mempoolSpends.constFind(key(input.prevTxidHex(), input.vout));
            it != m_mempoolSpends.constEnd())
            directConflicts.insert(*it);

    std::int64_t in = 0;
    QList<dtx::Output> spent;
    for (const dtx::Input& input : tx->inputs) {
        const auto coin = findCoin(key(input.prevTxidHex(), input.vout));
        if (!coin)
            return RpcError{-25, QStringLiteral("bad-txns-inputs-missingorspent")};
        if (coin->coinbase && height() + 1 - coin->height < kCoinbaseMaturity)
            return rejected(QStringLiteral("bad-txns-premature-spend-of-coinbase"),
                            QStringLiteral("tried to spend coinbase at depth %1").arg(height() + 1 - coin->height));
        in += coin->value;
        spent.append(dtx::Output{coin->value, coin->script});
    }
    if (out > in)
        return rejected(QStringLiteral("bad-txns-in-belowout"),
                        QStringLiteral("value in (%1) < value out (%2)").arg(formatMoney(in), formatMoney(out)));
    const std::int64_t fee = in - out;
    const std::int64_t vsize = tx->vsize();
    if (dustOutputs > 0 && fee != 0) // PreCheckEphemeralTx
        return rejected(QStringLiteral("dust"), QStringLiteral("tx with dust output must be 0-fee"));
    if (const std::int64_t floor = feeAt(policy.minRelayFeePerKvb, vsize); fee < floor)
        return rejected(QStringLiteral("min relay fee not met"), QStringLiteral("%1 < %2").arg(fee).arg(floor));

    // Chain limits. A replacement of exactly one transaction may go past the descendant limits
    // by what it evicts; a small transaction with one unconfirmed ancestor gets the CPFP carve-out.
    Limits limits;
    if (directConflicts.size() == 1) {
        const QString conflict = *directConflicts.begin();
        limits.descendantCount += 1;
        limits.descendantSize += entry(conflict)->vsize;
        for (const QString& d : descendants(conflict))
            limits.descendantSize += entry(d)->vsize;
    }
    auto ancestors = ancestorsWithinLimits(parents, vsize, limits);
    if (const auto* error = std::get_if<QString>(&ancestors)) {
        const QString message = *error;
        if (vsize > kCarveOutMaxVsize)
            return rejected(QStringLiteral("too-long-mempool-chain"), message);
        const Limits carveOut{2, limits.ancestorSize, limits.descendantCount + 1,
                              limits.descendantSize + kCarveOutMaxVsize};
        ancestors = ancestorsWithinLimits(parents, vsize, carveOut);
        if (std::holds_alternative<QString>(ancestors))
            return rejected(QStringLiteral("too-long-mempool-chain"), message);
    }
    for (const QString& a : std::get<QSet<QString>>(ancestors))
        if (directConflicts.count(a))
            return rejected(QStringLiteral("bad-txns-spends-conflicting-tx"),
                            QStringLiteral("%1 spends conflicting transaction %2").arg(txid, a));

    // ReplacementChecks (policy/rbf.cpp): rules 6, 5, 2, then 3 and 4.
    QSet<QString> evicted;
    if (!directConflicts.empty()) {
        for (const QString& c : directConflicts) {
            const MempoolEntry* e = entry(c);
            if (feeRatePerKvb(fee, vsize) <= feeRatePerKvb(e->fee, e->vsize))
                return rejected(QStringLiteral("insufficient fee"),
                                QStringLiteral("rejecting replacement %1; new feerate %2 <= old feerate %3")
                                    .arg(txid, feeRateString(fee, vsize), feeRateString(e->fee, e->vsize)));
        }
        qsizetype candidates = 0;
        for (const QString& c : directConflicts) {
            const QSet<QString> below = descendants(c);
            candidates += below.size() + 1;
            if (candidates > kMaxReplacementCandidates)
                return rejected(QStringLiteral("too many potential replacements"),
                                QStringLiteral("rejecting replacement %1; too many potential replacements (%2 > %3)")
                                    .arg(txid)
                                    .arg(candidates)
                                    .arg(kMaxReplacementCandidates));
        }
        QSet<QString> parentsOfConflicts;
        for (const QString& c : directConflicts) {
            evicted.insert(c);
            evicted.unite(descendants(c));
            parentsOfConflicts.unite(entry(c)->inputTxids);
        }
        for (int j = 0; j < tx->inputs.size(); ++j) {
            const QString parent = tx->inputs[j].prevTxidHex();
            if (!parentsOfConflicts.contains(parent) && entry(parent))
                return rejected(QStringLiteral("replacement-adds-unconfirmed"),
                                QStringLiteral("replacement %1 adds unconfirmed input, idx %2").arg(txid).arg(j));
        }
        std::int64_t conflictingFees = 0;
        for (const QString& e : evicted)
            conflictingFees += entry(e)->fee;
        if (fee < conflictingFees)
            return rejected(QStringLiteral("insufficient fee"),
                            QStringLiteral("rejecting replacement %1, less fees than conflicting txs; %2 < %3")
                                .arg(txid, formatMoney(fee), formatMoney(conflictingFees)));
        const std::int64_t relay = feeAt(policy.incrementalFeePerKvb, vsize);
        if (fee - conflictingFees < relay)
            return rejected(QStringLiteral("insufficient fee"),
                            QStringLiteral("rejecting replacement %1, not enough additional fees to relay; %2 < %3")
                                .arg(txid, formatMoney(fee - conflictingFees), formatMoney(relay)));
    }

    // Scripts: P2WPKH (BIP143 + ECDSA) and P2TR key path (BIP341 + BIP340), standard flags.
    for (int i = 0; i < tx->inputs.size(); ++i)
        if (const QString failure = dtx::verifyInput(*tx, i, spent); !failure.isEmpty())
            return rejected(failure);
    if (double(fee) / double(vsize) > kMaxFeeRateSatPerVb)
        return RpcError{-25, QStringLiteral("Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)")};

    // Finalize: the replaced transactions and their descendants leave, this one enters.
    if (!evicted.isEmpty()) {
        for (const MempoolEntry& e : std::as_const(m_mempool))
            if (evicted.contains(e.txid))
                m_replaced.append(e.txid);
        removeFromMempool(evicted);
    }
    // Blocks and JSON answers keep the transaction as core/bitcoin reads it; it must read the same.
    auto kept = btc::Transaction::deserialize(raw);
    if (!kept || kept->txid().hex() != txid)
        return RpcError{-22, QStringLiteral("bitcoind-double: core/bitcoin reads this transaction otherwise")};
    for (const dtx::Input& input : tx->inputs)
        m_mempoolSpends.insert(key(input.prevTxidHex(), input.vout), txid);
    m_mempool.append(MempoolEntry{*kept, txid, inputTxids, fee, vsize, QDateTime::currentSecsSinceEpoch()});
    if (!m_options.txcheckDir.isEmpty() && !m_sentToCheck.contains(txid)) {
        m_sentToCheck.insert(txid);
        TxCheck::Item item{raw, {}, txid, vsize};
        for (const dtx::Output& o : spent)
            item.prevouts.append({o.value, o.script});
        m_unchecked.append(item);
        if (m_unchecked.size() >= m_options.txcheckBatch)
            runChecks();
    }
    return QJsonValue(txid);
}

void CoreDouble::connectBlock(Block& b)
{
    for (const btc::Transaction& tx : b.txs) {
        const QString txid = tx.txid().hex();
        for (const btc::TxIn& in : tx.inputs) {
            const QString k = key(in.prevout.txid.hex(), in.prevout.vout);
            if (const auto it = m_utxos.constFind(k); it != m_utxos.constEnd()) {
                b.undo.append({k, *it});
                m_utxos.remove(k);
            }
        }
        const bool coinbase = &tx == &b.txs.first();
        for (int i = 0; i < tx.outputs.size(); ++i)
            if (!btc::script::isOpReturn(tx.outputs[i].script))
                m_utxos.insert(key(txid, std::uint32_t(i)),
                               Coin{tx.outputs[i].value, tx.outputs[i].script, b.height, coinbase});
    }
}

// Bitcoin's block Merkle tree, written here apart from the wallet's own (the double is a judge):
// txids in internal byte order, double SHA-256 of each pair, an odd last node paired with itself.
QByteArray CoreDouble::merkleRootOf(const QList<btc::Transaction>& txs)
{
    QList<QByteArray> level;
    for (const btc::Transaction& tx : txs)
        level.append(btc::bytes(tx.txid().bytes));
    if (level.isEmpty())
        return QByteArray(32, '\0');
    while (level.size() > 1) {
        QList<QByteArray> up;
        for (qsizetype i = 0; i < level.size(); i += 2)
            up.append(btc::bytes(Sha256::hash256(QByteArray(level[i] + level[i + 1 < level.size() ? i + 1 : i]))));
        level = up;
    }
    return level.first();
}

// The 80-byte header: version, previous hash, Merkle root (internal order), time, bits, nonce.
QByteArray CoreDouble::headerOf(const Block& b)
{
    QByteArray h;
    auto le32 = [&h](quint32 v) {
        for (int i = 0; i < 4; ++i)
            h.append(char((v >> (8 * i)) & 0xff));
    };
    le32(0x20000000);
    QByteArray prev = QByteArray::fromHex(b.prev.toLatin1());
    std::reverse(prev.begin(), prev.end());
    h += prev;
    h += b.merkleRoot;
    le32(quint32(b.time));
    le32(0x207fffff); // regtest's bits
    le32(quint32(b.height));
    return h;
}

std::variant<QJsonValue, CoreDouble::RpcError> CoreDouble::generate(int n, const QByteArray& script)
{
    QJsonArray hashes;
    for (int i = 0; i < n; ++i) {
        Block b;
        b.height = height() + 1;
        b.prev = m_chain.last().hash;
        b.time = std::max<std::int64_t>(m_chain.last().time + 1, QDateTime::currentSecsSinceEpoch());
        std::int64_t fees = 0;
        for (const MempoolEntry& e : std::as_const(m_mempool))
            fees += e.fee;
        btc::Transaction coinbase;
        btc::TxIn cbIn;
        cbIn.prevout.vout = 0xffffffff;
        cbIn.scriptSig = QByteArray("\x03", 1) + QByteArray(reinterpret_cast<const char*>(&b.height), 3) +
                         QByteArray::number(b.time) + QByteArray::number(++m_blocksMined);
        coinbase.inputs.append(cbIn);
        coinbase.outputs.append(btc::TxOut{50 * kCoin + fees, script});
        b.txs.append(coinbase);
        for (const MempoolEntry& e : std::as_const(m_mempool))
            b.txs.append(e.tx);
        m_mempool.clear();
        m_mempoolSpends.clear();
        b.merkleRoot = merkleRootOf(b.txs);
        b.hash = btc::Txid{Sha256::hash256(headerOf(b))}.hex();
        connectBlock(b);
        m_chain.append(b);
        hashes.append(b.hash);
        if (m_zmqPub) { // Bitcoin Core's framing: topic, 32-byte hash (display order), 4-byte LE sequence
            const QByteArray hash = QByteArray::fromHex(b.hash.toLatin1());
            const quint32 seq = m_zmqSequence++;
            zmq_send(m_zmqPub, "hashblock", 9, ZMQ_SNDMORE);
            zmq_send(m_zmqPub, hash.constData(), 32, ZMQ_SNDMORE);
            zmq_send(m_zmqPub, &seq, 4, 0);
        }
    }
    return QJsonValue(hashes);
}

std::variant<QJsonValue, CoreDouble::RpcError> CoreDouble::invalidate(const QString& hash)
{
    qsizetype at = -1;
    for (qsizetype i = 1; i < m_chain.size(); ++i)
        if (m_chain[i].hash == hash)
            at = i;
    if (at < 0)
        return RpcError{-5, QStringLiteral("Block not found")};
    // Disconnect from the tip down; the transactions go back to the mempool (parents first).
    QList<btc::Transaction> returning;
    while (m_chain.size() > at) {
        Block b = m_chain.takeLast();
        for (const btc::Transaction& tx : b.txs) {
            const QString txid = tx.txid().hex();
            for (int i = 0; i < tx.outputs.size(); ++i)
                m_utxos.remove(key(txid, std::uint32_t(i)));
        }
        for (const auto& [k, coin] : b.undo)
            m_utxos.insert(k, coin);
        QList<btc::Transaction> txs = b.txs.mid(1);
        returning = txs + returning;
    }
    const QList<MempoolEntry> previous = m_mempool;
    m_mempool.clear();
    m_mempoolSpends.clear();
    for (const btc::Transaction& tx : returning)
        (void)accept(tx.serialize(), false);
    for (const MempoolEntry& e : previous)
        (void)accept(e.tx.serialize(), false);
    return QJsonValue();
}

QJsonObject CoreDouble::txJson(const btc::Transaction& tx, int blockHeight) const
{
    Q_UNUSED(blockHeight);
    QJsonArray vin, vout;
    const bool coinbase = tx.inputs.size() == 1 && tx.inputs[0].prevout.vout == 0xffffffff;
    for (const btc::TxIn& in : tx.inputs) {
        QJsonObject i;
        if (coinbase) {
            i.insert(QStringLiteral("coinbase"), QString::fromLatin1(in.scriptSig.toHex()));
        } else {
            i.insert(QStringLiteral("txid"), in.prevout.txid.hex());
            i.insert(QStringLiteral("vout"), qint64(in.prevout.vout));
            i.insert(QStringLiteral("scriptSig"),
                     QJsonObject{{QStringLiteral("asm"), QString()},
                                 {QStringLiteral("hex"), QString::fromLatin1(in.scriptSig.toHex())}});
            QJsonArray w;
            for (const QByteArray& item : in.witness)
                w.append(QString::fromLatin1(item.toHex()));
            i.insert(QStringLiteral("txinwitness"), w);
        }
        i.insert(QStringLiteral("sequence"), qint64(in.sequence));
        vin.append(i);
    }
    for (int n = 0; n < tx.outputs.size(); ++n) {
        const btc::TxOut& o = tx.outputs[n];
        vout.append(QJsonObject{
            {QStringLiteral("value"), btcValue(o.value)},
            {QStringLiteral("n"), n},
            {QStringLiteral("scriptPubKey"), QJsonObject{{QStringLiteral("hex"), QString::fromLatin1(o.script.toHex())},
                                                         {QStringLiteral("type"), scriptType(o.script)}}}});
    }
    return QJsonObject{{QStringLiteral("txid"), tx.txid().hex()},
                       {QStringLiteral("hash"), tx.wtxid().hex()},
                       {QStringLiteral("version"), tx.version},
                       {QStringLiteral("size"), qint64(tx.serialize().size())},
                       {QStringLiteral("vsize"), qint64(tx.vsize())},
                       {QStringLiteral("weight"), qint64(tx.weight())},
                       {QStringLiteral("locktime"), qint64(tx.lockTime)},
                       {QStringLiteral("vin"), vin},
                       {QStringLiteral("vout"), vout},
                       {QStringLiteral("hex"), QString::fromLatin1(tx.serialize().toHex())}};
}

std::variant<QJsonValue, CoreDouble::RpcError> CoreDouble::getBlock(const QJsonArray& params)
{
    const QString hash = params.at(0).toString();
    const int verbosity =
        params.size() > 1 ? (params.at(1).isBool() ? int(params.at(1).toBool()) : params.at(1).toInt()) : 1;
    for (qsizetype i = 0; i < m_chain.size(); ++i) {
        const Block& b = m_chain[i];
        if (b.hash != hash)
            continue;
        QJsonObject o{{QStringLiteral("hash"), b.hash},
                      {QStringLiteral("confirmations"), height() - b.height + 1},
                      {QStringLiteral("height"), b.height},
                      {QStringLiteral("version"), 0x20000000},
                      {QStringLiteral("time"), qint64(b.time)},
                      {QStringLiteral("mediantime"), qint64(b.time)},
                      {QStringLiteral("nTx"), qint64(b.txs.size())},
                      {QStringLiteral("merkleroot"), displayHex(b.merkleRoot)}};
        if (b.height > 0)
            o.insert(QStringLiteral("previousblockhash"), b.prev);
        if (i + 1 < m_chain.size())
            o.insert(QStringLiteral("nextblockhash"), m_chain[i + 1].hash);
        QJsonArray txs;
        for (const btc::Transaction& tx : b.txs)
            txs.append(verbosity >= 2 ? QJsonValue(txJson(tx, b.height)) : QJsonValue(tx.txid().hex()));
        o.insert(QStringLiteral("tx"), txs);
        return QJsonValue(o);
    }
    return RpcError{-5, QStringLiteral("Block not found")};
}

std::variant<QJsonValue, CoreDouble::RpcError> CoreDouble::getBlockHeader(const QJsonArray& params)
{
    const QString hash = params.at(0).toString();
    const bool verbose = params.size() < 2 || params.at(1).toBool(true);
    for (qsizetype i = 0; i < m_chain.size(); ++i) {
        const Block& b = m_chain[i];
        if (b.hash != hash)
            continue;
        if (!verbose)
            return QJsonValue(QString::fromLatin1(headerOf(b).toHex()));
        QJsonObject o{{QStringLiteral("hash"), b.hash},
                      {QStringLiteral("confirmations"), height() - b.height + 1},
                      {QStringLiteral("height"), b.height},
                      {QStringLiteral("version"), 0x20000000},
                      {QStringLiteral("merkleroot"), displayHex(b.merkleRoot)},
                      {QStringLiteral("time"), qint64(b.time)},
                      {QStringLiteral("mediantime"), qint64(b.time)},
                      {QStringLiteral("nTx"), qint64(b.txs.size())}};
        if (b.height > 0)
            o.insert(QStringLiteral("previousblockhash"), b.prev);
        if (i + 1 < m_chain.size())
            o.insert(QStringLiteral("nextblockhash"), m_chain[i + 1].hash);
        return QJsonValue(o);
    }
    return RpcError{-5, QStringLiteral("Block not found")};
}

void CoreDouble::scan(const QJsonArray& params, bool walkNow, Reply reply)
{
    const QString action = params.at(0).toString();
    if (action == QLatin1String("status")) // null when no scan runs, as Core
        return reply(m_scan ? QJsonValue(QJsonObject{{QStringLiteral("progress"),
                                                      int(m_scan->walked * 100 / std::max<qint64>(1, m_scan->total))}})
                            : QJsonValue(QJsonValue::Null));
    if (action == QLatin1String("abort")) {
        if (m_scan)
            m_scan->abort = true; // the running start answers "success": false at its next chunk
        return reply(QJsonValue(m_scan != nullptr));
    }
    if (action != QLatin1String("start"))
        return reply(RpcError{-8, QStringLiteral("Invalid action '%1'").arg(action)});
    if (m_scan)
        return reply(RpcError{-8, QStringLiteral("Scan already in progress, use action \"abort\" or \"status\"")});
    if (params.size() < 2)
        return reply(RpcError{-1, QStringLiteral("scanobjects argument is required for the start action")});
    auto s = std::make_unique<Scan>();
    for (const QJsonValue& d : params.at(1).toArray()) {
        const QString desc = d.isObject() ? d.toObject().value(QStringLiteral("desc")).toString() : d.toString();
        if (desc.startsWith(QLatin1String("raw(")) && desc.endsWith(QLatin1Char(')')))
            s->scripts.insert(QByteArray::fromHex(desc.mid(4, desc.size() - 5).toLatin1()));
        else if (desc.startsWith(QLatin1String("addr(")) && desc.endsWith(QLatin1Char(')'))) {
            const auto script = scriptForAddress(desc.mid(5, desc.size() - 6));
            if (!script)
                return reply(RpcError{-5, QStringLiteral("Invalid address")});
            s->scripts.insert(*script);
        } else {
            return reply(RpcError{-5, QStringLiteral("'%1' is not a valid descriptor function").arg(desc)});
        }
    }
    s->coins = m_utxos;
    s->next = s->coins.cbegin();
    s->total = s->coins.size() + m_options.scanExtraCoins;
    s->height = height();
    s->bestBlock = m_chain.last().hash;
    s->reply = std::move(reply);
    m_scan = std::move(s);
    if (walkNow)
        return scanStep(m_scan->total);
    // A paced scan walks a chunk every 10 ms; an unpaced one a large chunk per turn of the loop.
    const qint64 rate = m_options.scanCoinsPerSecond;
    m_scan->intervalMs = rate > 0 ? 10 : 0;
    m_scan->chunk = rate > 0 ? std::max<qint64>(1, rate / 100) : qint64(50000);
    QTimer::singleShot(m_scan->intervalMs, this, [this] { scanStep(m_scan->chunk); });
}

void CoreDouble::scanStep(qint64 coins)
{
    Scan& s = *m_scan;
    for (qint64 i = 0; i < coins && s.walked < s.total && !s.abort; ++i, ++s.walked) {
        if (s.next == s.coins.cend())
            continue; // the coins that only cost time
        const auto it = s.next++;
        if (!s.scripts.contains(it->script))
            continue;
        const qsizetype colon = it.key().indexOf(QLatin1Char(':'));
        s.unspents.append(QJsonObject{{QStringLiteral("txid"), it.key().left(colon)},
                                      {QStringLiteral("vout"), it.key().mid(colon + 1).toInt()},
                                      {QStringLiteral("scriptPubKey"), QString::fromLatin1(it->script.toHex())},
                                      {QStringLiteral("amount"), btcValue(it->value)},
                                      {QStringLiteral("coinbase"), it->coinbase},
                                      {QStringLiteral("height"), it->height}});
        s.amount += it->value;
    }
    if (s.walked < s.total && !s.abort) {
        // The Scan lives until its last step: this is the only pending step of it.
        QTimer::singleShot(s.intervalMs, this, [this, chunk = s.chunk] { scanStep(chunk); });
        return;
    }
    // Core releases the scan before it answers: "status" is null from then on. An aborted scan
    // answers "success": false with what it had found.
    const std::unique_ptr<Scan> done = std::move(m_scan);
    done->reply(QJsonValue(QJsonObject{{QStringLiteral("success"), !done->abort},
                                       {QStringLiteral("txouts"), done->walked},
                                       {QStringLiteral("height"), done->height},
                                       {QStringLiteral("bestblock"), done->bestBlock},
                                       {QStringLiteral("unspents"), done->unspents},
                                       {QStringLiteral("total_amount"), btcValue(done->amount)}}));
}

std::variant<QJsonValue, CoreDouble::RpcError> CoreDouble::call(const QString& method, const QJsonArray& params)
{
    ++m_requests;
    if (method == QLatin1String("getbestblockhash"))
        return QJsonValue(m_chain.last().hash);
    if (method == QLatin1String("getblockcount"))
        return QJsonValue(height());
    if (method == QLatin1String("getblockhash")) {
        const int h = params.at(0).toInt(-1);
        if (h < 0 || h > height())
            return RpcError{-8, QStringLiteral("Block height out of range")};
        return QJsonValue(m_chain[h].hash);
    }
    if (method == QLatin1String("getblock"))
        return getBlock(params);
    if (method == QLatin1String("getblockheader"))
        return getBlockHeader(params);
    if (method == QLatin1String("sendrawtransaction"))
        return sendRawTransaction(params);
    if (method == QLatin1String("estimatesmartfee")) {
        if (m_options.feeRateBtcPerKvb <= 0)
            return QJsonValue(QJsonObject{
                {QStringLiteral("errors"), QJsonArray{QStringLiteral("Insufficient data or no feerate found")}},
                {QStringLiteral("blocks"), 0}});
        return QJsonValue(QJsonObject{{QStringLiteral("feerate"), m_options.feeRateBtcPerKvb},
                                      {QStringLiteral("blocks"), params.at(0).toInt(6)}});
    }
    if (method == QLatin1String("generatetoaddress")) {
        const auto s = scriptForAddress(params.at(1).toString());
        if (!s)
            return RpcError{-5, QStringLiteral("Error: Invalid address")};
        return generate(params.at(0).toInt(1), *s);
    }
    if (method == QLatin1String("invalidateblock"))
        return invalidate(params.at(0).toString());
    if (method == QLatin1String("scantxoutset")) {
        std::variant<QJsonValue, RpcError> out = QJsonValue();
        scan(params, /*walkNow=*/true, [&out](const std::variant<QJsonValue, RpcError>& r) { out = r; });
        return out;
    }
    if (method == QLatin1String("getrawtransaction")) {
        const QString txid = params.at(0).toString();
        for (const MempoolEntry& e : std::as_const(m_mempool))
            if (e.txid == txid)
                return QJsonValue(txJson(e.tx, -1));
        for (const Block& b : std::as_const(m_chain))
            for (const btc::Transaction& tx : b.txs)
                if (tx.txid().hex() == txid) {
                    QJsonObject o = txJson(tx, b.height);
                    o.insert(QStringLiteral("blockhash"), b.hash);
                    o.insert(QStringLiteral("confirmations"), height() - b.height + 1);
                    return QJsonValue(o);
                }
        return RpcError{
            -5,
            QStringLiteral("No such mempool or blockchain transaction. Use gettransaction for wallet transactions.")};
    }
    if (method == QLatin1String("getrawmempool")) {
        QJsonArray ids;
        for (const MempoolEntry& e : std::as_const(m_mempool))
            ids.append(e.txid);
        return QJsonValue(ids);
    }
    if (method == QLatin1String("getmempoolinfo")) {
        qint64 bytes = 0;
        for (const MempoolEntry& e : std::as_const(m_mempool))
            bytes += e.tx.vsize();
        return QJsonValue(
            QJsonObject{{QStringLiteral("loaded"), true},
                        {QStringLiteral("size"), qint64(m_mempool.size())},
                        {QStringLiteral("bytes"), bytes},
                        {QStringLiteral("usage"), bytes * 4},
                        {QStringLiteral("maxmempool"), 300000000},
                        {QStringLiteral("mempoolminfee"), btcValue(m_options.policy.minRelayFeePerKvb)},
                        {QStringLiteral("minrelaytxfee"), btcValue(m_options.policy.minRelayFeePerKvb)},
                        {QStringLiteral("incrementalrelayfee"), btcValue(m_options.policy.incrementalFeePerKvb)}});
    }
    if (method == QLatin1String("getblockchaininfo"))
        return QJsonValue(QJsonObject{{QStringLiteral("chain"), m_options.chain},
                                      {QStringLiteral("blocks"), height()},
                                      {QStringLiteral("headers"), height()},
                                      {QStringLiteral("bestblockhash"), m_chain.last().hash},
                                      {QStringLiteral("time"), qint64(m_chain.last().time)},
                                      {QStringLiteral("mediantime"), qint64(m_chain.last().time)},
                                      {QStringLiteral("verificationprogress"), 1.0},
                                      {QStringLiteral("initialblockdownload"), false},
                                      {QStringLiteral("size_on_disk"), qint64(height()) * 300},
                                      {QStringLiteral("pruned"), false},
                                      {QStringLiteral("warnings"), QJsonArray()}});
    if (method == QLatin1String("getnetworkinfo"))
        return QJsonValue(QJsonObject{
            {QStringLiteral("version"), m_options.policy.version == 29 ? 290100 : m_options.policy.version * 10000},
            {QStringLiteral("subversion"),
             QStringLiteral("/Satoshi:%1(userwallet-double)/")
                 .arg(m_options.policy.version == 29 ? QStringLiteral("29.1.0")
                                                     : QStringLiteral("%1.0.0").arg(m_options.policy.version))},
            {QStringLiteral("connections"), 8},
            {QStringLiteral("connections_in"), 0},
            {QStringLiteral("connections_out"), 8},
            {QStringLiteral("networkactive"), true},
            {QStringLiteral("relayfee"), btcValue(m_options.policy.minRelayFeePerKvb)},
            {QStringLiteral("incrementalfee"), btcValue(m_options.policy.incrementalFeePerKvb)}});
    if (method == QLatin1String("checktransactions") || method == QLatin1String("stop")) {
        // checktransactions is the double's own: bitcoinjs-lib's verdict so far. stop (Core's)
        // asks for it too before the process exits (exit code 3 when a check failed).
        const QString failure = finishChecks();
        if (method == QLatin1String("stop"))
            Q_EMIT stopRequested(failure.isEmpty() ? 0 : 3);
        if (!failure.isEmpty())
            return RpcError{-1, failure};
        return method == QLatin1String("stop") ? QJsonValue(QStringLiteral("Bitcoin Core stopping"))
                                               : QJsonValue(QJsonObject{{QStringLiteral("checked"), m_checked}});
    }
    if (method == QLatin1String("listconflicts")) { // the double's own: what the tests assert on
        QJsonObject conflicts;
        const QMap<QString, QStringList> all = conflictingSubmissions();
        for (auto it = all.cbegin(); it != all.cend(); ++it)
            conflicts.insert(it.key(), QJsonArray::fromStringList(*it));
        return QJsonValue(QJsonObject{{QStringLiteral("conflicts"), conflicts},
                                      {QStringLiteral("replaced"), QJsonArray::fromStringList(m_replaced)}});
    }
    if (method == QLatin1String("getpeerinfo"))
        return QJsonValue(QJsonArray());
    if (method == QLatin1String("uptime"))
        return QJsonValue(QDateTime::currentSecsSinceEpoch() - m_startTime);
    return RpcError{-32601, QStringLiteral("Method not found")};
}

QHash<QByteArray, int> CoreDouble::opReturnCounts(bool includeMempool) const
{
    QHash<QByteArray, int> out;
    auto count = [&](const btc::Transaction& tx) {
        for (const btc::TxOut& o : tx.outputs)
            if (btc::script::isOpReturn(o.script))
                ++out[o.script.mid(2)];
    };
    for (const Block& b : m_chain)
        for (const btc::Transaction& tx : b.txs)
            count(tx);
    if (includeMempool)
        for (const MempoolEntry& e : m_mempool)
            count(e.tx);
    return out;
}

/// One client connection: what it sent and not yet served, and whether an answer is pending.
struct CoreDouble::Connection
{
    QByteArray buffer;
    bool waiting = false; ///< a scantxoutset start runs: the next requests wait for its answer
};

void CoreDouble::onConnection()
{
    while (QTcpSocket* socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        auto connection = std::make_shared<Connection>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, connection] {
            connection->buffer.append(socket->readAll());
            serve(socket, connection);
        });
    }
}

void CoreDouble::serve(QTcpSocket* socket, const std::shared_ptr<Connection>& connection)
{
    QByteArray* buffer = &connection->buffer;
    // Keep-alive: serve every complete request in the buffer, in order.
    while (!connection->waiting) {
        const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = buffer->left(headerEnd).split('\n');
        QByteArray auth;
        qsizetype length = 0;
        for (const QByteArray& l : lines) {
            const QByteArray lower = l.trimmed().toLower();
            if (lower.startsWith("content-length:"))
                length = lower.mid(15).trimmed().toLongLong();
            else if (lower.startsWith("authorization:"))
                auth = l.trimmed().mid(14).trimmed();
        }
        if (buffer->size() < headerEnd + 4 + length)
            return;
        const QByteArray body = buffer->mid(headerEnd + 4, length);
        buffer->remove(0, headerEnd + 4 + length);
        auto respond = [socket](int status, const QByteArray& payload) {
            const QByteArray reason = status == 200   ? "OK"
                                      : status == 401 ? "Unauthorized"
                                      : status == 404 ? "Not Found"
                                                      : "Internal Server Error";
            socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
                          "\r\nContent-Type: application/json\r\nContent-Length: " +
                          QByteArray::number(payload.size()) + "\r\n\r\n" + payload);
        };
        if (!m_options.cookie.isEmpty() && auth != "Basic " + m_options.cookie.toUtf8().toBase64()) {
            respond(401, QByteArray());
            continue;
        }
        const QJsonObject req = QJsonDocument::fromJson(body).object();
        const QJsonValue id = req.value(QStringLiteral("id"));
        auto answer = [respond, id](const std::variant<QJsonValue, RpcError>& result) {
            QJsonObject answer{{QStringLiteral("id"), id}};
            int status = 200;
            if (const auto* err = std::get_if<RpcError>(&result)) {
                answer.insert(QStringLiteral("result"), QJsonValue());
                answer.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), err->code},
                                                                   {QStringLiteral("message"), err->message}});
                status = err->code == -32601 ? 404 : 500; // Bitcoin Core's JSON-RPC 1.0 statuses
            } else {
                answer.insert(QStringLiteral("result"), std::get<QJsonValue>(result));
                answer.insert(QStringLiteral("error"), QJsonValue());
            }
            respond(status, QJsonDocument(answer).toJson(QJsonDocument::Compact));
        };
        const QString method = req.value(QStringLiteral("method")).toString();
        const QJsonArray params = req.value(QStringLiteral("params")).toArray();
        if (method != QLatin1String("scantxoutset")) {
            answer(call(method, params));
            continue;
        }
        // A scan answers when it ends; meanwhile other connections ask its status or abort it.
        ++m_requests;
        connection->waiting = true;
        scan(params, /*walkNow=*/false,
             [this, socket = QPointer<QTcpSocket>(socket), connection, answer](const auto& r) {
                 if (!socket) // the client went away; the scan ran to its end all the same, as Core's does
                     return;
                 answer(r);
                 connection->waiting = false;
                 QMetaObject::invokeMethod(
                     this,
                     [this, socket, connection] {
                         if (socket)
                             serve(socket, connection);
                     },
                     Qt::QueuedConnection);
             });
    }
}

} // namespace uw::test
