// What the wallet reads from a relay (core/relay/RelayConnection::onText, private): one text
// frame, a JSON array whose first element names it. The harness follows onText step by step with
// the public parts it calls: NostrEvent::fromJson, verify, NostrFilter::matches, then what the
// login and pairing flows do with an event (devices/LoginEvents, pairing::readMemberDocumentEvent).
// Round trip: an event that parses gives the same event back from its own toJson().
#include "FuzzSupport.h"
#include "devices/LoginEvents.h"
#include "devices/Pairing.h"
#include "relay/NostrEvent.h"
#include "relay/NostrFilter.h"

using namespace uw;

namespace {

const QList<NostrFilter>& subscriptionFilters()
{
    static const QList<NostrFilter> filters = [] {
        QList<NostrFilter> f;
        const QString hash(64, QLatin1Char('a'));
        f.append(loginEvents::signaturesFilter(hash));
        f.append(loginEvents::messageFilter(hash));
        NostrFilter any;
        any.kinds = {kinds::LoginMessage, kinds::LoginSignature, kinds::Pairing, kinds::MemberDocument};
        any.since = 1'600'000'000;
        f.append(any);
        return f;
    }();
    return filters;
}

void exerciseEvent(const QJsonObject& json)
{
    auto event = NostrEvent::fromJson(json);
    if (!event)
        return;
    auto back = NostrEvent::fromJson(event->toJson());
    if (!back)
        fuzz::fail("fuzz_relay_client", "toJson of a parsed event does not parse", back.error().message);
    if (!(*back == *event))
        fuzz::fail("fuzz_relay_client", "toJson round trip changes the event", fuzz::compact(event->toJson()));
    (void)event->serializeForId();
    (void)event->computeId();
    (void)event->expiration();
    (void)event->tagValue(QStringLiteral("h"));
    const bool verified = event->verify(); // RelayConnection drops what does not verify
    for (const NostrFilter& f : subscriptionFilters())
        (void)f.matches(*event);
    // Structural readers run on verified events in the wallet; run them on every parsed event
    // here, as most fuzzed events cannot carry a valid signature.
    (void)loginEvents::parseSignatureEvent(*event);
    (void)loginEvents::parseMessageEvent(*event, event->tagValue(QStringLiteral("h")).value_or(QString()));
    if (verified || event->kind == kinds::MemberDocument)
        (void)pairing::readMemberDocumentEvent(*event);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // onText receives a QString from QWebSocket (at most 1 MiB) and reads its UTF-8 strictly.
    const QString message = fuzz::text(data, size);
    const auto parsed = json::parse(message.toUtf8(), 1024 * 1024);
    const QJsonArray frame = parsed ? parsed->toArray() : QJsonArray();
    const QString verb = frame.at(0).toString();
    if (!parsed || !parsed->isArray() || verb.isEmpty())
        return 0;
    if (verb == QLatin1String("EVENT")) {
        (void)frame.at(1).toString();
        if (frame.size() == 3 && frame.at(2).isObject())
            exerciseEvent(frame.at(2).toObject());
    } else if (verb == QLatin1String("OK")) {
        (void)frame.at(1).toString();
        (void)frame.at(2).toBool(false);
        (void)frame.at(3).toString();
    } else if (verb == QLatin1String("EOSE") || verb == QLatin1String("CLOSED") || verb == QLatin1String("NOTICE")) {
        (void)frame.at(1).toString().left(500);
        (void)frame.at(2).toString();
    }
    return 0;
}
