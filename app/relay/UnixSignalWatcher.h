#pragma once

#include <QObject>

class QSocketNotifier;

/// Turns SIGTERM/SIGINT into a Qt signal through a self-pipe, so that shutdown
/// runs in the event loop (close sockets, finish the SQLite transaction) and not
/// inside an async signal handler.
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
