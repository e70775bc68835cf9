#include "models/RelayRuntime.h"

#include <QCoreApplication>

namespace uw::ui {

QString relayStateText(RelayConnection::State state)
{
    switch (state) {
    case RelayConnection::State::Connected:
        //: A relay's state: this device is connected to it.
        return QCoreApplication::translate("uw::ui::RelayRuntime", "connected");
    case RelayConnection::State::Connecting:
        //: A relay's state: the connection is being opened.
        return QCoreApplication::translate("uw::ui::RelayRuntime", "connecting…");
    case RelayConnection::State::WaitingToReconnect:
        //: A relay's state: the last attempt failed; another follows after a pause.
        return QCoreApplication::translate("uw::ui::RelayRuntime", "unreachable, retrying");
    case RelayConnection::State::Disconnected:
        //: A relay's state: not connected, and no attempt is planned.
        return QCoreApplication::translate("uw::ui::RelayRuntime", "disconnected");
    }
    return {};
}

RelayRuntime::RelayRuntime(const QStringList& relayUrls, QObject* parent)
    : QObject(parent), m_context(new QObject), m_pool(new RelayPool(relayUrls, m_context)), m_urls(relayUrls)
{
    m_thread.setObjectName(QStringLiteral("relay"));
    m_context->moveToThread(&m_thread);
    for (const QString& url : relayUrls)
        m_states.insert(url, {relayStateText(RelayConnection::State::Connecting), QString()});
    // Read on the relay thread (the pool's), remembered and announced on the GUI thread. The pool
    // goes before this runtime (see the destructor), so `this` outlives every call of the lambda.
    connect(m_pool, &RelayPool::relayStateChanged, m_pool,
            [this, pool = m_pool](const QString& url, RelayConnection::State s) {
                const QString text = relayStateText(s);
                const QString detail = s == RelayConnection::State::Connected ? QString() : pool->lastError(url);
                QMetaObject::invokeMethod(
                    this,
                    [this, url, text, detail] {
                        m_states.insert(url, {text, detail});
                        Q_EMIT relayStateChanged(url, text, detail);
                    },
                    Qt::QueuedConnection);
            });
    m_thread.start();
    call(m_pool, [](RelayPool* pool) { pool->start(); });
}

RelayRuntime::~RelayRuntime()
{
    // The pool and everything still parented to the context are deleted on the relay thread.
    QMetaObject::invokeMethod(
        m_context, [context = m_context] { delete context; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void RelayRuntime::adopt(QObject* object)
{
    Q_ASSERT(!object->parent() && object->thread() == thread());
    object->moveToThread(&m_thread);
}

} // namespace uw::ui
