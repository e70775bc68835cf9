// The links a person pastes, scans or clicks: the login-sign link (devices/LoginSignLink), the
// pairing link (pairing::parseLink), and the userwallet://login link whose parsing lives in the
// window (ui/MainWindow::handleUrl: QUrl + QUrlQuery, then the login screen's fields, checked by
// validate::callbackUrl and validate::identifierProblem when the login starts); the harness does
// the same steps here, as the window cannot be built without widgets.
// Round trips: a parsed link, written again, parses to the same fields.
#include "FuzzSupport.h"
#include "devices/LoginSignLink.h"
#include "devices/Pairing.h"
#include "identity/Validate.h"
#include "login/LoginMessage.h"

#include <QUrl>
#include <QUrlQuery>

using namespace uw;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size > 4096)
        return 0; // links are short; QUrl's cost on megabytes is not what is tested here
    const QString input = fuzz::text(data, size);

    if (auto link = LoginSignLink::parse(input)) {
        auto again = LoginSignLink::parse(link->toString());
        if (!again || again->hash != link->hash || again->nonce != link->nonce)
            fuzz::fail("fuzz_links", "login-sign link round trip", link->toString());
    }

    if (auto code = pairing::parseLink(input)) {
        auto again = pairing::parseLink(pairing::makeLink(*code));
        if (!again || *again != *code)
            fuzz::fail("fuzz_links", "pairing link round trip", pairing::makeLink(*code));
        (void)pairing::fingerprint(*code + *code);
    }

    // MainWindow::handleUrl, then LoginScreen's fields as the login starts.
    const QUrl u(input.trimmed());
    if (u.scheme() == QLatin1String("userwallet") && u.host() == QLatin1String("login")) {
        const QUrlQuery q(u);
        const QString service = q.queryItemValue(QStringLiteral("service"), QUrl::FullyDecoded).trimmed();
        const QString callback = q.queryItemValue(QStringLiteral("callback"), QUrl::FullyDecoded).trimmed();
        (void)validate::identifierProblem(service);
        (void)validate::escapedForDisplay(service);
        (void)validate::callbackUrl(callback);
    }
    (void)validate::callbackUrl(input);
    (void)validate::identifierProblem(input);
    (void)validate::escapedForDisplay(input);
    (void)validate::isUuid(input);
    return 0;
}
