#include "anchor/AnchorProofs.h"

#include "anchor/AnchorStore.h"
#include "anchor/Merkle.h"
#include "chain/ChainBackend.h"

#include <algorithm>

namespace uw {

namespace {

constexpr int kRoundsKept = 4;

QByteArray internalOrder(const QString& displayHex)
{
    QByteArray b = QByteArray::fromHex(displayHex.toLatin1());
    std::reverse(b.begin(), b.end());
    return b;
}

QString kindWord(ots::AttestationKind kind)
{
    switch (kind) {
    case ots::AttestationKind::Bitcoin:
        return QStringLiteral("bitcoin");
    case ots::AttestationKind::Signet:
        return QStringLiteral("signet");
    case ots::AttestationKind::Regtest:
        return QStringLiteral("regtest");
    case ots::AttestationKind::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace

void AnchorProofs::proof(const QString& digest, std::function<void(Result<QByteArray>)> done)
{
    const auto status = m_store->digestStatus(digest);
    if (!status)
        return done(makeError(QStringLiteral("not_found"),
                              QStringLiteral("The digest %1 was never given to this wallet.").arg(digest)));
    if (status->round == 0 || status->state != AnchorState::Confirmed || !status->height)
        return done(makeError(QStringLiteral("not_confirmed"),
                              QStringLiteral("The digest %1 is %2: its proof exists once its transaction is confirmed.")
                                  .arg(digest, status->round == 0 ? QStringLiteral("waiting for its round")
                                                                  : anchorStateToString(status->state))));
    const auto membership = m_store->membership(digest);
    if (!membership)
        return done(makeError(QStringLiteral("not_found"), QStringLiteral("The digest %1 has no round.").arg(digest)));
    const qint64 round = membership->round;
    const int leaf = membership->leaf;
    for (const auto& [id, proofs] : std::as_const(m_rounds))
        if (id == round)
            return done(proofs->proof(leaf));

    const auto anchor = m_store->anchor(round);
    const auto leaves = m_store->roundLeaves(round);
    if (!anchor || !leaves)
        return done(makeError(QStringLiteral("not_found"), QStringLiteral("The round %1 is missing.").arg(round)));
    auto tree = merkle::Tree::build(leaves->leaves);
    if (!tree)
        return done(tree.error());
    auto tx = btc::Transaction::deserialize(anchor->rawTx);
    if (!tx)
        return done(tx.error());
    const QByteArray txBytes = tx->serialize(false);
    const QString txid = anchor->txid;
    const int height = *status->height;
    const btc::Network network = m_network;
    std::weak_ptr<int> alive = m_alive;
    m_backend->block(status->blockHash, [this, alive, tree = *tree, txBytes, txid, height, network, round, leaf,
                                         done = std::move(done)](Result<ChainBlock> block) {
        if (alive.expired())
            return;
        if (!block)
            return done(block.error());
        QList<btc::Txid> txids;
        qsizetype index = -1;
        for (const ChainTx& t : std::as_const(block->txs)) {
            const auto id = btc::Txid::fromHex(t.txid);
            if (!id)
                return done(makeError(QStringLiteral("bad_answer"), QStringLiteral("The node sent a malformed txid.")));
            if (t.txid == txid)
                index = txids.size();
            txids.append(*id);
        }
        if (index < 0)
            return done(makeError(QStringLiteral("ots_tx_not_in_block"),
                                  QStringLiteral("The node's block %1 does not hold the transaction %2 (a reorg?).")
                                      .arg(block->hash, txid)));
        // The node names the header's root: a block whose transactions do not lead to it is refused.
        if (!block->merkleRoot.isEmpty() && merkle::blockRoot(txids) != internalOrder(block->merkleRoot))
            return done(
                makeError(QStringLiteral("bad_answer"),
                          QStringLiteral("The node's block %1 does not match its Merkle root.").arg(block->hash)));
        auto proofs = ots::RoundProofs::create(tree, txBytes, txids, index, std::uint32_t(height), network);
        if (!proofs)
            return done(proofs.error());
        auto shared = std::make_shared<const ots::RoundProofs>(std::move(*proofs));
        m_rounds.append({round, shared});
        while (m_rounds.size() > kRoundsKept)
            m_rounds.removeFirst();
        done(shared->proof(leaf));
    });
}

void AnchorProofs::verify(const QByteArray& proofBytes, const QString& expectedDigest, ChainBackend* backend,
                          btc::Network network, std::function<void(Result<Verified>)> done)
{
    auto proof = ots::parse(proofBytes);
    if (!proof)
        return done(proof.error());
    auto replayed = ots::replay(*proof);
    if (!replayed)
        return done(replayed.error());
    const QString digest = QString::fromLatin1(replayed->digest.toHex());
    if (!expectedDigest.isEmpty() && expectedDigest != digest)
        return done(
            makeError(QStringLiteral("ots_other_digest"),
                      QStringLiteral("This proof is for the digest %1, not for %2.").arg(digest, expectedDigest)));
    const ots::AttestationKind expected = ots::kindOf(ots::attestationTag(network));
    if (replayed->kind != expected)
        return done(makeError(QStringLiteral("ots_other_network"),
                              QStringLiteral("This proof attests a %1 block; the wallet's node is on %2.")
                                  .arg(kindWord(replayed->kind), kindWord(expected))));
    const int height = int(replayed->height);
    const QByteArray commitment = replayed->commitment;
    backend->blockHashAt(height, [backend, height, commitment, digest, network,
                                  done = std::move(done)](Result<QString> hash) mutable {
        if (!hash)
            return done(hash.error());
        backend->block(*hash, [height, commitment, digest, network, done = std::move(done)](Result<ChainBlock> block) {
            if (!block)
                return done(block.error());
            if (block->merkleRoot.isEmpty() || internalOrder(block->merkleRoot) != commitment)
                return done(makeError(QStringLiteral("ots_not_in_block"),
                                      QStringLiteral("The proof does not lead to the Merkle root of block %1 (%2).")
                                          .arg(height)
                                          .arg(block->hash)));
            done(Verified{digest, height, block->hash, kindWord(ots::kindOf(ots::attestationTag(network)))});
        });
    });
}

} // namespace uw
