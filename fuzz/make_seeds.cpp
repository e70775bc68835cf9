// Writes the valid seed inputs of fuzz/corpus/<harness>/ (files named valid_*): signed relay
// events and frames, links, login messages, requests and proofs, member documents, key files,
// transactions, addresses, import lines, node replies and .ots proofs, all made by the project's own code, as
// the tests make them. The hand-written invalid seeds (invalid_*) are not touched.
//   build-fuzz/fuzz/fuzz_make_seeds fuzz/corpus
#include "FuzzSupport.h"
#include "anchor/Merkle.h"
#include "anchor/Ots.h"
#include "bitcoin/Bech32.h"
#include "bitcoin/Hashes.h"
#include "bitcoin/Transaction.h"
#include "crypto/KeyFile.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "devices/LoginEvents.h"
#include "devices/LoginSignLink.h"
#include "devices/MemberChain.h"
#include "devices/Pairing.h"
#include "identity/KeyRing.h"
#include "identity/MemberDocument.h"
#include "login/Challenge.h"
#include "login/LoginValidation.h"
#include "login/Proof.h"

#include <QDir>
#include <QFile>
#include <QUuid>
#include <tuple>

using namespace uw;

namespace {

QString g_root;

void write(const char* harness, const char* name, const QByteArray& contents)
{
    const QString dir = g_root + QLatin1Char('/') + QString::fromLatin1(harness);
    QDir().mkpath(dir);
    QFile f(dir + QStringLiteral("/valid_") + QString::fromLatin1(name));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(contents) != contents.size())
        qFatal("cannot write %s/%s", harness, name);
}

QByteArray compact(const QJsonValue& v)
{
    return v.isObject() ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                        : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
}

template <typename T> T must(Result<T> r, const char* what)
{
    if (!r)
        qFatal("%s: %s", what, qPrintable(r.error().message));
    return std::move(*r);
}

struct Pair
{
    std::shared_ptr<SecretKey> secret;
    QString pubkey;
    QString pair;
};

Pair makePair(std::optional<std::uint8_t> fill = std::nullopt)
{
    Pair p;
    if (fill) {
        std::uint8_t bytes[32];
        std::fill(std::begin(bytes), std::end(bytes), *fill);
        p.secret = std::make_shared<SecretKey>(bytes);
    } else {
        p.secret = std::make_shared<SecretKey>(schnorr::generateSecretKey());
    }
    p.pubkey = toHex(must(schnorr::xOnlyPublicKey(*p.secret), "pubkey"));
    p.pair = QUuid::createUuid().toString(QUuid::WithoutBraces);
    return p;
}

