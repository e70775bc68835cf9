#pragma once

#include "status/ServiceChecker.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <cstdint>
#include <optional>

namespace uw {

/// The Bitcoin node as the dashboard sees it. A figure the node did not report stays empty
/// (Esplora, for one, has no peers and no verification progress).
struct NodeStatus
{
    bool configured = false;
    bool reachable = false;
    QString backend; ///< what the backend says it is (configured only)
    QString reason;  ///< why it is not configured or not reachable
    std::optional<QString> chain;
    std::optional<qint64> blocks;
    std::optional<qint64> headers;
    std::optional<double> verificationProgress; ///< 0 to 1
    std::optional<qint64> bestBlockTime;        ///< seconds since the epoch
    std::optional<qint64> mempoolCount;
    std::optional<qint64> mempoolBytes;
    std::optional<qint64> peers;
    std::optional<double> feeEstimateSatVb; ///< for confirmation within 6 blocks
};

/// How many UTXOs of the anchoring wallet are in one state, and their value.
struct UtxoStateFigures
{
    QString state; ///< unspent, locked, spent_unconfirmed, spent
    qint64 count = 0;
    qint64 value = 0; ///< satoshis
};

/// One bucket of the unspent UTXOs' value histogram.
struct ValueBucket
{
    qint64 belowSat = 0;
    qint64 count = 0;
};

/// The anchoring wallet's UTXO table. `available` is false with an empty `error` when the
/// profile has no anchoring wallet, and false with the reason when its database cannot be read.
struct UtxoPoolStatus
{
    bool available = false;
    QString error;
    QList<UtxoStateFigures> states; ///< unspent, locked, spent_unconfirmed, spent, in this order
    qint64 expiredLocks = 0;
    QList<ValueBucket> histogram;
};

/// One of the latest anchors.
struct AnchorEntry
{
    qint64 id = 0;
    QString digest;
    QString state; ///< queued, signed, broadcast, confirmed, failed
    QString txid;
    std::optional<int> confirmations; ///< once it is in a block the store knows
};

/// An anchor that failed, with the reason.
struct AnchorFailure
{
    qint64 id = 0;
    QString digest;
    QString reason;
};

/// The anchors: counts by state, the queue, the rate over the last hour, the latest and the failures.
/// `available` and `error` as in UtxoPoolStatus (both come from the same database).
struct AnchorsStatus
{
    bool available = false;
    QString error;
    QMap<QString, qint64> counts; ///< state -> anchors
    qint64 queueDepth = 0;        ///< queued and signed
    QList<int> perMinuteLastHour; ///< oldest minute first
    QList<AnchorEntry> latest;
    QList<AnchorFailure> failures;
};

/// This process.
struct ProcessStatus
{
    qint64 pid = 0;
    qint64 rssKb = -1;
    int threads = -1;
    qint64 databaseBytes = 0; ///< the anchoring database
};

/// Everything the dashboard shows, typed. JSON only leaves through toJson() (the export and
/// `userwallet-cli status --json`); toCsv() is the same content as rows.
struct StatusSnapshot
{
    std::int64_t generatedAt = 0; ///< seconds since the epoch
    NodeStatus node;
    UtxoPoolStatus utxos;
    AnchorsStatus anchors;
    QList<ServiceStatus> services; ///< in the order given
    ProcessStatus process;

    QJsonObject toJson() const;
    /// The snapshot as CSV rows: section,name,field,value.
    QByteArray toCsv() const;
};

} // namespace uw

Q_DECLARE_METATYPE(uw::StatusSnapshot)
