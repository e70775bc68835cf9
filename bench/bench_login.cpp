// Login cryptography throughput on one core: BIP340 sign/verify, canonical JSON + hash,
// and full verification of a 3-member proof.
//   build/bench/bench_login [iterations]
#include "crypto/Schnorr.h"
#include "crypto/Secp256k1Context.h"
#include "crypto/Sha256.h"
#include "login/LoginValidation.h"
#include "login/ProofVerifier.h"

#include "json/CanonicalJson.h"
#include <QCoreApplication>
#include <QUuid>
#include <chrono>
#include <cstdio>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

using namespace uw;

namespace {

template <typename F> double perSecond(int iterations, F&& f)
{
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i)
        f(i);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    return iterations / elapsed.count();
}

volatile bool g_sink = false;

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::atoi(argv[1]) : 20000;

    const SecretKey key = schnorr::generateSecretKey();
    const Bytes32 pub = schnorr::xOnlyPublicKey(key).value();
    const QByteArray msg(32, 'm');
    const Bytes64 sig = schnorr::sign(key, msg).value();

    const double signs = perSecond(n, [&](int) { g_sink = schnorr::sign(key, msg).ok(); });
    const double verifies = perSecond(n, [&](int) { g_sink = schnorr::verify(pub, msg, sig); });

    // The library alone, with the key parsed once: the ceiling our wrapper approaches.
    secp256k1_xonly_pubkey parsed;
    if (!secp256k1_xonly_pubkey_parse(secpContext(), &parsed, pub.data()))
        return 1;
    const double raw = perSecond(n, [&](int) {
        g_sink = secp256k1_schnorrsig_verify(secpContext(), sig.data(),
                                             reinterpret_cast<const unsigned char*>(msg.constData()), 32, &parsed);
    });

    // A 3-member login: alice 2-of-3, bob 1-of-1, notary 1-of-2.
    auto pair = [] {
        SecretKey k = schnorr::generateSecretKey();
        PairRef p{QUuid::createUuid().toString(QUuid::WithoutBraces), toHex(schnorr::xOnlyPublicKey(k).value())};
        return std::make_pair(p, std::make_shared<SecretKey>(std::move(k)));
    };
    QList<std::pair<PairRef, std::shared_ptr<SecretKey>>> pairs;
    for (int i = 0; i < 6; ++i)
        pairs.append(pair());
    QList<MemberRequirement> members{
        {QStringLiteral("alice"), 2, {}, {pairs[0].first, pairs[1].first, pairs[2].first}},
        {QStringLiteral("bob"), 1, {}, {pairs[3].first}},
        {QStringLiteral("notary"), 1, {QStringLiteral("alice")}, {pairs[4].first, pairs[5].first}}};
    const SystemClock& clock = static_cast<const SystemClock&>(SystemClock::instance());
    const Challenge c =
        buildChallenge({QStringLiteral("bench"), QStringLiteral("https://s.example/cb"), members, true, 300}, clock)
            .value();
    auto ring = [&](std::initializer_list<int> idx) {
        KeyRing r;
        for (int i : idx)
            r.add(pairs[i].first.pair, pairs[i].first.pubkey, SecretKey(pairs[i].second->data()));
        return r;
    };
    QList<LoginSignature> sigs = signChallenge(c, QStringLiteral("alice"), ring({0, 1})).value();
    sigs += signChallenge(c, QStringLiteral("bob"), ring({3})).value();
    sigs += signChallenge(c, QStringLiteral("notary"), ring({4})).value();
    const Proof proof{c.message, c.hash, c.nonce(), sigs};
    const QJsonObject messageJson = c.message.toJson();

    const double canonHash =
        perSecond(n, [&](int) { g_sink = !Sha256::hashHex(json::canonicalize(messageJson).value()).isEmpty(); });
    const double proofs = perSecond(n / 4, [&](int) { g_sink = ProofVerifier::verify(proof, clock).ok(); });
    const double parsed3 = perSecond(n / 4, [&](int) { g_sink = Proof::fromBytes(proof.toBytes()).ok(); });

    std::printf("bench_login: %d iterations, one thread\n", n);
    std::printf("  BIP340 sign (with self-verify)     %10.0f /s\n", signs);
    std::printf("  BIP340 verify (parse key + verify) %10.0f /s\n", verifies);
    std::printf("  libsecp256k1 verify alone          %10.0f /s\n", raw);
    std::printf("  canonical JSON + SHA-256 (3 memb.) %10.0f /s  (%lld bytes)\n", canonHash,
                qlonglong(c.canonical.size()));
    std::printf("  full 3-member proof verification   %10.0f /s  (4 signatures)\n", proofs);
    std::printf("  proof JSON serialize + strict parse%10.0f /s\n", parsed3);
    return 0;
}
