#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "models/RowTableModel.h"

#include <memory>

namespace uw::ui {

/// The member's devices (its pairs): each device's id, the fingerprint of its key (what the
/// pairing screens compare), and which one is this device.
class DeviceListModel : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeviceListModel)
public:
    enum Column
    {
        Device,
        Fingerprint,
        ColumnCount
    };

    explicit DeviceListModel(QObject* parent = nullptr);
    /// The devices of `member`; those whose key `keys` holds are this device.
    void setMember(const MemberDocument& member, std::shared_ptr<const KeyRing> keys);
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

protected:
    int size() const override { return int(m_rows.size()); }

private:
    struct Row
    {
        PairRef pair;
        bool local = false;
    };
    QList<Row> m_rows;
};

} // namespace uw::ui
