#include "models/DeviceListModel.h"

#include "devices/DeviceActivity.h"
#include "devices/MemberChain.h"
#include "devices/Pairing.h"
#include "identity/WalletStore.h"
#include "models/Background.h"
#include "models/PairingModel.h"
#include "models/RelayRuntime.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QLoggingCategory>

namespace uw::ui {

namespace {

Q_LOGGING_CATEGORY(lcDevices, "userwallet.devices", QtInfoMsg)

/// "2 min ago" is redrawn this often.
constexpr int kTickMs = 30'000;

} // namespace

DeviceListModel::DeviceListModel(QObject* parent)
    : RowTableModel(
          {
              //: Column title: a device (pair) of the member, by its label.
              tr("Device"),
              //: Column title: the short fingerprint of a device's key, as shown while pairing.
              tr("Key fingerprint"),
              //: Column title: when the device was last seen acting (signing, logging in…).
              tr("Last activity"),
          },
          parent)
{
    // The main window builds its pairing model first, beside this one.
    if (parent)
        if (auto* pairing = parent->findChild<PairingModel*>(QString(), Qt::FindDirectChildrenOnly))
            setPairingModel(pairing);
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &DeviceListModel::activityChanged);
}

DeviceListModel::~DeviceListModel()
{
    if (m_watch)
        m_watch->deleteLater(); // on the relay thread, which the runtime stops after this model
}

void DeviceListModel::setPairingModel(PairingModel* pairing)
{
    if (m_pairing)
        disconnect(m_pairing, nullptr, this, nullptr);
    m_pairing = pairing;
    if (!pairing)
        return;
    connect(pairing, &PairingModel::renameProgress, this, [this](const QString& step) {
        if (m_renaming)
            Q_EMIT renameProgress(step);
    });
    connect(pairing, &PairingModel::renameFailed, this, [this](const QString& reason) {
        if (!m_renaming)
            return;
        m_renaming = false;
        Q_EMIT renameFailed(reason);
    });
    connect(pairing, &PairingModel::renamed, this, [this](const MemberDocument& doc) {
        if (!m_renaming)
            return;
        m_renaming = false;
        setMember(doc, m_keys);
        Q_EMIT renamed(localLabel(), doc.version);
    });
    connect(pairing, &PairingModel::removeProgress, this, [this](const QString& step) {
        if (m_removing)
            Q_EMIT removeProgress(step);
    });
    connect(pairing, &PairingModel::removeFailed, this, [this](const QString& reason) {
        if (!m_removing)
            return;
        m_removing = false;
        Q_EMIT removeFailed(reason);
    });
    connect(pairing, &PairingModel::removed, this, [this](const MemberDocument& doc, const QString& pair) {
        if (!m_removing)
            return;
        m_removing = false;
        const QString name = deviceName(pair);
        setMember(doc, m_keys);
        Q_EMIT removed(name, doc.version);
    });
    // A pairing changes the document too: the list follows (the main window also sets it).
    connect(pairing, &PairingModel::paired, this, [this](const MemberDocument& doc) {
        if (m_keys && doc.id == m_member.id)
            setMember(doc, m_keys);
    });
}

void DeviceListModel::setMember(const MemberDocument& member, std::shared_ptr<const KeyRing> keys)
{
    // The window's copy may be older than one this model received (a rename): keep the later one.
    if (member.id == m_member.id && member.version < m_member.version && keys == m_keys)
        return;
    beginResetModel();
    m_member = member;
    m_keys = std::move(keys);
    m_rows.clear();
    for (const PairRef& p : member.pairs)
        m_rows.append(Row{p, member.label(p.pair), m_keys && m_keys->contains(p.pair)});
    endResetModel();
    QStringList keysNow;
    for (const Row& r : std::as_const(m_rows))
        keysNow << r.pair.pubkey;
    keysNow.sort();
    if (keysNow != m_watchedKeys)
        watchActivity();
}

void DeviceListModel::setActivitySources(RelayRuntime* runtime, QString walletDatabase, const Clock& clock)
{
    m_runtime = runtime;
    m_walletDatabase = std::move(walletDatabase);
    m_clock = &clock;
    m_tick.start();
    watchActivity();
}

