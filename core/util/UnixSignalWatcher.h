#pragma once

#include <QObject>

class QSocketNotifier;

namespace uw {

/// Turns SIGTERM/SIGINT into a Qt signal through a self-pipe, so that shutdown
/// runs in the event loop (close sockets, finish the SQLite transaction) and not
/// inside an async signal handler. One per process (the daemons' main()).
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnixSignalWatcher)
public:
    explicit UnixSignalWatcher(QObject* parent = nullptr);

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace uw
