#pragma once

#include "chain/BackendConfig.h"
#include "status/ServiceChecker.h"
#include "status/StatusSnapshot.h"
#include "util/Clock.h"

namespace uw {

class ChainBackend;

/// Gathers what the dashboard shows into one typed snapshot: the node, the UTXO pool,
/// the anchors, the services of the node and this process. Owns its SQLite connection and
/// network objects: create and use it on one thread (the dashboard's worker, or the CLI's).
class StatusCollector : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusCollector)
public:
    struct Config
    {
        QString anchorDatabase; ///< may not exist yet
        BackendConfig backend;
        QList<ServiceSpec> services;
        int timeoutMs = 3000;
    };

    StatusCollector(Config config, const Clock& clock, QObject* parent = nullptr);
    ~StatusCollector() override;

    /// Starts a collection; snapshotReady() follows (every part has its own timeout). `core` is
    /// the running anchoring core's own figures (AnchorRuntime::snapshot(): anchors and UTXOs by
    /// state, the tip), empty when none runs. The anchor database is only ever read, never
    /// migrated or written (AnchorStoreReader): its writer is the anchoring core.
    void collect(const QJsonObject& core = {});

Q_SIGNALS:
    void snapshotReady(const uw::StatusSnapshot& snapshot);

private:
    void partDone();
    void readStore(const QJsonObject& core);
    static ProcessStatus processFigures();
    static NodeStatus nodeFigures(const QJsonObject& info);

    Config m_config;
    const Clock& m_clock;
    ChainBackend* m_backend; ///< a child: moves with the collector to its thread (may be null)
    ServiceChecker* m_checker;
    StatusSnapshot m_snapshot;
    int m_pending = 0;
};

} // namespace uw
