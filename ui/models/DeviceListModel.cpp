#include "models/DeviceListModel.h"

#include "devices/Pairing.h"
#include "models/PairingModel.h"

#include <QFont>

namespace uw::ui {

DeviceListModel::DeviceListModel(QObject* parent)
    : RowTableModel(
          {
              //: Column title: a device (pair) of the member, by its label.
              tr("Device"),
              //: Column title: the short fingerprint of a device's key, as shown while pairing.
              tr("Key fingerprint"),
          },
          parent)
{
    // The main window builds its pairing model first, beside this one.
    if (parent)
        if (auto* pairing = parent->findChild<PairingModel*>(QString(), Qt::FindDirectChildrenOnly))
            setPairingModel(pairing);
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
    if (!canRename()) {
        //: Renaming this device is not possible here (no identity unlocked, or no relay runtime).
        Q_EMIT renameFailed(tr("This device cannot be renamed here."));
        return;
    }
    m_renaming = true;
    m_pairing->rename(m_keys, label);
}

QVariant DeviceListModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index))
        return {};
    const Row& r = m_rows[index.row()];
    if (role == Qt::UserRole)
        return r.pair.pair;
    if (role == Qt::ToolTipRole && index.column() == Device)
        //: Tooltip of a device in the list: its pair id (a UUID).
        return tr("Pair %1").arg(r.pair.pair);
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
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace uw::ui
