// OpenTimestamps proofs from outside (core/anchor/Ots::parse: the .ots file a person hands to
// verify-ots or to the GUI's "Verify a file...").
// Promises: a parsed proof serializes back to exactly the input (every length is a minimal
// varuint), parses again to the same proof, stays within the bounds (255 operations, messages of
// at most 4096 bytes) and replays from its digest; a refusal has a code and a sentence.
#include "FuzzSupport.h"
#include "anchor/Ots.h"

using namespace uw;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input = fuzz::bytes(data, size);
    auto proof = ots::parse(input);
    if (!proof) {
        if (proof.error().code.isEmpty() || proof.error().message.isEmpty())
            fuzz::fail("fuzz_ots", "a refusal without a code or a message");
        return 0;
    }
    if (proof->digest.size() != 32 || proof->ops.size() > ots::kMaxOps || proof->attestation.tag.size() != 8)
        fuzz::fail("fuzz_ots", "a parsed proof outside the format's bounds");
    const QByteArray written = ots::serialize(*proof);
    if (written != input)
        fuzz::fail("fuzz_ots", "serialize(parse(bytes)) differs from the bytes", QString::fromLatin1(written.toHex()));
    auto again = ots::parse(written);
    if (!again || !(*again == *proof))
        fuzz::fail("fuzz_ots", "a written proof does not parse to the same proof");
    auto replayed = ots::replay(*proof);
    if (!replayed)
        fuzz::fail("fuzz_ots", "a parsed proof does not replay", replayed.error().message);
    if (replayed->digest != proof->digest || replayed->commitment.isEmpty() ||
        replayed->commitment.size() > ots::kMaxMessageBytes)
        fuzz::fail("fuzz_ots", "a replay outside the bounds");
    return 0;
}
