#include "models/ServiceHealthModel.h"

#include "widgets/StateColours.h"

#include <QColor>
#include <QGuiApplication>
#include <QLocale>

namespace uw::ui {

ServiceHealthModel::ServiceHealthModel(QObject* parent)
    : RowTableModel(
          {
              //: Column title: the name of a service of the node.
              tr("Service"),
              //: Column title: the URL where a service is checked.
              tr("Endpoint"),
              //: Column title: whether a service answers.
              tr("State"),
              tr("Latency"),
              //: Column title: the time of the last check of a service.
              tr("Last check"),
              tr("Details"),
          },
          parent)
{}

void ServiceHealthModel::setServices(const QList<ServiceStatus>& services)
{
    replaceRows(m_services, services);
}

QVariant ServiceHealthModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index))
        return {};
    const ServiceStatus& s = m_services[index.row()];
    if (index.column() == State) {
        if (role == Qt::UserRole)
            return s.up ? QStringLiteral("up") : QStringLiteral("down");
        if (role == Qt::ForegroundRole)
            return stateColour(s.up ? (s.dependencyDown ? StateColour::Warning : StateColour::Good)
                                    : StateColour::Error,
                               QGuiApplication::palette());
    }
    if (role == SortRole && index.column() == Latency)
        return qint64(s.latencyMs);
    if (role == SortRole && index.column() == LastCheck)
        return s.checkedAt;
    if (index.column() == Latency && role == Qt::TextAlignmentRole)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) // the tooltip: the whole text, when the column is narrow
        return {};
    switch (Column(index.column())) {
    case Name:
        return s.name;
    case Endpoint:
        return s.url;
    case State:
        if (!s.up)
            //: A service of the node does not answer.
            return tr("down");
        return s.dependencyDown
                   //: A service of the node answers, but a service it depends on does not.
                   ? tr("up, dependency down")
                   //: A service of the node answers.
                   : tr("up");
    case Latency:
        //: The milliseconds a service took to answer.
        return tr("%1 ms").arg(s.latencyMs);
    case LastCheck:
        return QLocale().toString(s.checkedAt.toLocalTime().time(), QStringLiteral("HH:mm:ss"));
    case Detail:
        return s.detail;
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace uw::ui
