#include "models/ChecklistModel.h"

#include "models/BackupModel.h"
#include "models/RelayRuntime.h"

namespace uw::ui {

namespace {

int countInState(const RelayRuntime* runtime, RelayConnection::State state)
{
    const QString wanted = relayStateText(state);
    const auto states = runtime->states();
    int n = 0;
    for (const QString& url : runtime->relayUrls())
        n += states.value(url).first == wanted ? 1 : 0;
    return n;
}

} // namespace

ChecklistModel::ChecklistModel(RelayRuntime* runtime, BackupModel* backup, QObject* parent)
    : QObject(parent), m_runtime(runtime)
{
    connect(runtime, &RelayRuntime::relayStateChanged, this, &ChecklistModel::changed);
    auto made = [this] {
        m_backupMade = true;
        Q_EMIT changed();
    };
    connect(backup, &BackupModel::exported, this, made);
    connect(backup, &BackupModel::restored, this, made); // the file it came from is a backup of it
}

int ChecklistModel::relayCount() const
{
    return int(m_runtime->relayUrls().size());
}

int ChecklistModel::relaysReachable() const
{
    return countInState(m_runtime, RelayConnection::State::Connected);
}

bool ChecklistModel::relaysChecking() const
{
    return countInState(m_runtime, RelayConnection::State::Connecting) > 0;
}

void ChecklistModel::retryRelays()
{
    m_runtime->reconnectNow();
}

void ChecklistModel::setMember(const MemberDocument& member)
{
    m_required = member.cardinaliteMinimale;
    m_paired = int(member.pairs.size());
    Q_EMIT changed();
}

} // namespace uw::ui
