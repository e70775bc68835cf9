#pragma once

#include "anchor/Ots.h"
#include "bitcoin/WalletKey.h"
#include "util/Result.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <functional>
#include <memory>

namespace uw {

class AnchorStore;
class ChainBackend;

/// The `.ots` proofs of confirmed digests, built from the store (the round's leaves, the signed
/// transaction) and the node (the block's transactions), and their check against a node. The
/// part a round's digests share is built once per round and kept for the last few rounds, so
/// that serving every proof of a large round costs one path each. One thread (the store's).
class AnchorProofs
{
public:
    AnchorProofs(const AnchorStore* store, ChainBackend* backend, btc::Network network)
        : m_store(store), m_backend(backend), m_network(network)
    {}

    /// The proof of `digest` (64 lowercase hex). Errors: not_found (never accepted), not_confirmed
    /// (queued, in an open round, broadcast...), the node's errors, and ots_* / merkle_* when what
    /// the store and the node hold does not link up (a node on another chain...). `done` is
    /// called once, from this thread's event loop or at once.
    void proof(const QString& digest, std::function<void(Result<QByteArray>)> done);

    /// What verify() found.
    struct Verified
    {
        QString digest;    ///< hex
        int height = 0;    ///< of the block the proof commits to
        QString blockHash; ///< its hash (display hex)
        QString network;   ///< the attestation's kind ("bitcoin", "signet", "regtest")
    };
    /// Checks an untrusted `.ots` file: it parses strictly, is for `expectedDigest` when one is
    /// given (hex), attests a block of `network`, and its operations lead the digest to the
    /// Merkle root of the block the node has at the attested height. Errors: the ots_* codes of
    /// ots::parse, ots_other_digest, ots_other_network, ots_not_in_block (the root differs), and
    /// the node's errors.
    static void verify(const QByteArray& proofBytes, const QString& expectedDigest, ChainBackend* backend,
                       btc::Network network, std::function<void(Result<Verified>)> done);

private:
    const AnchorStore* m_store;
    ChainBackend* m_backend;
    btc::Network m_network;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0); ///< answers after destruction are dropped
    /// The shared part of recent rounds' proofs, newest last (a few rounds at most).
    QList<std::pair<qint64, std::shared_ptr<const ots::RoundProofs>>> m_rounds;
};

} // namespace uw
