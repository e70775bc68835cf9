#pragma once

#include "identity/DeviceAct.h"
#include "relay/NostrEvent.h"
#include "relay/RelayPool.h"
#include "util/Clock.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace uw {

/// The latest act of each device of a member, from what the relays hold and from what they bring
/// while the watch runs: one subscription `{"authors":KEYS,"kinds":[9240…9244],"limit":500}`.
/// The pool hands over only events whose id and signature it verified and that match the filter;
/// here an event counts only when its author is one of the watched keys, its kind one of ours, and
/// its time not more than kMaxFutureSeconds ahead of this clock (a device cannot make itself look
/// active for ever). Relays order and cut the stored events as they like: a relay that withholds
/// the latest act only makes an older one show.
///
/// Lives on the pool's thread; watch() returns at once, then seen() and loaded().
class DeviceActivityWatch : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceActivityWatch)
public:
    /// The stored events asked for, newest first (the project relay's largest limit).
    static constexpr int kLimit = 500;
    /// The project relay's own tolerance for a clock ahead (RelayLimits::maxFutureSeconds).
    static constexpr std::int64_t kMaxFutureSeconds = 15 * 60;

    DeviceActivityWatch(RelayPool* pool, const Clock& clock, QObject* parent = nullptr);
    ~DeviceActivityWatch() override;

    /// Watches `pubkeys` (at most NostrFilter's 500 authors), replacing the watch under way. The
    /// stored events come first: loaded() follows once every relay sent them, or after
    /// `loadTimeoutMs`; live events keep coming until stop().
    void watch(const QStringList& pubkeys, int loadTimeoutMs);
    void stop();
    /// The latest act seen for each watched key.
    const QHash<QString, DeviceAct>& latest() const { return m_latest; }
    /// Keeps `act` only if it is later than the one held for its key; true when it was kept.
    static bool keepLatest(QHash<QString, DeviceAct>& latest, const DeviceAct& act);

Q_SIGNALS:
    /// Acts later than those known for their keys: the stored ones at once when they are loaded,
    /// then each live one as it comes.
    void seen(const QList<uw::DeviceAct>& acts);
    /// The stored events are in (`answered` of `relays` relays sent them all); `setAside`: events
    /// that did not count (another author, another kind, a time in the future).
    void loaded(int answered, int relays, int setAside);

private:
    void onEvent(const NostrEvent& event);
    void finishLoading();

    RelayPool* m_pool;
    const Clock& m_clock;
    QString m_subId;
    QSet<QString> m_keys;
    QHash<QString, DeviceAct> m_latest;
    QList<DeviceAct> m_pending; ///< acts kept while loading, emitted together
    QSet<QString> m_answered;
    QTimer m_loadTimeout{this};
    int m_setAside = 0;
    bool m_loading = false;
};

} // namespace uw
