#pragma once

#include "config/Settings.h"

#include <QObject>
#include <QThreadPool>

namespace uw::ui {

/// Writes the profile's settings on a worker (the GUI thread does not wait on the disk) and
/// says whether it worked: a failed save is the user's to know, not a log line.
class SettingsModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsModel)
public:
    SettingsModel(QString iniPath, QObject* parent = nullptr);

    /// saved() or saveFailed() follows; saves asked meanwhile are written in order.
    void save(const Settings& settings);

Q_SIGNALS:
    void saved(const uw::Settings& settings);
    void saveFailed(const QString& reason);

private:
    QString m_path;
    QThreadPool m_writer; ///< one thread: the saves reach the disk in the order asked
};

} // namespace uw::ui