void DeviceListModel::watchActivity()
{
    if (!m_runtime)
        return;
    QStringList keys, localKeys;
    for (const Row& r : std::as_const(m_rows)) {
        keys << r.pair.pubkey;
        if (r.local)
            localKeys << r.pair.pubkey;
    }
    keys.sort();
    m_watchedKeys = keys;
    const quint64 generation = ++m_watchGeneration;
    if (m_watch)
        m_watch->deleteLater();
    m_watch = nullptr;
    m_activityLoaded = false;
    activityChanged();
    if (keys.isEmpty())
        return;

    // What this profile recorded before: the acts it saw, and its own latest login.
    runInBackground(
        this,
        [db = m_walletDatabase, localKeys] {
            QList<DeviceAct> acts;
            auto store = WalletStore::open(db);
            if (!store)
                return acts;
            acts = store->activity();
            const QList<LoginRecord> last = store->history(1);
            if (!last.isEmpty())
                for (const QString& key : localKeys)
                    acts.append(DeviceAct{key, last.first().at, kinds::LoginMessage, QString()});
            return acts;
        },
        [this, generation](const QList<DeviceAct>& acts) {
            if (generation == m_watchGeneration && mergeActs(acts))
                activityChanged();
        });

    // What the relays hold and bring, on the relay thread.
    m_watch = new DeviceActivityWatch(m_runtime->pool(), *m_clock);
    connect(m_watch, &DeviceActivityWatch::seen, this, [this, generation](const QList<DeviceAct>& acts) {
        if (generation != m_watchGeneration || !mergeActs(acts))
            return;
        activityChanged();
        runInBackground(
            this,
            [db = m_walletDatabase, acts]() -> QString {
                auto store = WalletStore::open(db);
                if (!store)
                    return store.error().message;
                auto recorded = store->recordActivity(acts);
                return recorded ? QString() : recorded.error().message;
            },
            [](const QString& error) {
                // The column still shows it; only the next start may not remember it.
                if (!error.isEmpty())
                    qCWarning(lcDevices).noquote() << error;
            });
    });
    connect(m_watch, &DeviceActivityWatch::loaded, this, [this, generation](int, int, int) {
        if (generation != m_watchGeneration)
            return;
        m_activityLoaded = true;
        activityChanged();
        Q_EMIT activityLoaded();
    });
    m_runtime->adopt(m_watch);
    RelayRuntime::call(m_watch, [keys](DeviceActivityWatch* watch) { watch->watch(keys, kActivityLoadTimeoutMs); });
}

bool DeviceListModel::mergeActs(const QList<DeviceAct>& acts)
{
    bool changed = false;
    for (const DeviceAct& a : acts)
        changed = DeviceActivityWatch::keepLatest(m_acts, a) || changed;
    return changed;
}

void DeviceListModel::activityChanged()
{
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, LastActivity), index(int(m_rows.size()) - 1, LastActivity));
}

QString DeviceListModel::localLabel() const
{
    for (const Row& r : m_rows)
        if (r.local)
            return r.label;
    return {};
}

bool DeviceListModel::canRename() const
{
    return m_pairing && std::any_of(m_rows.cbegin(), m_rows.cend(), [](const Row& r) { return r.local; });
}

void DeviceListModel::renameThisDevice(const QString& label)
{
    if (!canRename() || isChanging()) {
        //: Renaming this device is not possible here (no identity unlocked, or no relay runtime).
        Q_EMIT renameFailed(tr("This device cannot be renamed here."));
        return;
    }
    m_renaming = true;
    m_pairing->rename(m_keys, label);
}

QString DeviceListModel::pairAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].pair.pair : QString();
}

QString DeviceListModel::deviceName(const QString& pair) const
{
    const QString label = m_member.label(pair);
    return label.isEmpty() ? pair : label;
}

QString DeviceListModel::fingerprint(const QString& pair) const
{
    for (const Row& r : m_rows)
        if (r.pair.pair == pair)
            return pairing::fingerprint(r.pair.pubkey);
    return {};
}

QString DeviceListModel::removalProblem(const QString& pair) const
{
    if (!m_pairing || !m_keys)
        //: Removing a device is not possible here (no identity unlocked, or no relay runtime).
        return tr("Devices cannot be removed here.");
    if (isChanging())
        //: The Remove button waits: a rename or a removal is being published.
        return tr("Another change of the member document is under way.");
    auto ok = memberchain::checkRemoval(m_member, memberchain::heldPairs(*m_keys), pair);
    if (ok)
        return {};
    const QString name = deviceName(pair);
    const QString code = ok.error().code;
    if (code == QLatin1String("last_device"))
        //: %1 a device's name. Removing it is refused: no device would be left.
        return tr("“%1” is the member's only device: without it nobody could sign. Pair another device first.")
            .arg(name);
    if (code == QLatin1String("removing_this_device"))
        //: %1 this device's name. A device is removed from another device, never from itself.
        return tr("“%1” is this device. A device does not remove itself: remove it from another of the member's "
                  "devices, on its Devices page.")
            .arg(name);
    if (code == QLatin1String("would_lock_out"))
        //: %1 a device's name; %2 how many devices must sign each login; %3 how many would be left.
        return tr("Each login needs %2 devices; without “%1” only %3 would be left and no login could succeed. "
                  "Pair another device first.")
            .arg(name, QString::number(m_member.cardinaliteMinimale), QString::number(m_member.pairs.size() - 1));
    return ok.error().message;
}

