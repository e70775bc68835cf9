#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QString>

namespace uw {

/// The device-1 link a service gives (docs/PROTOCOL.md, "userwallet://login"), in one of two forms:
///
///   userwallet://login?request=URL              a login request to fetch (any members)
///   userwallet://login?service=S&callback=URL   this device's member alone
///
/// The second form is read leniently, as it always was: the first `service` and `callback` are
/// taken, other parameters ignored, a missing one left empty, the values checked when the login
/// starts. A link that holds `request` is the first form and is read strictly: one `request`, no
/// `service` or `callback` beside it, and an address the request fetcher accepts (https://, or
/// http:// on this machine). Every userwallet://login link of the GUI and the fuzz harness is read
/// here.
struct LoginLink
{
    Q_DECLARE_TR_FUNCTIONS(LoginLink)

public:
    QString service;
    QString callback;
    QString requestUrl; ///< set for the request form; then service and callback are empty

    bool isRequest() const { return !requestUrl.isEmpty(); }
    QString toString() const;
    /// `bad_link` for anything that is not a userwallet://login link, or a request form that breaks
    /// the rules above (the sentence says which).
    static Result<LoginLink> parse(const QString& text);
};

} // namespace uw
