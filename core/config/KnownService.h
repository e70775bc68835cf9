#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace uw {

/// A service the login screen offers by name, listed in a profile's settings, in one of two forms:
/// a login request's address (`request`: the service says which members must sign, see
/// docs/PROTOCOL.md "Login requests"), or the service id the login message carries and the
/// callback that receives the proof (`service` + `callback`: this device's member alone).
struct KnownService
{
    Q_DECLARE_TR_FUNCTIONS(KnownService)

public:
    QString name;
    QString service;
    QUrl callback;
    QUrl request = QUrl(); ///< defaulted: entries written as {name, service, callback} stay valid
    bool operator==(const KnownService&) const = default;

    bool isRequest() const { return !request.isEmpty(); }
    /// Ok when the entry can be offered: a name, and either a request URL (https://, or http:// on
    /// this machine) alone, or a service id and a callback (an http:// or https:// URL) without a
    /// request. Otherwise `bad_known_service`, saying which `field` ("name", "service", "callback",
    /// "request") is wrong and why, in a sentence for the person.
    Result<void> check(QString* field = nullptr) const;
};

} // namespace uw

Q_DECLARE_METATYPE(uw::KnownService)
