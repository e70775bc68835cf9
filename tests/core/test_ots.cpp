// Anchor proofs in OpenTimestamps' format (core/anchor/Ots).
// The proofs the wallet writes are read by the upstream OpenTimestamps library
// (tests/tools/ots_check.py): replaying their operations from the digest gives the Merkle root of
// the block the test built around the round's transaction (rounds of 1 and 5 digests, every
// index, mainnet, signet and regtest attestations, real mainnet transaction ids around ours).
// The parser reads what the library writes, refuses truncated, edited, oversized and trailing
// bytes with their codes, and agrees with the library on what is not a proof.
#include "anchor/Merkle.h"
#include "anchor/Ots.h"
#include "crypto/Sha256.h"
#include "support/OtsCheck.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;

namespace {

QByteArray bytes(const Bytes32& b)
{
    return QByteArray(reinterpret_cast<const char*>(b.data()), 32);
}

QByteArray sha(QByteArrayView b)
{
    return bytes(Sha256::hash(b));
}

QByteArray randomBytes(qsizetype n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (char& c : b)
        c = char(QRandomGenerator::global()->bounded(256));
    return b;
}

/// The transaction ids of mainnet block 100,000 (tests/data/vectors/block-100000.json).
QList<btc::Txid> realTxids()
{
    QFile f(QStringLiteral(UW_TEST_DATA "/vectors/block-100000.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing block-100000.json");
    QList<btc::Txid> out;
    for (const QJsonValue& v : QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("tx")).toArray())
        out.append(btc::Txid::fromHex(v.toString()).value());
    return out;
}

/// A confirmed round as the service has it: the digests, their tree, the transaction carrying
/// the root in an anchor script (`6a24 55574101 ‖ root`, docs/PROTOCOL.md), and the block.
struct Round
{
    QList<QByteArray> digests;
    merkle::Tree tree;
    QByteArray tx; ///< non-witness serialization
    qsizetype rootOffset = -1;
    QList<btc::Txid> block;
    qsizetype txIndex = 0;
    QByteArray blockRoot; ///< internal byte order, as in the header
};

Round makeRound(qsizetype digests, const QList<btc::Txid>& others, qsizetype txIndex)
{
    QList<QByteArray> d;
    for (qsizetype i = 0; i < digests; ++i)
        d.append(sha(QByteArray(QByteArray("document ") + QByteArray::number(i) + randomBytes(8))));
    merkle::Tree tree = merkle::Tree::build(d).value();
    btc::Transaction tx;
    btc::TxIn in;
    in.prevout.txid.bytes = Sha256::hash(randomBytes(32));
    in.prevout.vout = 1;
    in.witness = {randomBytes(71), randomBytes(33)}; // not part of the txid
    tx.inputs.append(in);
    tx.outputs.append(btc::TxOut{0, QByteArray::fromHex("6a2455574101") + tree.root()});
    tx.outputs.append(btc::TxOut{48'000, QByteArray::fromHex("0014") + randomBytes(20)});
    QList<btc::Txid> block = others;
    block.insert(txIndex, tx.txid());
    const QByteArray txBytes = tx.serialize(false);
    const qsizetype offset = txBytes.indexOf(QByteArray(QByteArray::fromHex("6a2455574101") + tree.root())) + 6;
    return Round{d, tree, txBytes, offset, block, txIndex, merkle::blockRoot(block)};
}

QByteArray varuint(std::uint64_t v)
{
    // Only for building hostile inputs; what the wallet writes is checked by the upstream library.
    QByteArray out;
    do {
        std::uint8_t b = v & 0x7f;
        v >>= 7;
        out.append(char(v ? b | 0x80 : b));
    } while (v);
    return out;
}

QByteArray head(const QByteArray& digest)
{
    return ots::magic() + QByteArray("\x01\x08", 2) + digest;
}

QByteArray bitcoinAttestation(const QByteArray& payload)
{
    return QByteArray(1, '\0') + QByteArray::fromHex("0588960d73d71901") + varuint(payload.size()) + payload;
}

/// A valid proof with each kind of operation.
QByteArray baseProof()
{
    const QByteArray digest = sha("base");
    return head(digest) +
           "\xf0\x03"
           "abc"
           "\x08"
           "\xf1\x02"
           "xy"
           "\x08" +
           bitcoinAttestation(varuint(100014));
}

} // namespace

class TestOts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void headerAndTags();
    void tagsAreDocumented();
    void roundTrip_data();
    void roundTrip();
    void upstreamReadsOurProofs();
    void weReadUpstreamProofs();
    void upstreamRefusesWhatWeRefuse();
    void parseRefuses_data();
    void parseRefuses();
    void boundsAccepted();
    void everyTruncationRefused();
    void everyEditRefusedOrProvesSomethingElse();
    void unknownAttestationKept();
    void buildRefuses();
};

void TestOts::headerAndTags()
{
    // OpenTimestamps' constants (python-opentimestamps: DetachedTimestampFile.HEADER_MAGIC and
    // BitcoinBlockHeaderAttestation.TAG).
    QCOMPARE(ots::magic(), QByteArray("\x00OpenTimestamps\x00\x00Proof\x00\xbf\x89\xe2\xe8\x84\xe8\x92\x94", 31));
    QCOMPARE(ots::attestationTag(btc::Network::Mainnet).toHex(), QByteArray("0588960d73d71901"));
    // The project's own: the first 8 bytes of SHA-256 of a fixed text.
    QCOMPARE(ots::attestationTag(btc::Network::Signet), sha("userwallet.ots.attestation.bitcoin-signet").left(8));
    QCOMPARE(ots::attestationTag(btc::Network::Regtest), sha("userwallet.ots.attestation.bitcoin-regtest").left(8));
    QCOMPARE(ots::kindOf(ots::attestationTag(btc::Network::Mainnet)), ots::AttestationKind::Bitcoin);
    QCOMPARE(ots::kindOf(ots::attestationTag(btc::Network::Signet)), ots::AttestationKind::Signet);
    QCOMPARE(ots::kindOf(ots::attestationTag(btc::Network::Regtest)), ots::AttestationKind::Regtest);
    QCOMPARE(ots::kindOf(QByteArray::fromHex("83dfe30d2ef90c8e")), ots::AttestationKind::Unknown); // pending
}

void TestOts::tagsAreDocumented()
{
    QFile f(QStringLiteral(UW_SOURCE_DIR "/docs/PROTOCOL.md"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString doc = QString::fromUtf8(f.readAll());
    const qsizetype at = doc.indexOf(QStringLiteral("<!-- table: ots-attestations -->"));
    QVERIFY2(at >= 0, "docs/PROTOCOL.md has no table of the attestation tags");
    QHash<QString, QString> documented;
    const QStringList lines = doc.mid(at).split(QLatin1Char('\n'));
    for (qsizetype i = 3; i < lines.size() && lines[i].startsWith(QLatin1Char('|')); ++i) {
        const QStringList cells = lines[i].split(QLatin1Char('|'));
        if (cells.size() > 3)
            documented.insert(cells[1].trimmed(), cells[2].trimmed().remove(QLatin1Char('`')));
    }
    QCOMPARE(documented.value(QStringLiteral("mainnet")),
             QString::fromLatin1(ots::attestationTag(btc::Network::Mainnet).toHex()));
    QCOMPARE(documented.value(QStringLiteral("signet, testnet")),
             QString::fromLatin1(ots::attestationTag(btc::Network::Signet).toHex()));
    QCOMPARE(documented.value(QStringLiteral("regtest")),
             QString::fromLatin1(ots::attestationTag(btc::Network::Regtest).toHex()));
}

void TestOts::roundTrip_data()
{
    QTest::addColumn<int>("digests");
    QTest::addColumn<int>("txIndex");
    QTest::addColumn<int>("network");
    QTest::newRow("1 digest, only transaction, mainnet") << 1 << 0 << int(btc::Network::Mainnet);
    QTest::newRow("1 digest, after the coinbase, signet") << 1 << 1 << int(btc::Network::Signet);
    QTest::newRow("5 digests, last (paired with itself), signet") << 5 << 4 << int(btc::Network::Signet);
    QTest::newRow("5 digests, middle, regtest") << 5 << 2 << int(btc::Network::Regtest);
    QTest::newRow("33 digests, mainnet") << 33 << 3 << int(btc::Network::Mainnet);
}

void TestOts::roundTrip()
{
    QFETCH(int, digests);
    QFETCH(int, txIndex);
    QFETCH(int, network);
    const QList<btc::Txid> others = txIndex == 0 ? QList<btc::Txid>{} : realTxids();
    const Round r = makeRound(digests, others, txIndex);
    QCOMPARE(ots::rootOffset(r.tx, r.tree.root()), r.rootOffset);
    const std::uint32_t height = 100'000 + std::uint32_t(QRandomGenerator::global()->bounded(900'000));
    auto all = ots::RoundProofs::create(r.tree, r.tx, r.block, r.txIndex, height, btc::Network(network));
    QVERIFY2(all, all ? "" : qPrintable(all.error().message));
    for (qsizetype i = 0; i < digests; ++i) {
        auto proof = ots::buildProof(r.digests[i], *r.tree.path(i), r.tx, r.rootOffset, r.block, r.txIndex, height,
                                     btc::Network(network));
        QVERIFY2(proof, proof ? "" : qPrintable(proof.error().message));
        const QByteArray written = ots::serialize(*proof);
        // The fast writer for a whole round writes the same bytes.
        QCOMPARE(all->proof(i), written);
        auto parsed = ots::parse(written);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(*parsed, *proof);
        QCOMPARE(ots::serialize(*parsed), written);
        auto replayed = ots::replay(*parsed);
        QVERIFY(replayed);
        QCOMPARE(replayed->digest, r.digests[i]);
        QCOMPARE(replayed->commitment, r.blockRoot);
        QCOMPARE(replayed->height, height);
        QCOMPARE(replayed->kind, ots::kindOf(ots::attestationTag(btc::Network(network))));
    }
}

void TestOts::upstreamReadsOurProofs()
{
    struct Case
    {
        QString file;
        QByteArray digest;
        QByteArray blockRoot;
        btc::Network network;
        std::uint32_t height;
        qsizetype ops;
    };
    QTemporaryDir dir;
    QList<Case> cases;
    auto write = [&](const Round& r, qsizetype i, btc::Network network, std::uint32_t height) {
        auto proof =
            ots::buildProof(r.digests[i], *r.tree.path(i), r.tx, r.rootOffset, r.block, r.txIndex, height, network);
        QVERIFY2(proof, proof ? "" : qPrintable(proof.error().message));
        const QString path = dir.filePath(QStringLiteral("proof-%1.ots").arg(cases.size()));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(ots::serialize(*proof));
        cases.append(Case{path, r.digests[i], r.blockRoot, network, height, proof->ops.size()});
    };
    const QList<btc::Txid> real = realTxids();
    // A round of one digest: the old one-digest-per-transaction format; alone in its block, then
    // among real transactions.
    write(makeRound(1, {}, 0), 0, btc::Network::Mainnet, 840'000);
    write(makeRound(1, real, 2), 0, btc::Network::Mainnet, 100'001);
    // A round of five, each index, on signet: fifth in a block of five (so paired with itself).
    const Round five = makeRound(5, real, 4);
    for (qsizetype i = 0; i < 5; ++i)
        write(five, i, btc::Network::Signet, 200'000 + std::uint32_t(i));
    // The same round confirmed on mainnet, first after the coinbase, and on regtest.
    const Round fiveMain = makeRound(5, real, 1);
    for (qsizetype i = 0; i < 5; ++i)
        write(fiveMain, i, btc::Network::Mainnet, 900'000 + std::uint32_t(i));
    write(makeRound(2, real, 3), 1, btc::Network::Regtest, 101);

    QStringList files;
    for (const Case& c : cases)
        files.append(c.file);
    const auto run = test::runOtsCheck(files);
    QVERIFY2(run.exitCode == 0, qPrintable(QStringLiteral("ots_check.py refused a proof (python3-opentimestamps is "
                                                          "installed by scripts/setup.sh): %1 %2")
                                               .arg(QString::fromUtf8(run.out), QString::fromUtf8(run.err))));
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), cases.size());
    for (qsizetype i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
        QCOMPARE(o.value(QStringLiteral("file")).toString(), c.file);
        QVERIFY(o.value(QStringLiteral("ok")).toBool());
        QCOMPARE(o.value(QStringLiteral("hash_op")).toString(), QStringLiteral("sha256"));
        QCOMPARE(o.value(QStringLiteral("digest")).toString(), QString::fromLatin1(c.digest.toHex()));
        QCOMPARE(o.value(QStringLiteral("ops")).toInteger(), c.ops);
        // What the attestation is about, reached by the library's own operations: the block's root.
        QCOMPARE(o.value(QStringLiteral("commitment")).toString(), QString::fromLatin1(c.blockRoot.toHex()));
        const QJsonArray att = o.value(QStringLiteral("attestations")).toArray();
        QCOMPARE(att.size(), 1);
        const QJsonObject a = att[0].toObject();
        if (c.network == btc::Network::Mainnet) {
            QCOMPARE(a.value(QStringLiteral("kind")).toString(), QStringLiteral("BitcoinBlockHeaderAttestation"));
            QCOMPARE(a.value(QStringLiteral("height")).toInteger(), qint64(c.height));
        } else {
            QCOMPARE(a.value(QStringLiteral("kind")).toString(), QStringLiteral("UnknownAttestation"));
            QCOMPARE(a.value(QStringLiteral("tag")).toString(),
                     QString::fromLatin1(ots::attestationTag(c.network).toHex()));
            QCOMPARE(a.value(QStringLiteral("payload_varuint")).toInteger(), qint64(c.height));
        }
    }
}

void TestOts::weReadUpstreamProofs()
{
    // Timestamps serialized by the library (its make_merkle_tree over 7 digests, a Bitcoin
    // attestation on the root), behind the detached file's header: parsed, and replayed to its root.
    QList<QByteArray> digests;
    QJsonArray leaves;
    for (int i = 0; i < 7; ++i) {
        digests.append(sha(randomBytes(16)));
        leaves.append(QString::fromLatin1(digests.last().toHex()));
    }
    const auto run =
        test::runOtsCheck({QStringLiteral("--merkle")},
                          QJsonDocument(QJsonObject{{QStringLiteral("trees"), QJsonArray{leaves}}}).toJson());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject tree = QJsonDocument::fromJson(run.out).object().value(QStringLiteral("trees"))[0].toObject();
    const QByteArray root = QByteArray::fromHex(tree.value(QStringLiteral("root")).toString().toLatin1());
    const QJsonArray stamps = tree.value(QStringLiteral("leaves")).toArray();
    QCOMPARE(stamps.size(), 7);
    for (qsizetype i = 0; i < 7; ++i) {
        const QByteArray file = head(digests[i]) + QByteArray::fromHex(stamps[i].toString().toLatin1());
        auto parsed = ots::parse(file);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(ots::serialize(*parsed), file);
        auto replayed = ots::replay(*parsed);
        QVERIFY(replayed);
        QCOMPARE(replayed->commitment, root);
        QCOMPARE(replayed->kind, ots::AttestationKind::Bitcoin);
        QCOMPARE(replayed->height, 0u);
    }
}

void TestOts::upstreamRefusesWhatWeRefuse()
{
    const QByteArray base = baseProof();
    QVERIFY(ots::parse(base));
    QByteArray magicEdited = base;
    magicEdited[1] = 'o';
    QByteArray version2 = base;
    version2[ots::magic().size()] = '\x02';
    const QList<QByteArray> bad{base.chopped(1), base.left(base.size() / 2), QByteArray(base + "x"), magicEdited,
                                version2};
    QTemporaryDir dir;
    QStringList files;
    for (const QByteArray& b : bad) {
        QVERIFY(!ots::parse(b));
        files.append(dir.filePath(QStringLiteral("bad-%1.ots").arg(files.size())));
        QFile f(files.last());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(b);
    }
    // And the honest one, so that a library that refuses everything is noticed.
    files.append(dir.filePath(QStringLiteral("good.ots")));
    QFile good(files.last());
    QVERIFY(good.open(QIODevice::WriteOnly));
    good.write(base);
    good.close();
    const auto run = test::runOtsCheck(files);
    QCOMPARE(run.exitCode, 1);
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QCOMPARE(lines.size(), files.size());
    for (qsizetype i = 0; i < bad.size(); ++i)
        QVERIFY2(!QJsonDocument::fromJson(lines[i]).object().value(QStringLiteral("ok")).toBool(),
                 lines[i].constData());
    QVERIFY2(QJsonDocument::fromJson(lines.last()).object().value(QStringLiteral("ok")).toBool(),
             lines.last().constData());
}

void TestOts::parseRefuses_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("code");
    const QByteArray d = sha("digest");
    const QByteArray att = bitcoinAttestation(varuint(100014));
    const QByteArray base = baseProof();
    QByteArray magicEdited = base;
    magicEdited[3] = 'o';

    QTest::newRow("empty") << QByteArray() << QStringLiteral("ots_truncated");
    QTest::newRow("not a proof") << QByteArray("%PDF-1.7 not a proof at all, but long enough")
                                 << QStringLiteral("ots_bad_magic");
    QTest::newRow("magic edited") << QByteArray(magicEdited) << QStringLiteral("ots_bad_magic");
    QTest::newRow("version 2") << QByteArray(ots::magic() + "\x02\x08" + d + "\x08" + att)
                               << QStringLiteral("ots_bad_version");
    QTest::newRow("version 0") << QByteArray(ots::magic() + QByteArray("\x00\x08", 2) + d + "\x08" + att)
                               << QStringLiteral("ots_bad_version");
    QTest::newRow("version 1 written long")
        << QByteArray(ots::magic() + QByteArray("\x81\x00\x08", 3) + d + att) << QStringLiteral("ots_bad_varuint");
    QTest::newRow("sha1 file hash") << QByteArray(ots::magic() + "\x01\x02" + d.left(20) + att)
                                    << QStringLiteral("ots_unsupported_hash");
    QTest::newRow("unknown file hash") << QByteArray(ots::magic() + "\x01\x42" + d + att)
                                       << QStringLiteral("ots_unsupported_hash");
    QTest::newRow("unknown op") << QByteArray(head(d) + "\x42" + att) << QStringLiteral("ots_unknown_op");
    QTest::newRow("reverse op") << QByteArray(head(d) + "\xf2" + att) << QStringLiteral("ots_unknown_op");
    QTest::newRow("fork") << QByteArray(head(d) + "\xff" + att + "\x08" + att) << QStringLiteral("ots_fork");
    QTest::newRow("empty append") << QByteArray(head(d) + QByteArray("\xf0\x00", 2) + "\x08" + att)
                                  << QStringLiteral("ots_empty_arg");
    QTest::newRow("append of 4097 bytes")
        << QByteArray(head(d) + "\xf0" + varuint(4097) + QByteArray(4097, 'a') + "\x08" + att)
        << QStringLiteral("ots_message_too_long");
    QTest::newRow("message grows past 4096")
        << QByteArray(head(d) + "\xf0" + varuint(4064) + QByteArray(4064, 'a') + "\xf1\x01z" + "\x08" + att)
        << QStringLiteral("ots_message_too_long");
    QTest::newRow("length past the end") << QByteArray(head(d) + "\xf0\x20" + "only ten b")
                                         << QStringLiteral("ots_truncated");
    QTest::newRow("length over 63 bits") << QByteArray(head(d) + "\xf0" + QByteArray(9, '\xff') + "\x01")
                                         << QStringLiteral("ots_bad_varuint");
    QTest::newRow("256 operations") << QByteArray(head(d) + QByteArray(256, '\x08') + att)
                                    << QStringLiteral("ots_too_many_ops");
    QTest::newRow("no attestation") << QByteArray(head(d) + "\x08") << QStringLiteral("ots_truncated");
    QTest::newRow("attestation tag cut") << QByteArray(head(d) + "\x08" + att.left(5))
                                         << QStringLiteral("ots_truncated");
    QTest::newRow("attestation payload cut") << QByteArray(base.chopped(1)) << QStringLiteral("ots_truncated");
    QTest::newRow("payload of 8193 bytes")
        << QByteArray(head(d) + "\x08" + QByteArray(1, '\0') + "pendingX" + varuint(8193) + QByteArray(8193, 'u'))
        << QStringLiteral("ots_payload_too_long");
    QTest::newRow("bitcoin payload empty")
        << QByteArray(head(d) + "\x08" + bitcoinAttestation({})) << QStringLiteral("ots_bad_attestation");
    QTest::newRow("bitcoin payload with a byte more")
        << QByteArray(head(d) + "\x08" + bitcoinAttestation(varuint(5) + "x")) << QStringLiteral("ots_bad_attestation");
    QTest::newRow("bitcoin height 2^31") << QByteArray(head(d) + "\x08" + bitcoinAttestation(varuint(1ull << 31)))
                                         << QStringLiteral("ots_bad_attestation");
    QTest::newRow("bitcoin height written long")
        << QByteArray(head(d) + "\x08" + bitcoinAttestation(QByteArray("\x85\x00", 2)))
        << QStringLiteral("ots_bad_attestation");
    QTest::newRow("signet payload not a varuint")
        << QByteArray(head(d) + "\x08" + QByteArray(1, '\0') + ots::attestationTag(btc::Network::Signet) + "\x01\x80")
        << QStringLiteral("ots_bad_attestation");
    QTest::newRow("trailing byte") << QByteArray(base + "\n") << QStringLiteral("ots_trailing_bytes");
    QTest::newRow("two proofs") << QByteArray(base + base) << QStringLiteral("ots_trailing_bytes");
    QTest::newRow("too large") << QByteArray(ots::magic() + QByteArray(2 * 1024 * 1024, '\x08'))
                               << QStringLiteral("ots_too_large");
}

void TestOts::parseRefuses()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, code);
    auto parsed = ots::parse(input);
    QVERIFY2(!parsed, "accepted");
    QCOMPARE(parsed.error().code, code);
    QVERIFY(!parsed.error().message.isEmpty());
    QVERIFY2(parsed.error().message.endsWith(QLatin1Char('.')), qPrintable(parsed.error().message));
}

