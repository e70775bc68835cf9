#include "models/SettingsModel.h"

#include "models/Background.h"

namespace uw::ui {

SettingsModel::SettingsModel(QString iniPath, QObject* parent) : QObject(parent), m_path(std::move(iniPath))
{
    m_writer.setMaxThreadCount(1);
}

void SettingsModel::save(const Settings& settings)
{
    runInBackground(
        &m_writer, this,
        [settings, path = m_path]() -> QString {
            auto ok = settings.save(path);
            return ok ? QString() : ok.error().message;
        },
        [this, settings](const QString& error) {
            if (error.isEmpty())
                Q_EMIT saved(settings);
            else
                Q_EMIT saveFailed(error);
        });
}

} // namespace uw::ui