void DeviceListModel::removeDevice(const QString& pair)
{
    if (const QString problem = removalProblem(pair); !problem.isEmpty()) {
        Q_EMIT removeFailed(problem);
        return;
    }
    m_removing = true;
    m_pairing->removeDevice(m_keys, pair);
}

QString DeviceListModel::activityText(const Row& r) const
{
    const auto it = m_acts.constFind(r.pair.pubkey);
    if (it == m_acts.cend()) {
        if (!m_runtime)
            return {};
        //: Last activity of a device: nothing was found on the relays nor in this profile's records.
        return m_activityLoaded ? tr("no activity seen")
                                //: Last activity of a device, while the relays are asked.
                                : tr("checking the relays…");
    }
    // A device's clock may run a little ahead: never "in 2 minutes".
    const qint64 ago = std::max<qint64>(0, m_clock->nowSeconds() - it->at);
    if (ago < 60)
        //: Last activity: less than a minute ago.
        return tr("just now");
    if (ago < 3600)
        //: Last activity: %n minutes ago.
        return tr("%n min ago", nullptr, int(ago / 60));
    if (ago < 24 * 3600)
        //: Last activity: %n hours ago.
        return tr("%n h ago", nullptr, int(ago / 3600));
    return QLocale().toString(QDateTime::fromSecsSinceEpoch(it->at).date(), QLocale::ShortFormat);
}

QString DeviceListModel::activityTooltip(const Row& r) const
{
    const auto it = m_acts.constFind(r.pair.pubkey);
    if (it == m_acts.cend())
        return m_activityLoaded
                   //: Tooltip of "no activity seen".
                   ? tr("No event signed by this device's key on the relays, nor in this profile's records. Relays "
                        "keep login events only until they expire.")
                   : QString();
    QString what;
    switch (it->kind) {
    case kinds::LoginMessage:
        //: What a device last did (tooltip of its last activity).
        what = it->eventId.isEmpty() ? tr("a login, recorded in this device's history") : tr("started a login");
        break;
    case kinds::LoginSignature:
        what = tr("signed a login");
        break;
    case kinds::Pairing:
        what = tr("took part in a pairing");
        break;
    case kinds::MemberDocument:
        what = tr("published a version of the member document");
        break;
    case kinds::LoginDecline:
        what = tr("refused a login");
        break;
    default:
        what = QString::number(it->kind);
        break;
    }
    //: Tooltip of a device's last activity: %1 the exact date and time, %2 what it did.
    return tr("%1: %2").arg(QLocale().toString(QDateTime::fromSecsSinceEpoch(it->at), QLocale::LongFormat), what);
}

QVariant DeviceListModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index))
        return {};
    const Row& r = m_rows[index.row()];
    if (role == Qt::UserRole)
        return r.pair.pair;
    if (role == SortRole && index.column() == LastActivity)
        return qlonglong(m_acts.value(r.pair.pubkey).at);
    if (role == Qt::ToolTipRole && index.column() == Device)
        //: Tooltip of a device in the list: its pair id (a UUID).
        return tr("Pair %1").arg(r.pair.pair);
    if (role == Qt::ToolTipRole && index.column() == LastActivity)
        return activityTooltip(r);
    if (role == Qt::FontRole && index.column() == Fingerprint) {
        QFont mono(QStringLiteral("monospace"));
        mono.setStyleHint(QFont::Monospace);
        return mono;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Device: {
        // A device from before labels is shown by its pair id.
        const QString name = r.label.isEmpty() ? r.pair.pair : r.label;
        //: A device in the member's list, marked as the one running this window.
        return r.local ? tr("%1 (this device)").arg(name) : name;
    }
    case Fingerprint:
        return pairing::fingerprint(r.pair.pubkey);
    case LastActivity:
        return activityText(r);
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace uw::ui
