// The proof a service receives (core/login/Proof) and its verifier (core/login/ProofVerifier):
// Proof::fromBytes on the raw body, then ProofVerifier::verify at the message's own time. As a
// fuzzed hash can never match, the same proof is verified a second time with its hash and nonce
// repaired, so that the time, key and signature rules behind the hash check are reached too.
// Round trip: a parsed proof's toBytes() parses to the same proof.
#include "FuzzSupport.h"
#include "crypto/Sha256.h"
#include "login/Proof.h"
#include "login/ProofVerifier.h"
#include "util/Clock.h"

using namespace uw;

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto proof = Proof::fromBytes(QByteArrayView(reinterpret_cast<const char*>(data), qsizetype(size)));
    if (!proof)
        return 0;
    const QByteArray bytes = proof->toBytes();
    auto again = Proof::fromBytes(bytes);
    if (!again)
        fuzz::fail("fuzz_proof", "toBytes of a parsed proof is refused",
                   again.error().message + QLatin1Char('\n') + QString::fromUtf8(bytes));
    if (again->toJson() != proof->toJson())
        fuzz::fail("fuzz_proof", "toBytes round trip changes the proof", QString::fromUtf8(bytes));

    ManualClock clock(proof->message.createdAt);
    (void)ProofVerifier::verify(*proof, clock);
    auto canonical = proof->message.canonical();
    if (!canonical)
        return 0;
    Proof repaired = *proof;
    repaired.hash = Sha256::hashHex(*canonical);
    repaired.nonce = repaired.message.nonce;
    (void)ProofVerifier::verify(repaired, clock);
    clock.set(proof->message.expiresAt + 1);
    if (ProofVerifier::verify(repaired, clock))
        fuzz::fail("fuzz_proof", "a proof verifies after its message expired", QString::fromUtf8(bytes));
    return 0;
}
