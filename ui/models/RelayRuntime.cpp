#include "models/RelayRuntime.h"

#include <QCoreApplication>

namespace uw::ui {

QString relayStateText(RelayConnection::State state)
{
    switch (state) {
    case RelayConnection::State::Connected: return QCoreApplication::translate("uw::ui::RelayRuntime", "connected");
    case RelayConnection::State::Connecting: return QCoreApplication::translate("uw::ui::RelayRuntime", "connecting…");
    case RelayConnection::State::WaitingToReconnect: return QCoreApplication::translate("uw::ui::RelayRuntime", "unreachable, retrying");
    case RelayConnection::State::Disconnected: return QCoreApplication::translate("uw::ui::RelayRuntime", "disconnected");
    }
    return {};
}

RelayRuntime::RelayRuntime(const QStringList& relayUrls, QObject* parent)
    : QObject(parent), m_context(new QObject), m_pool(new RelayPool(relayUrls, m_context)), m_urls(relayUrls)
{
    m_thread.setObjectName(QStringLiteral("relay"));
    m_context->moveToThread(&m_thread);
    connect(m_pool, &RelayPool::relayStateChanged, this, [this](const QString& url, RelayConnection::State s) {
        Q_EMIT relayStateChanged(url, relayStateText(s), s == RelayConnection::State::Connected ? QString() : m_pool->lastError(url));
    });
    m_thread.start();
    run([this] { m_pool->start(); });
}

RelayRuntime::~RelayRuntime()
{
    // Everything created on the relay thread is a child of the context: delete it there.
    QMetaObject::invokeMethod(m_context, [this] { delete m_context; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void RelayRuntime::run(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
}

} // namespace uw::ui
