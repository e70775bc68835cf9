#pragma once

#include "devices/MemberChain.h"
#include "relay/PublishTracker.h"
#include "relay/RelayPool.h"
#include "util/Clock.h"

#include <QObject>
#include <functional>
#include <memory>

namespace uw {

class MemberFetch;

/// Changes this device's member document over the relays (a device's new label): first reads the
/// versions the relays hold after this device's own (another device may have published one), so
/// that the change follows the latest and does not fork the chain; then signs the next version
/// with this device's pair and publishes it. Without a change it only brings the local copy up to
/// date. Writing the result to the profile is the caller's (on a worker, for the GUI).
///
/// Lives on the pool's thread; update() returns at once, then updated() or failed().
class MemberUpdater : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemberUpdater)
public:
    using Change = std::function<Result<void>(MemberDocument&)>;

    MemberUpdater(RelayPool* pool, std::shared_ptr<const KeyRing> keys, const Clock& clock, QObject* parent = nullptr);
    ~MemberUpdater() override;

    /// From `local` (this device's copy), the latest version the relays hold after it, then
    /// `change` on top of that, published. A null `change` only reads.
    void update(const LocalMember& local, Change change, int fetchTimeoutMs);

Q_SIGNALS:
    /// What is under way, for a person: reading the relays, publishing.
    void progress(const QString& step);
    /// `result` is the new local copy (the same as the one given when nothing changed);
    /// `perRelay` says which relay accepted what was published (empty when nothing was).
    void updated(const uw::LocalMember& result, const QMap<QString, bool>& perRelay);
    void failed(const QString& reason);

private:
    void onFetched(const QList<NostrEvent>& events);
    void fail(const QString& reason);

    RelayPool* m_pool;
    std::shared_ptr<const KeyRing> m_keys;
    const Clock& m_clock;
    MemberFetch* m_fetch = nullptr;
    LocalMember m_local;
    Change m_change;
    MemberUpdate m_update;
    PublishTracker m_publishing;
    bool m_publishingNow = false;
    bool m_done = false;
};

} // namespace uw

Q_DECLARE_METATYPE(uw::LocalMember)