void TestOts::boundsAccepted()
{
    const QByteArray d = sha("digest");
    const QByteArray att = bitcoinAttestation(varuint(0x7fffffff));
    // A message of exactly 4096 bytes, 255 operations, a payload of 8192 bytes.
    auto big = ots::parse(QByteArray(head(d) + "\xf0" + varuint(4064) + QByteArray(4064, 'a') + "\x08" + att));
    QVERIFY2(big, big ? "" : qPrintable(big.error().message));
    QCOMPARE(ots::replay(*big)->height, 0x7fffffffu);
    QVERIFY(ots::parse(QByteArray(head(d) + QByteArray(255, '\x08') + att)));
    const QByteArray pending = QByteArray(1, '\0') + "pendingX" + varuint(8192) + QByteArray(8192, 'u');
    QVERIFY(ots::parse(QByteArray(head(d) + "\x08" + pending)));
    // Exactly OpenTimestamps' sha256 on the way.
    auto p = ots::parse(QByteArray(head(d) + "\x08\x08" + att));
    QVERIFY(p);
    QCOMPARE(ots::replay(*p)->commitment, sha(sha(d)));
}

void TestOts::everyTruncationRefused()
{
    const Round r = makeRound(5, realTxids(), 2);
    const QByteArray full = ots::serialize(ots::buildProof(r.digests[3], *r.tree.path(3), r.tx, r.rootOffset, r.block,
                                                           r.txIndex, 123, btc::Network::Signet)
                                               .value());
    QVERIFY(ots::parse(full));
    for (qsizetype n = 0; n < full.size(); ++n) {
        auto parsed = ots::parse(full.left(n));
        if (parsed || parsed.error().code != QLatin1String("ots_truncated"))
            QFAIL(qPrintable(QStringLiteral("cut at %1 of %2: %3")
                                 .arg(n)
                                 .arg(full.size())
                                 .arg(parsed ? QStringLiteral("accepted") : parsed.error().code)));
    }
}

