#include "chain/ZmqNotifier.h"

#include <QSocketNotifier>
#include <algorithm>
#include <zmq.h>

namespace uw {

ZmqNotifier::ZmqNotifier(QObject* parent) : QObject(parent), m_context(zmq_ctx_new()) {}

ZmqNotifier::~ZmqNotifier()
{
    delete m_notifier;
    if (m_socket)
        zmq_close(m_socket);
    if (m_context)
        zmq_ctx_term(m_context);
}

Result<void> ZmqNotifier::subscribe(const QUrl& endpoint, const QByteArray& topic)
{
    auto fail = [&](const char* what) {
        return makeError(QStringLiteral("zmq"), QStringLiteral("ZMQ %1 (%2): %3")
                                                    .arg(QLatin1String(what), endpoint.toString(),
                                                         QString::fromLocal8Bit(zmq_strerror(zmq_errno()))));
    };
    if (!m_socket) {
        m_socket = zmq_socket(m_context, ZMQ_SUB);
        if (!m_socket)
            return fail("socket");
        const int zero = 0;
        zmq_setsockopt(m_socket, ZMQ_LINGER, &zero, sizeof zero);
        int fd = -1;
        size_t size = sizeof fd;
        if (zmq_getsockopt(m_socket, ZMQ_FD, &fd, &size) != 0)
            return fail("descriptor");
        m_notifier = new QSocketNotifier(fd, QSocketNotifier::Read);
        connect(m_notifier, &QSocketNotifier::activated, this, &ZmqNotifier::drain);
    }
    if (zmq_setsockopt(m_socket, ZMQ_SUBSCRIBE, topic.constData(), std::size_t(topic.size())) != 0)
        return fail("subscribe");
    if (zmq_connect(m_socket, endpoint.toString().toUtf8().constData()) != 0)
        return fail("connect");
    return {};
}

void ZmqNotifier::drain()
{
    // The descriptor is edge-triggered: read every pending message before going back to sleep.
    while (true) {
        int events = 0;
        size_t size = sizeof events;
        if (zmq_getsockopt(m_socket, ZMQ_EVENTS, &events, &size) != 0 || !(events & ZMQ_POLLIN))
            return;
        QList<QByteArray> parts;
        int more = 0;
        do {
            zmq_msg_t msg;
            zmq_msg_init(&msg);
            if (zmq_msg_recv(&msg, m_socket, ZMQ_DONTWAIT) < 0) {
                zmq_msg_close(&msg);
                return;
            }
            parts.append(QByteArray(static_cast<const char*>(zmq_msg_data(&msg)), qsizetype(zmq_msg_size(&msg))));
            zmq_msg_close(&msg);
            size = sizeof more;
            zmq_getsockopt(m_socket, ZMQ_RCVMORE, &more, &size);
        } while (more);
        // [topic, body, 4-byte sequence]
        if (parts.size() < 2)
            continue;
        if (parts[0] == "hashblock" && parts[1].size() == 32)
            Q_EMIT blockHash(QString::fromLatin1(parts[1].toHex()));
        else if (parts[0] == "rawtx")
            Q_EMIT rawTransaction(parts[1]);
    }
}

} // namespace uw
