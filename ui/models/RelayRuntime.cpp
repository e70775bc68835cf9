#include "models/RelayRuntime.h"

#include <QCoreApplication>

namespace uw::ui {

QString relayStateText(RelayConnection::State state)
{
    switch (state) {
    case RelayConnection::State::Connected:
        return QCoreApplication::translate("uw::ui::RelayRuntime", "connected");
    case RelayConnection::State::Connecting:
        return QCoreApplication::translate("uw::ui::RelayRuntime", "connecting…");
    case RelayConnection::State::WaitingToReconnect:
        return QCoreApplication::translate("uw::ui::RelayRuntime", "unreachable, retrying");
    case RelayConnection::State::Disconnected:
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
    // Read on the relay thread (the pool's), remembered and announced on the GUI thread.
    connect(m_pool, &RelayPool::relayStateChanged, m_pool, [this](const QString& url, RelayConnection::State s) {
        const QString text = relayStateText(s);
        const QString detail = s == RelayConnection::State::Connected ? QString() : m_pool->lastError(url);
        QMetaObject::invokeMethod(this, [this, url, text, detail] {
            m_states.insert(url, {text, detail});
            Q_EMIT relayStateChanged(url, text, detail);
        });
    });
    m_thread.start();
    run([this] { m_pool->start(); });
}

RelayRuntime::~RelayRuntime()
{
    // Everything created on the relay thread is a child of the context: delete it there.
    QMetaObject::invokeMethod(
        m_context, [this] { delete m_context; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void RelayRuntime::run(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
}

} // namespace uw::ui
