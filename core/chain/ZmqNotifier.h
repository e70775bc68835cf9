#pragma once

#include "util/Result.h"

#include <QObject>
#include <QUrl>

class QSocketNotifier;

namespace uw {

/// Bitcoin Core's ZMQ notifications (`-zmqpubhashblock`, `-zmqpubrawtx`) through libzmq: a SUB
/// socket whose file descriptor drives a QSocketNotifier, so nothing polls and nothing blocks.
class ZmqNotifier : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZmqNotifier)
public:
    explicit ZmqNotifier(QObject* parent = nullptr);
    ~ZmqNotifier() override;

    /// Subscribes to `topic` ("hashblock" or "rawtx") at `endpoint` (tcp://host:port).
    Result<void> subscribe(const QUrl& endpoint, const QByteArray& topic);

Q_SIGNALS:
    /// A new block's hash (display order, as RPC shows it).
    void blockHash(const QString& hash);
    /// A transaction that entered the mempool or a block (raw bytes).
    void rawTransaction(const QByteArray& raw);

private:
    void drain();
    void* m_context = nullptr;
    void* m_socket = nullptr;
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace uw
