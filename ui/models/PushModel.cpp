#include "models/PushModel.h"

#include "models/RelayRuntime.h"

namespace uw::ui {

PushModel::PushModel(RelayRuntime* runtime, std::shared_ptr<const KeyRing> keys, CoSignPolicy policy,
                     const Clock& clock, QObject* parent)
    : QObject(parent), m_runtime(runtime), m_clock(clock),
      m_listener(new LoginListener(runtime->pool(), std::move(keys), std::move(policy), clock))
{
    connect(m_listener, &LoginListener::loginArrived, this, [this](const PushedLogin& login, bool) {
        m_waiting.append(login);
        Q_EMIT arrived(login, m_waiting.size() == 1);
        Q_EMIT waitingChanged();
    });
    // Answered elsewhere (the same keys, before a restart or from the command line): dropped here too.
    connect(m_listener, &LoginListener::withdrawn, this, &PushModel::drop);
    m_runtime->adopt(m_listener);
}

PushModel::~PushModel()
{
    m_listener->deleteLater();
}

void PushModel::start()
{
    RelayRuntime::call(m_listener, [](LoginListener* l) { l->start(); });
}

void PushModel::setPolicy(CoSignPolicy policy)
{
    RelayRuntime::call(m_listener, [policy = std::move(policy)](LoginListener* l) { l->setPolicy(policy); });
}

void PushModel::setPairLabels(const QHash<QString, QString>& labels)
{
    RelayRuntime::call(m_listener, [labels](LoginListener* l) { l->setPairLabels(labels); });
}

QList<PushedLogin> PushModel::waiting() const
{
    QList<PushedLogin> out;
    const std::int64_t now = m_clock.nowSeconds();
    for (qsizetype i = 0; i < m_waiting.size(); ++i)
        if (i == 0 || m_waiting.at(i).challenge.message.expiresAt >= now)
            out.append(m_waiting.at(i));
    return out;
}

void PushModel::answerCurrent()
{
    if (m_waiting.isEmpty())
        return;
    dismiss(m_waiting.first().challenge.hash);
}

void PushModel::dismiss(const QString& hash)
{
    RelayRuntime::call(m_listener, [hash](LoginListener* l) { l->answer(hash); });
    drop(hash);
}

void PushModel::drop(const QString& hash)
{
    const auto it = std::find_if(m_waiting.cbegin(), m_waiting.cend(),
                                 [&](const PushedLogin& l) { return l.challenge.hash == hash; });
    if (it == m_waiting.cend())
        return;
    const bool wasCurrent = it == m_waiting.cbegin();
    m_waiting.erase(it);
    if (wasCurrent) {
        // Those that expired while waiting are gone by now: never offered for review.
        const std::int64_t now = m_clock.nowSeconds();
        m_waiting.removeIf([now](const PushedLogin& l) { return l.challenge.message.expiresAt < now; });
        Q_EMIT currentChanged();
    }
    Q_EMIT waitingChanged();
}

} // namespace uw::ui
