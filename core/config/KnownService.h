#pragma once

#include <QString>
#include <QUrl>

namespace uw {

/// A service the login screen offers by name: what the user picks, the service id the login
/// message carries and the callback that receives the proof. Listed in a profile's settings.
struct KnownService
{
    QString name;
    QString service;
    QUrl callback;
    bool operator==(const KnownService&) const = default;
};

} // namespace uw
