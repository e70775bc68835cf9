// The login message (core/login/LoginMessage), as device 2 reads it from a kind-9240 event and a
// service from a proof: LoginMessage::fromJson on what json::parse gives, then its canonical
// bytes and Challenge::fromMessage (the hash every pair signs). Also the `members` parsers alone.
// Round trip: the canonical bytes of a parsed message parse to the same message.
#include "FuzzSupport.h"
#include "login/Challenge.h"
#include "login/LoginMessage.h"
#include "login/LoginValidation.h"

using namespace uw;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    for (const QJsonObject& o : fuzz::strictObjects(fuzz::bytes(data, size), LoginMessage::kMaxBytes)) {
        (void)LoginMessage::parseMembers(o.value(QStringLiteral("members")));
        (void)LoginMessage::parseRequestMembers(o.value(QStringLiteral("members")));
        auto message = LoginMessage::fromJson(o);
        if (!message)
            continue;
        auto canon = message->canonical();
        if (!canon)
            fuzz::fail("fuzz_login_message", "a parsed message has no canonical form", canon.error().message);
        auto reparsed = json::parse(*canon, LoginMessage::kMaxBytes);
        if (!reparsed || !reparsed->isObject())
            fuzz::fail("fuzz_login_message", "canonical bytes do not parse", QString::fromUtf8(*canon));
        auto again = LoginMessage::fromJson(reparsed->toObject());
        if (!again)
            fuzz::fail("fuzz_login_message", "canonical bytes are refused",
                       again.error().message + QLatin1Char('\n') + QString::fromUtf8(*canon));
        if (!(*again == *message))
            fuzz::fail("fuzz_login_message", "canonical round trip changes the message", QString::fromUtf8(*canon));
        auto challenge = Challenge::fromMessage(*message);
        if (!challenge)
            continue;
        (void)requiredSigsPerMember(*message);
        (void)buildPubkeyToPair(*message);
        (void)buildPairToMembers(*message);
        (void)hasEnoughSignatures(*message, {});
        for (const MemberRequirement& m : message->members)
            (void)message->member(m.id);
    }
    return 0;
}
