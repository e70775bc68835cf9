// The member document (core/identity/MemberDocument): read from the profile's member.json and,
// on another device, from a kind-9243 relay event (pairing::readMemberDocumentEvent,
// memberchain::readVersion and the chain's resolve). The input is the document's JSON text:
// MemberDocument::fromJson on what json::parse gives; then the same text as the content of an event
// signed here by a fixed key (whose public key the seed documents list), so that the readers run
// past the signature check.
// Promises: a parsed document gives the same document back from toJson(); its labels pass the
// label rule and never reach requirement(); an event the chain starts from (or is told to start
// from) is its first version, and the next version signed by a pair of it follows it.
#include "FuzzSupport.h"
#include "crypto/Schnorr.h"
#include "devices/MemberChain.h"
#include "devices/Pairing.h"
#include "identity/MemberDocument.h"

using namespace uw;

namespace {

const SecretKey& fixedKey()
{
    static const SecretKey* key = [] {
        std::uint8_t bytes[32];
        for (std::uint8_t& b : bytes)
            b = 0x11;
        return new SecretKey(bytes);
    }();
    return *key;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    (void)fixedKey();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);
    QString id;
    for (const QJsonObject& o : fuzz::strictObjects(input, 1024 * 1024)) {
        auto doc = MemberDocument::fromJson(o);
        if (!doc)
            continue;
        id = doc->id;
        auto again = MemberDocument::fromJson(doc->toJson());
        if (!again)
            fuzz::fail("fuzz_member_document", "toJson of a parsed document is refused", again.error().message);
        if (!(*again == *doc))
            fuzz::fail("fuzz_member_document", "toJson round trip changes the document", fuzz::compact(doc->toJson()));
        if (auto canon = json::canonicalize(doc->toJson()); !canon)
            fuzz::fail("fuzz_member_document", "a parsed document has no canonical form", canon.error().message);
        const MemberRequirement req = doc->requirement();
        if (req.id != doc->id || req.pairs != doc->pairs)
            fuzz::fail("fuzz_member_document", "requirement() is not the document's");
        for (auto it = doc->labels.cbegin(); it != doc->labels.cend(); ++it)
            if (!MemberDocument::labelProblem(it.value()).isEmpty())
                fuzz::fail("fuzz_member_document", "a parsed label breaks the label rule", it.value());
        if ((doc->version > 1) == doc->previous.isEmpty())
            fuzz::fail("fuzz_member_document", "a version and its previous disagree", fuzz::compact(doc->toJson()));
    }
    if (size > 64 * 1024)
        return 0;
    NostrEvent e;
    e.kind = kinds::MemberDocument;
    e.createdAt = 1'700'000'000;
    e.tags = {{QStringLiteral("m"), id}};
    e.content = QString::fromUtf8(input);
    if (!e.sign(fixedKey()))
        return 0;
    auto read = pairing::readMemberDocumentEvent(e);
    if (read &&
        !std::any_of(read->pairs.cbegin(), read->pairs.cend(), [&](const PairRef& p) { return p.pubkey == e.pubkey; }))
        fuzz::fail("fuzz_member_document", "an event accepted from a key that is not the member's");
    auto version = memberchain::readVersion(e);
    if (read && !version)
        fuzz::fail("fuzz_member_document", "readVersion refuses what readMemberDocumentEvent accepts");
    // The chain over this one event, from the relays' point of view and from a pinned start.
    auto chain = memberchain::resolve(id, {e});
    if (chain && chain->latest().event.id != e.id)
        fuzz::fail("fuzz_member_document", "a chain of one event ends elsewhere");
    if (chain && (!read || version->version != 1))
        fuzz::fail("fuzz_member_document", "a chain starts at an event that is not a self-signed version 1");
    if (!version || version->version >= MemberDocument::kMaxVersion)
        return 0;
    // The next version, signed by the same key: it follows when that key is a pair of this one.
    auto next = memberchain::sign(version->successor(e.id), fixedKey(), e.createdAt + 1);
    if (!next)
        fuzz::fail("fuzz_member_document", "the successor of a valid document cannot be signed", next.error().message);
    auto pinned = memberchain::resolve(version->id, {*next}, e);
    if (!pinned)
        fuzz::fail("fuzz_member_document", "a chain from a valid start fails", pinned.error().message);
    const bool follows = pinned->latest().event.id == next->id;
    if (follows != read.ok())
        fuzz::fail("fuzz_member_document",
                   follows ? "a version signed by a stranger follows" : "a version signed by a pair does not follow");
    return 0;
}
