#include "models/DashboardModel.h"

namespace uw::ui {

DashboardModel::DashboardModel(StatusCollector::Config config, int refreshMs, QObject* parent)
    : QObject(parent), m_collector(new StatusCollector(std::move(config), SystemClock::instance()))
{
    m_thread.setObjectName(QStringLiteral("dashboard"));
    m_collector->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_collector, &QObject::deleteLater);
    connect(m_collector, &StatusCollector::snapshotReady, this, [this](const QJsonObject& s) {
        m_busy = false;
        m_snapshot = s;
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
    QMetaObject::invokeMethod(m_collector, &StatusCollector::collect, Qt::QueuedConnection);
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

} // namespace uw::ui
