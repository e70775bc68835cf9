#pragma once

#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "models/RowTableModel.h"

#include <QPointer>
#include <memory>

namespace uw::ui {

class PairingModel;

/// The member's devices (its pairs): each device's label (its pair id in the tooltip), the
/// fingerprint of its key (what the pairing screens compare), and which one is this device; and
/// the renaming of this device, which PairingModel carries out (a new version of the member
/// document, published and stored without the GUI thread waiting).
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

    /// When `parent` holds a PairingModel (the main window does), renames go through it.
    explicit DeviceListModel(QObject* parent = nullptr);
    /// The devices of `member`; those whose key `keys` holds are this device.
    void setMember(const MemberDocument& member, std::shared_ptr<const KeyRing> keys);
    /// The model that publishes this device's new label (null: renaming is not offered).
    void setPairingModel(PairingModel* pairing);
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    /// The longest label, in characters.
    static constexpr int kMaxLabelLength = MemberDocument::kMaxLabelLength;
    /// Empty when `label` may be a device's label, else why not (the member document's rule).
    static QString labelProblem(const QString& label) { return MemberDocument::labelProblem(label); }
    /// This device's label in the member document (empty when it has none yet).
    QString localLabel() const;
    /// Renaming is possible: a pairing model to carry it out and a key of this member on this device.
    bool canRename() const;
    bool isRenaming() const { return m_renaming; }
    /// Publishes `label` as this device's label. Answers renameProgress(), then renamed() or renameFailed().
    void renameThisDevice(const QString& label);

Q_SIGNALS:
    void renameProgress(const QString& step);
    /// `version`: the member document's new version number.
    void renamed(const QString& label, int version);
    void renameFailed(const QString& reason);

protected:
    int size() const override { return int(m_rows.size()); }

private:
    struct Row
    {
        PairRef pair;
        QString label;
        bool local = false;
    };
    QList<Row> m_rows;
    MemberDocument m_member;
    std::shared_ptr<const KeyRing> m_keys;
    QPointer<PairingModel> m_pairing;
    bool m_renaming = false;
};

} // namespace uw::ui
