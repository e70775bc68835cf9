#include "anchor/Fanout.h"

#include "anchor/AnchorLog.h"
#include "anchor/AnchorTx.h"

namespace uw::fanout {

void split(AnchorStore& store, ChainBackend& backend, const btc::WalletKey& key, const Request& request,
           std::function<void(Result<Sent>)> done)
{
    auto picked = store.pickLockMaintenance(
        std::int64_t(request.outputs) * request.value, request.now, request.lockSeconds,
        [&](const Utxo& u) { return anchorTx::buildFanout(u, request.outputs, request.value, key, request.feeRate); });
    if (!picked)
        return done(picked.error());
    if (!*picked)
        return done(
            makeError(QStringLiteral("no_funds"),
                      QStringLiteral("No confirmed UTXO holds %1 × %2 sat.").arg(request.outputs).arg(request.value)));
    const Utxo input = (*picked)->utxo;
    const btc::Transaction tx = (*picked)->built.tx;
    const std::int64_t fee = (*picked)->built.fee;
    backend.sendRawTransaction(tx.serialize(), [&store, input, tx, fee, done = std::move(done)](Result<QString> sent) {
        if (!sent) {
            if (auto released = store.releaseMaintenanceLock(input.id); !released)
                qCWarning(lcAnchor) << "fan-out input" << input.id
                                    << "stays locked until its lock expires:" << released.error().message;
            return done(sent.error());
        }
        const QString txid = tx.txid().hex();
        QList<Utxo> created;
        for (int i = 0; i < tx.outputs.size(); ++i)
            created.append(
                Utxo{0, txid, std::uint32_t(i), tx.outputs[i].value, tx.outputs[i].script, std::nullopt, 1, {}, {}});
        if (auto recorded = store.recordMaintenanceSpend(input.id, txid, created); !recorded)
            // Its block will tell the chain follower (input spent, outputs ours) all the same.
            return done(
                makeError(recorded.error().code, QStringLiteral("The fan-out %1 was sent but could not be recorded: %2")
                                                     .arg(txid, recorded.error().message)));
        done(Sent{txid, tx, fee, input});
    });
}

} // namespace uw::fanout