QJsonObject memberJson(const MemberRequirement& m)
{
    QJsonArray pairs;
    for (const PairRef& p : m.pairs)
        pairs.append(QJsonObject{{QStringLiteral("pair"), p.pair}, {QStringLiteral("pubkey"), p.pubkey}});
    return QJsonObject{{QStringLiteral("id"), m.id},
                       {QStringLiteral("cardinalite_minimale"), m.cardinaliteMinimale},
                       {QStringLiteral("depends_on"), QJsonArray::fromStringList(m.dependsOn)},
                       {QStringLiteral("pairs"), pairs}};
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_make_seeds CORPUS_DIR\n");
        return 2;
    }
    g_root = QString::fromLocal8Bit(argv[1]);
    const std::int64_t now = 1'700'000'000;
    ManualClock clock(now);

    // A member "alice" with two pairs (one with the fixed key of fuzz_member_document), "bob"
    // with one pair who depends on alice.
    const Pair a1 = makePair(0x11), a2 = makePair(), b1 = makePair();
    const MemberRequirement alice{QStringLiteral("alice"), 2, {}, {{a1.pair, a1.pubkey}, {a2.pair, a2.pubkey}}};
    const MemberRequirement bob{QStringLiteral("bob"), 1, {QStringLiteral("alice")}, {{b1.pair, b1.pubkey}}};
    KeyRing ring;
    for (const Pair* p : {&a1, &a2, &b1})
        ring.add(p->pair, p->pubkey, SecretKey(p->secret->data()));

    const Challenge one = must(
        buildChallenge(
            ChallengeRequest{
                QStringLiteral("demo-service"), QStringLiteral("https://service.example/callback"), {alice}, true, 300},
            clock),
        "challenge");
    const Challenge two =
        must(buildChallenge(
                 ChallengeRequest{
                     QStringLiteral("forum"), QStringLiteral("http://127.0.0.1:8080/cb"), {alice, bob}, false, 120},
                 clock),
             "challenge");

    // json
    write("fuzz_json", "message.json", one.canonical);
    write("fuzz_json", "numbers.json", "[0,-0,1e21,1e-7,123456789012345,0.1,-1.5e300,9007199254740991]");
    write("fuzz_json", "strings.json",
          "{\"\\u00e9\":\"\\ud83d\\ude00\",\"a\\nb\":\"\\u001f\",\"\":[true,false,null,{}],\"\\u20ac\":"
          "\"\xe2\x82\xac\"}");

    // login messages, requests, proofs
    write("fuzz_login_message", "one_member.json", one.canonical);
    write("fuzz_login_message", "two_members.json", two.canonical);
    write("fuzz_login_request", "two_members.json",
          compact(QJsonObject{{QStringLiteral("v"), 1},
                              {QStringLiteral("type"), QStringLiteral("login-request")},
                              {QStringLiteral("service"), QStringLiteral("forum")},
                              {QStringLiteral("callback"), QStringLiteral("http://127.0.0.1:8080/cb")},
                              {QStringLiteral("members"), QJsonArray{memberJson(alice), memberJson(bob)}},
                              {QStringLiteral("strict"), false},
                              {QStringLiteral("ttl"), 300}}));
    write("fuzz_login_request", "no_ttl.json",
          compact(QJsonObject{{QStringLiteral("v"), 1},
                              {QStringLiteral("type"), QStringLiteral("login-request")},
                              {QStringLiteral("service"), QStringLiteral("demo-service")},
                              {QStringLiteral("callback"), QStringLiteral("https://service.example/callback")},
                              {QStringLiteral("members"), QJsonArray{memberJson(alice)}},
                              {QStringLiteral("strict"), true}}));
    for (const auto& [name, challenge, members] :
         {std::tuple{"one_member.json", &one, QStringList{QStringLiteral("alice")}},
          std::tuple{"two_members.json", &two, QStringList{QStringLiteral("alice"), QStringLiteral("bob")}}}) {
        Proof proof{challenge->message, challenge->hash, challenge->nonce(), {}};
        for (const QString& m : members)
            proof.signatures += must(signChallenge(*challenge, m, ring), "sign");
        write("fuzz_proof", name, proof.toBytes());
    }

    // member documents (a1 holds the fixed key the harness signs with)
    MemberDocument doc{
        QStringLiteral("alice"), QStringLiteral("Alice Dupont"), 2, {{a1.pair, a1.pubkey}, {a2.pair, a2.pubkey}}};
    write("fuzz_member_document", "alice.json", must(json::canonicalize(doc.toJson()), "canon"));
    MemberDocument single{QStringLiteral("bob"), QStringLiteral("Bob"), 1, {{a1.pair, a1.pubkey}}};
    write("fuzz_member_document", "bob.json", QJsonDocument(single.toJson()).toJson(QJsonDocument::Indented));
    // with labels, as version 2 of a chain (previous: the event of version 1)
    MemberDocument labelled = doc;
    labelled.labels = {{a1.pair, QStringLiteral("laptop")}, {a2.pair, QStringLiteral("Téléphone")}};
    const NostrEvent first = must(memberchain::sign(doc, *a1.secret, now), "9243 v1");
    write("fuzz_member_document", "alice_v2_labels.json",
          must(json::canonicalize(labelled.successor(first.id).toJson()), "canon"));

    // relay frames, both sides
    const NostrEvent message = must(loginEvents::messageEvent(one, *a1.secret, now), "9240");
    const QList<LoginSignature> sigs = must(signChallenge(one, QStringLiteral("alice"), ring), "sign");
    const NostrEvent signature = must(loginEvents::signatureEvent(one, sigs.first(), *a1.secret, now), "9241");
    const NostrEvent member = must(pairing::memberDocumentEvent(doc, *a1.secret, now), "9243");
    const QString sub = QStringLiteral("login-1");
    for (const NostrEvent* e : {&message, &signature, &member}) {
        const QByteArray name = "event_" + QByteArray::number(e->kind) + ".json";
        write("fuzz_relay_client", name.constData(), compact(QJsonArray{QStringLiteral("EVENT"), sub, e->toJson()}));
        write("fuzz_relay_server", name.constData(), compact(QJsonArray{QStringLiteral("EVENT"), e->toJson()}));
    }
    write("fuzz_relay_client", "ok.json", compact(QJsonArray{QStringLiteral("OK"), message.id, true, QString()}));
    write("fuzz_relay_client", "eose.json", compact(QJsonArray{QStringLiteral("EOSE"), sub}));
    write("fuzz_relay_client", "closed.json",
          compact(QJsonArray{QStringLiteral("CLOSED"), sub, QStringLiteral("blocked: too many")}));
    write("fuzz_relay_client", "notice.json", compact(QJsonArray{QStringLiteral("NOTICE"), QStringLiteral("hello")}));
    write("fuzz_relay_server", "req.json",
          compact(QJsonArray{QStringLiteral("REQ"), sub, loginEvents::signaturesFilter(one.hash).toJson(),
                             loginEvents::messageFilter(one.hash).toJson()}));
    NostrFilter wide;
    wide.authors = {a1.pubkey};
    wide.kinds = {9240, 9241, 9242, 9243};
    wide.since = now - 3600;
    wide.until = now + 3600;
    wide.limit = 10;
    wide.tags.insert(QStringLiteral("m"), {QStringLiteral("alice")});
    write("fuzz_relay_server", "req_wide.json", compact(QJsonArray{QStringLiteral("REQ"), sub, wide.toJson()}));
    write("fuzz_relay_server", "close.json", compact(QJsonArray{QStringLiteral("CLOSE"), sub}));
    // NIP-01 kind classes the store treats apart: replaceable (0) and addressable (30000, by "d").
    for (const auto& [kind, tags] :
         {std::pair{0, QList<QStringList>{}},
          std::pair{30000, QList<QStringList>{{QStringLiteral("d"), QStringLiteral("x")}}}}) {
        NostrEvent e;
        e.kind = kind;
        e.createdAt = now;
        e.tags = tags;
        e.content = QStringLiteral("{}");
        if (!e.sign(*b1.secret))
            qFatal("sign");
        write("fuzz_relay_server", QByteArray("event_" + QByteArray::number(kind) + ".json").constData(),
              compact(QJsonArray{QStringLiteral("EVENT"), e.toJson()}));
    }

    // links
    write("fuzz_links", "login_sign.txt", LoginSignLink{one.hash, one.nonce()}.toString().toUtf8());
    write("fuzz_links", "login_sign_https.txt",
          QStringLiteral("https://wallet.example/app/login-sign?nonce=%1&hash=%2").arg(one.nonce(), one.hash).toUtf8());
    write("fuzz_links", "pair.txt", pairing::makeLink(QStringLiteral("00112233445566778899aabbccddeeff")).toUtf8());
    write("fuzz_links", "login.txt",
          "userwallet://login?service=demo-service&callback=https%3A%2F%2Fservice.example%2Fcallback");

    // key files: cheap parameters (opened by the harness) and the writer's (header only)
    write("fuzz_key_file", "cheap.key",
          must(KeyFile::seal(*a1.secret, "fuzz", a1.pair, a1.pubkey, KdfParams{1, 8192}), "seal"));
    write("fuzz_key_file", "standard.key", must(KeyFile::seal(*a2.secret, "fuzz", a2.pair, a2.pubkey), "seal"));

    // transactions: P2WPKH spend with a witness, and one without
    btc::Transaction tx;
    btc::TxIn in;
    in.prevout = btc::OutPoint{*btc::Txid::fromHex(QString(64, QLatin1Char('a'))), 1};
    in.witness = {QByteArray(71, '\x30'), QByteArray(33, '\x02')};
    tx.inputs = {in};
    tx.outputs = {btc::TxOut{50'000, QByteArray::fromHex("0014") + QByteArray(20, '\x11')},
                  btc::TxOut{0, QByteArray::fromHex("6a20") + QByteArray(32, '\x42')}};
    write("fuzz_transaction", "segwit.bin", tx.serialize(true));
    write("fuzz_transaction", "stripped.bin", tx.serialize(false));
    write("fuzz_transaction", "txid.txt", tx.txid().hex().toLatin1());

    // addresses
    write("fuzz_bech32", "p2wpkh_bc.txt",
          must(btc::bech32::encodeAddress(QStringLiteral("bc"), 0, QByteArray(20, '\x11')), "addr").toUtf8());
    write("fuzz_bech32", "p2tr_tb.txt",
          must(btc::bech32::encodeAddress(QStringLiteral("tb"), 1, QByteArray(32, '\x22')), "addr").toUtf8());
    write("fuzz_bech32", "p2wsh_bcrt.txt",
          must(btc::bech32::encodeAddress(QStringLiteral("bcrt"), 0, QByteArray(32, '\x33')), "addr").toUtf8());
    write("fuzz_bech32", "bip173_upper.txt", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4");

    // UTXO import (the harness's wallet script: 0014 + twenty 0x11)
    const QByteArray script = "0014" + QByteArray(40, '1');
    write("fuzz_utxo_import", "two_lines.jsonl",
          "{\"txid\":\"" + QByteArray(64, 'a') + "\",\"vout\":0,\"value\":100000,\"script\":\"" + script +
              "\",\"height\":120}\n\n{\"txid\":\"" + QByteArray(64, 'b') +
              "\",\"vout\":3,\"value\":2100000000000000,"
              "\"script\":\"" +
              script + "\",\"height\":null,\"note\":\"x\"}\n");

    // Bitcoin Core replies
    write("fuzz_rpc_reply", "getblock.json",
          "{\"result\":{\"hash\":\"" + QByteArray(64, 'c') + "\",\"previousblockhash\":\"" + QByteArray(64, 'd') +
              "\",\"height\":120,\"time\":1700000000,\"tx\":[{\"txid\":\"" + QByteArray(64, 'e') +
              "\",\"vin\":[{\"coinbase\":\"03\"}],\"vout\":[{\"value\":50.0,\"scriptPubKey\":{\"hex\":\"" + script +
              "\"}}]},{\"txid\":\"" + QByteArray(64, 'f') + "\",\"vin\":[{\"txid\":\"" + QByteArray(64, 'e') +
              "\",\"vout\":0}],\"vout\":[{\"value\":0.00001,\"scriptPubKey\":{\"hex\":\"6a00\"}}]}]},"
              "\"error\":null,\"id\":1}");
    write("fuzz_rpc_reply", "scantxoutset.json",
          "{\"success\":true,\"txouts\":2,\"height\":120,\"unspents\":[{\"txid\":\"" + QByteArray(64, 'a') +
              "\",\"vout\":1,\"scriptPubKey\":\"" + script + "\",\"amount\":0.5,\"height\":101},{\"txid\":\"" +
              QByteArray(64, 'b') + "\",\"vout\":0,\"amount\":21000000,\"height\":0}],\"total_amount\":21000000.5}");
    // .ots proofs of a round of five digests and of a round of one, as RoundProofs writes them
    for (const auto& [name, digests, network] : {std::tuple{"round_five_signet.ots", 5, btc::Network::Signet},
                                                 std::tuple{"round_one_mainnet.ots", 1, btc::Network::Mainnet}}) {
        QList<QByteArray> leaves;
        for (int i = 0; i < digests; ++i)
            leaves.append(btc::bytes(Sha256::hash(QByteArray(QByteArray("seed digest ") + QByteArray::number(i)))));
        merkle::Tree round = must(merkle::Tree::build(leaves), "tree");
        btc::Transaction anchor = tx;
        anchor.outputs = {btc::TxOut{0, QByteArray::fromHex("6a2455574101") + round.root()},
                          btc::TxOut{50'000, QByteArray::fromHex("0014") + QByteArray(20, '\x11')}};
        QList<btc::Txid> block{*btc::Txid::fromHex(QString(64, QLatin1Char('c'))), anchor.txid(),
                               *btc::Txid::fromHex(QString(64, QLatin1Char('d')))};
        auto proofs = must(ots::RoundProofs::create(round, anchor.serialize(false), block, 1, 200'000, network), "ots");
        write("fuzz_ots", name, proofs.proof(digests - 1));
    }
    std::printf("seeds written under %s\n", argv[1]);
    return 0;
}
