#include "models/DeviceListModel.h"

#include "devices/Pairing.h"

#include <QFont>

namespace uw::ui {

DeviceListModel::DeviceListModel(QObject* parent)
    : RowTableModel(
          {
              //: Column title: a device (pair) of the member.
              tr("Device"),
              //: Column title: the short fingerprint of a device's key, as shown while pairing.
              tr("Key fingerprint"),
          },
          parent)
{}

void DeviceListModel::setMember(const MemberDocument& member, std::shared_ptr<const KeyRing> keys)
{
    beginResetModel();
    m_rows.clear();
    for (const PairRef& p : member.pairs)
        m_rows.append(Row{p, keys && keys->contains(p.pair)});
    endResetModel();
}

QVariant DeviceListModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index))
        return {};
    const Row& r = m_rows[index.row()];
    if (role == Qt::UserRole)
        return r.pair.pair;
    if (role == Qt::FontRole && index.column() == Fingerprint) {
        QFont mono(QStringLiteral("monospace"));
        mono.setStyleHint(QFont::Monospace);
        return mono;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Device:
        //: A device in the member's list, marked as the one running this window.
        return r.local ? tr("%1 (this device)").arg(r.pair.pair) : r.pair.pair;
    case Fingerprint:
        return pairing::fingerprint(r.pair.pubkey);
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace uw::ui
