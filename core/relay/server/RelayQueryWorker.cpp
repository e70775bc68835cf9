#include "relay/server/RelayQueryWorker.h"

#include "relay/server/RelayStore.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QSemaphore>
#include <QSet>
#include <optional>

namespace uw {

namespace {
Q_LOGGING_CATEGORY(lcRelayQueries, "userwallet.relay.queries", QtInfoMsg)
} // namespace

struct RelayQueryWorker::Reader
{
    std::optional<RelayStore> store; ///< opened on the worker thread, used there only
    bool failed = false;
};

RelayQueryWorker::RelayQueryWorker(QString databasePath, QObject* parent)
    : QObject(parent), m_path(std::move(databasePath)), m_reader(std::make_shared<Reader>())
{
    m_thread.setObjectName(QStringLiteral("relay-queries"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

RelayQueryWorker::~RelayQueryWorker()
{
    if (m_gate)
        m_gate->release(1 << 20); // a test that stops with queries held
    // The reader's connection closes on its own thread, then the thread stops.
    QMetaObject::invokeMethod(
        m_context, [r = m_reader] { r->store.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_context;
}

void RelayQueryWorker::run(QObject* receiver, QList<NostrFilter> filters, int defaultLimit, std::int64_t now, Done done)
{
    ++m_pending;
    QPointer<QObject> guard(receiver); // read on this thread only
    QMetaObject::invokeMethod(m_context, [this, r = m_reader, gate = m_gate, filters = std::move(filters), defaultLimit,
                                          now, guard, done = std::move(done)] {
        if (gate)
            gate->acquire();
        if (!r->store && !r->failed) {
            auto opened = RelayStore::open(m_path);
            if (opened) {
                r->store.emplace(std::move(*opened));
            } else {
                r->failed = true;
                qCWarning(lcRelayQueries) << "the query thread cannot read the store:" << opened.error().message;
            }
        }
        QList<QByteArray> events;
        if (r->store) {
            QSet<QByteArray> seen;
            for (const NostrFilter& f : filters)
                for (QByteArray& json : r->store->query(f, defaultLimit, now))
                    if (!seen.contains(json)) {
                        seen.insert(json);
                        events.append(std::move(json));
                    }
        }
        QMetaObject::invokeMethod(this, [this, guard, done, events = std::move(events)] {
            --m_pending;
            if (guard)
                done(events);
        });
    });
}

} // namespace uw
