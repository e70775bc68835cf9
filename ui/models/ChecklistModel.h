#pragma once

#include "identity/MemberDocument.h"

#include <QObject>

namespace uw::ui {

class BackupModel;
class RelayRuntime;

/// The first run's checklist (#14), live: how many relays this device reaches (the relay
/// thread's reports; retryRelays() tries the others at once), whether the member needs more of
/// its devices paired to log in, whether a backup of this profile was made. It reads what the
/// GUI thread already holds and answers through changed(): it never waits.
class ChecklistModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChecklistModel)
public:
    ChecklistModel(RelayRuntime* runtime, BackupModel* backup, QObject* parent = nullptr);

    int relayCount() const;
    int relaysReachable() const;
    /// A connection to a relay not reached yet is being opened.
    bool relaysChecking() const;
    void retryRelays();

    /// The member as this device knows it now (after a pairing, with one device more).
    void setMember(const MemberDocument& member);
    /// How many of the member's devices sign each login (its cardinalite_minimale).
    int devicesRequired() const { return m_required; }
    int devicesPaired() const { return m_paired; }

    /// A backup of this profile was exported, or the profile was restored from one.
    bool backupMade() const { return m_backupMade; }

Q_SIGNALS:
    void changed();

private:
    RelayRuntime* m_runtime;
    int m_required = 1;
    int m_paired = 0;
    bool m_backupMade = false;
};

} // namespace uw::ui