void TestOts::everyEditRefusedOrProvesSomethingElse()
{
    const Round r = makeRound(5, realTxids(), 1);
    const ots::Proof proof = ots::buildProof(r.digests[0], *r.tree.path(0), r.tx, r.rootOffset, r.block, r.txIndex,
                                             100'014, btc::Network::Mainnet)
                                 .value();
    const QByteArray full = ots::serialize(proof);
    const ots::Replayed honest = ots::replay(proof).value();
    int refused = 0;
    for (qsizetype i = 0; i < full.size(); ++i) {
        for (char mask : {char(0x01), char(0x80), char(0xff)}) {
            QByteArray edited = full;
            edited[i] = char(edited[i] ^ mask);
            auto parsed = ots::parse(edited);
            if (!parsed) {
                ++refused;
                continue;
            }
            auto replayed = ots::replay(*parsed);
            QVERIFY(replayed);
            const bool same = replayed->digest == honest.digest && replayed->commitment == honest.commitment &&
                              replayed->kind == honest.kind && replayed->height == honest.height;
            if (same)
                QFAIL(qPrintable(QStringLiteral("byte %1 ^ %2 proves the same thing").arg(i).arg(int(uchar(mask)))));
        }
    }
    QVERIFY(refused > 0);
}

void TestOts::unknownAttestationKept()
{
    // A pending calendar attestation (OpenTimestamps' tag 83dfe30d2ef90c8e): read, kind Unknown.
    const QByteArray d = sha("digest");
    const QByteArray uri = "https://alice.btc.calendar.opentimestamps.org";
    const QByteArray payload = varuint(uri.size()) + uri;
    const QByteArray file = head(d) + "\x08" + QByteArray(1, '\0') + QByteArray::fromHex("83dfe30d2ef90c8e") +
                            varuint(payload.size()) + payload;
    auto parsed = ots::parse(file);
    QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
    QCOMPARE(parsed->attestation.payload, payload);
    auto replayed = ots::replay(*parsed);
    QVERIFY(replayed);
    QCOMPARE(replayed->kind, ots::AttestationKind::Unknown);
    QCOMPARE(ots::kindName(replayed->kind), QStringLiteral("unknown"));
    QCOMPARE(ots::serialize(*parsed), file);
}

void TestOts::buildRefuses()
{
    const Round r = makeRound(5, realTxids(), 2);
    const merkle::Path p = *r.tree.path(1);
    const QByteArray d = r.digests[1];
    auto code = [](const Result<ots::Proof>& res) { return res ? QStringLiteral("accepted") : res.error().code; };
    const auto net = btc::Network::Signet;
    QVERIFY(ots::buildProof(d, p, r.tx, r.rootOffset, r.block, r.txIndex, 7, net));
    QCOMPARE(code(ots::buildProof(d.left(31), p, r.tx, r.rootOffset, r.block, r.txIndex, 7, net)),
             QStringLiteral("ots_bad_digest"));
    QCOMPARE(code(ots::buildProof(r.digests[2], p, r.tx, r.rootOffset, r.block, r.txIndex, 7, net)),
             QStringLiteral("ots_root_not_in_tx"));
    merkle::Path edited = p;
    edited[0].sibling[0] = char(edited[0].sibling[0] ^ 1);
    QCOMPARE(code(ots::buildProof(d, edited, r.tx, r.rootOffset, r.block, r.txIndex, 7, net)),
             QStringLiteral("ots_root_not_in_tx"));
    for (qsizetype off : {r.rootOffset - 1, r.rootOffset + 1, qsizetype(-1), r.tx.size() - 31, r.tx.size()})
        QCOMPARE(code(ots::buildProof(d, p, r.tx, off, r.block, r.txIndex, 7, net)),
                 QStringLiteral("ots_root_not_in_tx"));
    QCOMPARE(code(ots::buildProof(d, p, r.tx, r.rootOffset, r.block, r.txIndex + 1, 7, net)),
             QStringLiteral("ots_tx_not_in_block"));
    QCOMPARE(code(ots::buildProof(d, p, r.tx, r.rootOffset, r.block, r.block.size(), 7, net)),
             QStringLiteral("merkle_bad_index"));
    QCOMPARE(code(ots::buildProof(d, p, r.tx, r.rootOffset, {}, 0, 7, net)), QStringLiteral("merkle_empty"));
    QCOMPARE(code(ots::buildProof(d, p, r.tx, r.rootOffset, r.block, r.txIndex, 0x80000000u, net)),
             QStringLiteral("ots_bad_height"));
    // A transaction longer than an OpenTimestamps message can be.
    QByteArray huge = r.tx;
    huge.insert(10, QByteArray(4100, 'p'));
    QCOMPARE(code(ots::buildProof(d, p, huge, r.rootOffset + 4100, r.block, r.txIndex, 7, net)),
             QStringLiteral("ots_tx_too_large"));
    // The whole-round writer checks the same links.
    auto wrongTx = ots::RoundProofs::create(r.tree, makeRound(5, {}, 0).tx, r.block, r.txIndex, 7, net);
    QVERIFY(!wrongTx);
    QCOMPARE(wrongTx.error().code, QStringLiteral("ots_root_not_in_tx"));
    auto wrongIndex = ots::RoundProofs::create(r.tree, r.tx, r.block, 0, 7, net);
    QVERIFY(!wrongIndex);
    QCOMPARE(wrongIndex.error().code, QStringLiteral("ots_tx_not_in_block"));
}

QTEST_GUILESS_MAIN(TestOts)
#include "test_ots.moc"
