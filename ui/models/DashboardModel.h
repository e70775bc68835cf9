#pragma once

#include "status/StatusCollector.h"

#include <QThread>
#include <QTimer>
#include <functional>

namespace uw {
class AnchorRuntime;
}

namespace uw::ui {

class AnchorTableModel;
class ServiceHealthModel;
class UtxoStateModel;

/// The dashboard's data: a StatusCollector on its own thread, refreshed on an interval; each
/// snapshot reaches the GUI as a queued signal and fills the item models below. The page never
/// blocks.
class DashboardModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardModel)
public:
    enum class ExportFormat
    {
        Json,
        Csv
    };

    DashboardModel(StatusCollector::Config config, int refreshMs, const Clock& clock, QObject* parent = nullptr);
    ~DashboardModel() override;

    void refresh();
    void setActive(bool active); ///< refresh only while the page is shown
    /// Where the running anchoring core is (asked at each refresh; null while none runs). While
    /// one runs, its own figures (AnchorRuntime::snapshot) are shown: the dashboard never opens
    /// the anchor database for writing, and reads the rest of it read-only.
    void setAnchoringCore(std::function<AnchorRuntime*()> core) { m_core = std::move(core); }
    const StatusSnapshot& snapshot() const { return m_snapshot; }
    /// Writes the last snapshot to `path` on a worker; exportFinished() answers.
    void exportTo(const QString& path, ExportFormat format);

    ServiceHealthModel* services() const { return m_services; }
    AnchorTableModel* latestAnchors() const { return m_latestAnchors; }
    UtxoStateModel* utxoStates() const { return m_utxoStates; }

Q_SIGNALS:
    void snapshotChanged(const uw::StatusSnapshot& snapshot);
    /// `error` is empty on success.
    void exportFinished(const QString& path, const QString& error);

private:
    void collectWith(const QJsonObject& core);
    QThread m_thread;
    StatusCollector* m_collector; ///< lives on m_thread
    QTimer m_timer{this};
    StatusSnapshot m_snapshot;
    ServiceHealthModel* m_services;
    AnchorTableModel* m_latestAnchors;
    UtxoStateModel* m_utxoStates;
    bool m_busy = false;
    std::function<AnchorRuntime*()> m_core;
};

} // namespace uw::ui
