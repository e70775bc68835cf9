#pragma once

#include "status/StatusCollector.h"

#include <QJsonObject>
#include <QThread>
#include <QTimer>

namespace uw::ui {

/// The dashboard's data: a StatusCollector on its own thread, refreshed on an
/// interval; each snapshot reaches the GUI as a queued signal. The page never blocks.
class DashboardModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardModel)
public:
    DashboardModel(StatusCollector::Config config, int refreshMs, QObject* parent = nullptr);
    ~DashboardModel() override;

    void refresh();
    void setActive(bool active); ///< refresh only while the page is shown
    QJsonObject snapshot() const { return m_snapshot; }

Q_SIGNALS:
    void snapshotChanged(const QJsonObject& snapshot);

private:
    QThread m_thread;
    StatusCollector* m_collector;
    QTimer m_timer{this};
    QJsonObject m_snapshot;
    bool m_busy = false;
};

} // namespace uw::ui
