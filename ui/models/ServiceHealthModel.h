#pragma once

#include "models/RowTableModel.h"
#include "status/ServiceChecker.h"

namespace uw::ui {

/// The services of the node, one row each in the order given: endpoint, state, latency, last
/// check and details. The state column's Qt::UserRole is the raw "up" or "down".
class ServiceHealthModel : public RowTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceHealthModel)
public:
    enum Column
    {
        Name,
        Endpoint,
        State,
        Latency,
        LastCheck,
        Detail,
        ColumnCount
    };

    explicit ServiceHealthModel(QObject* parent = nullptr);
    void setServices(const QList<ServiceStatus>& services);
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

protected:
    int size() const override { return int(m_services.size()); }

private:
    QList<ServiceStatus> m_services;
};

} // namespace uw::ui
