// A service's record of the login it wants (core/login/LoginRequest, `verify-proof --expect FILE`):
// LoginRequest::fromBytes on the raw file, then check() against a message.
// Invariant: a message that asks exactly what a parsed request asks passes check().
#include "FuzzSupport.h"
#include "login/Challenge.h"
#include "login/LoginRequest.h"

using namespace uw;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto request = LoginRequest::fromBytes(fuzz::bytes(data, size));
    if (!request)
        return 0;
    LoginMessage m;
    m.service = request->service;
    m.callback = request->callback;
    m.members = request->members;
    m.strict = request->strict;
    m.nonce = QStringLiteral("0123456789abcdef0123456789abcdef");
    m.createdAt = 1'700'000'000;
    m.expiresAt = m.createdAt + request->ttlSeconds;
    if (auto r = request->check(m); !r)
        fuzz::fail("fuzz_login_request", "the request refuses the message that asks exactly the same",
                   r.error().message);
    (void)Challenge::fromMessage(m);
    // The same message asking one signature less of its first member is refused.
    if (!m.members.isEmpty() && m.members[0].cardinaliteMinimale > 1) {
        m.members[0].cardinaliteMinimale -= 1;
        if (request->check(m))
            fuzz::fail("fuzz_login_request", "the request accepts a message asking fewer signatures");
    }
    return 0;
}
