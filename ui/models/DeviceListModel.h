#pragma once

#include "identity/DeviceAct.h"
#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "models/RowTableModel.h"
#include "util/Clock.h"

#include <QPointer>
#include <QTimer>
#include <memory>

namespace uw {
class DeviceActivityWatch;
}

namespace uw::ui {

class PairingModel;
class RelayRuntime;

/// The member's devices (its pairs): each device's label (its pair id in the tooltip), the
/// fingerprint of its key (what the pairing screens compare), which one is this device, and when
/// each was last seen acting; the renaming of this device and the removal of another, which
/// PairingModel carries out (a new version of the member document, published and stored without
/// the GUI thread waiting).
///
/// Last activity: the latest event signed by each device's key that the relays hold or bring
/// (DeviceActivityWatch on the relay thread), and what this profile recorded before (its
/// wallet.sqlite, read and written on a worker): relays keep login events only until they expire.
class DeviceListModel : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceListModel)
public:
    enum Column
    {
        Device,
        Fingerprint,
        LastActivity,
        ColumnCount
    };

    /// When `parent` holds a PairingModel (the main window does), renames go through it.
    explicit DeviceListModel(QObject* parent = nullptr);
    ~DeviceListModel() override;
    /// The devices of `member`; those whose key `keys` holds are this device.
    void setMember(const MemberDocument& member, std::shared_ptr<const KeyRing> keys);
    /// The model that publishes this device's new label (null: renaming is not offered).
    void setPairingModel(PairingModel* pairing);
    /// Where the last activity comes from: the relays of `runtime` and the profile's
    /// `walletDatabase`; `clock` says what "2 min ago" is. Until then the column stays empty.
    void setActivitySources(RelayRuntime* runtime, QString walletDatabase, const Clock& clock);
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// The longest label, in characters.
    static constexpr int kMaxLabelLength = MemberDocument::kMaxLabelLength;
    /// Empty when `label` may be a device's label, else why not (the member document's rule).
    static QString labelProblem(const QString& label) { return MemberDocument::labelProblem(label); }
    /// How long the relays have to send what they hold before a device shows "no activity seen".
    static constexpr int kActivityLoadTimeoutMs = 10'000;
    /// This device's label in the member document (empty when it has none yet).
    QString localLabel() const;
    /// Renaming is possible: a pairing model to carry it out and a key of this member on this device.
    bool canRename() const;
    bool isRenaming() const { return m_renaming; }
    /// Publishes `label` as this device's label. Answers renameProgress(), then renamed() or renameFailed().
    void renameThisDevice(const QString& label);

    /// The pair of the device on `row` (empty when there is none).
    QString pairAt(int row) const;
    /// How a confirmation names the device `pair`: its label (or pair id) and its key's fingerprint.
    QString deviceName(const QString& pair) const;
    QString fingerprint(const QString& pair) const;
    /// Empty when this device may remove the device `pair` now, else why not, in a sentence: it is
    /// this device, the last one, or the member's logins need it (memberchain::checkRemoval), or
    /// another change is under way.
    QString removalProblem(const QString& pair) const;
    bool isChanging() const { return m_renaming || m_removing; }
    /// Publishes the next version without `pair`. Answers removeProgress(), then removed() or removeFailed().
    void removeDevice(const QString& pair);

Q_SIGNALS:
    void renameProgress(const QString& step);
    /// `version`: the member document's new version number.
    void renamed(const QString& label, int version);
    void renameFailed(const QString& reason);
    void removeProgress(const QString& step);
    /// `name`: the removed device's label (or pair id); `version`: the new version number.
    void removed(const QString& name, int version);
    void removeFailed(const QString& reason);
    /// The relays sent what they hold: the devices without an act show "no activity seen".
    void activityLoaded();

protected:
    int size() const override { return int(m_rows.size()); }

private:
    struct Row
    {
        PairRef pair;
        QString label;
        bool local = false;
    };
    /// Watches the keys of the current rows anew (a new watch object), and reads what the
    /// profile recorded. Does nothing until setActivitySources().
    void watchActivity();
    /// Keeps the later acts; true when one of them changed what a row shows.
    bool mergeActs(const QList<DeviceAct>& acts);
    void activityChanged();
    QString activityText(const Row& row) const;
    QString activityTooltip(const Row& row) const;

    QList<Row> m_rows;
    MemberDocument m_member;
    std::shared_ptr<const KeyRing> m_keys;
    QPointer<PairingModel> m_pairing;
    bool m_renaming = false;
    bool m_removing = false;

    RelayRuntime* m_runtime = nullptr;
    QString m_walletDatabase;
    const Clock* m_clock = &SystemClock::instance();
    QHash<QString, DeviceAct> m_acts; ///< pubkey -> latest act
    QStringList m_watchedKeys;
    /// Built here, owned by the relay thread (RelayRuntime::adopt); only the pointer is used here.
    DeviceActivityWatch* m_watch = nullptr;
    quint64 m_watchGeneration = 0;
    bool m_activityLoaded = false;
    QTimer m_tick{this}; ///< "2 min ago" moves on
};

} // namespace uw::ui
