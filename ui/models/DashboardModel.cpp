#include "models/DashboardModel.h"

#include "anchor/AnchorRuntime.h"
#include "models/AnchorTableModel.h"
#include "models/Background.h"
#include "models/ServiceHealthModel.h"
#include "models/UtxoStateModel.h"

#include <QFile>
#include <QJsonDocument>
#include <QPointer>

namespace uw::ui {

DashboardModel::DashboardModel(StatusCollector::Config config, int refreshMs, const Clock& clock, QObject* parent)
    : QObject(parent), m_collector(new StatusCollector(std::move(config), clock)),
      m_services(new ServiceHealthModel(this)), m_latestAnchors(new AnchorTableModel(this)),
      m_utxoStates(new UtxoStateModel(this))
{
    m_thread.setObjectName(QStringLiteral("dashboard"));
    m_collector->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_collector, &QObject::deleteLater);
    connect(m_collector, &StatusCollector::snapshotReady, this, [this](const StatusSnapshot& s) {
        m_busy = false;
        m_snapshot = s;
        m_services->setServices(s.services);
        m_latestAnchors->setAnchors(s.anchors.latest);
        m_utxoStates->setStates(s.utxos.states);
        Q_EMIT snapshotChanged(s);
    });
    m_thread.start();
    m_timer.setInterval(refreshMs);
    connect(&m_timer, &QTimer::timeout, this, &DashboardModel::refresh);
}

DashboardModel::~DashboardModel()
{
    m_thread.quit();
    m_thread.wait();
}

void DashboardModel::refresh()
{
    if (m_busy)
        return;
    m_busy = true;
    AnchorRuntime* core = m_core ? m_core() : nullptr;
    if (!core) {
        collectWith({});
        return;
    }
    // The core answers on this thread; if it stops first (new settings, quit), its answer never
    // comes and the collection goes on without it. Whichever comes first counts, once.
    struct Pending
    {
        bool done = false;
        QMetaObject::Connection stopped;
    };
    auto pending = std::make_shared<Pending>();
    auto go = [self = QPointer<DashboardModel>(this), pending](const QJsonObject& figures) {
        if (pending->done)
            return;
        pending->done = true;
        QObject::disconnect(pending->stopped);
        if (self)
            self->collectWith(figures);
    };
    pending->stopped = connect(core, &QObject::destroyed, this, [go] { go({}); });
    core->snapshot(go);
}

void DashboardModel::collectWith(const QJsonObject& core)
{
    QMetaObject::invokeMethod(
        m_collector, [collector = m_collector, core] { collector->collect(core); }, Qt::QueuedConnection);
}

void DashboardModel::setActive(bool active)
{
    if (active) {
        refresh();
        m_timer.start();
    } else {
        m_timer.stop();
    }
}

void DashboardModel::exportTo(const QString& path, ExportFormat format)
{
    const QByteArray bytes =
        format == ExportFormat::Csv ? m_snapshot.toCsv() : QJsonDocument(m_snapshot.toJson()).toJson();
    // Written on a worker: the GUI thread does not wait on the disk.
    runInBackground(
        this,
        [path, bytes]() -> QString {
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.flush())
                //: Exporting the dashboard failed; %1 is the file, %2 the system's reason.
                return DashboardModel::tr("Cannot write %1: %2").arg(path, f.errorString());
            return QString();
        },
        [this, path](const QString& error) { Q_EMIT exportFinished(path, error); });
}

} // namespace uw::ui
