// The links a person pastes, scans or clicks: the login-sign link (devices/LoginSignLink), the
// pairing link (pairing::parseLink), and the userwallet://login link (login/LoginLink, which the
// login screen reads: the request form strictly, the service+callback form leniently, its fields
// checked by validate::callbackUrl and validate::identifierProblem when the login starts).
// Round trips: a parsed link, written again, parses to the same fields.
#include "FuzzSupport.h"
#include "devices/LoginSignLink.h"
#include "devices/Pairing.h"
#include "identity/Validate.h"
#include "login/LoginLink.h"
#include "login/LoginMessage.h"
#include "login/LoginRequestFetcher.h"

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

    // LoginScreen::openLink, then the login screen's fields as the login starts.
    if (auto link = LoginLink::parse(input)) {
        auto again = LoginLink::parse(link->toString());
        if (!again || again->requestUrl != link->requestUrl || again->service != link->service ||
            again->callback != link->callback)
            fuzz::fail("fuzz_links", "login link round trip", link->toString());
        // A request form always names an address the fetcher accepts.
        if (link->isRequest() && !LoginRequestFetcher::checkUrl(link->requestUrl))
            fuzz::fail("fuzz_links", "login link names a request URL the fetcher refuses", link->requestUrl);
        (void)validate::identifierProblem(link->service);
        (void)validate::escapedForDisplay(link->service);
        (void)validate::callbackUrl(link->callback);
    }
    (void)validate::callbackUrl(input);
    (void)validate::identifierProblem(input);
    (void)validate::escapedForDisplay(input);
    (void)validate::isUuid(input);
    return 0;
}
