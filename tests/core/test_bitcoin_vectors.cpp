// Bitcoin primitives against the official vectors: BIP143 native P2WPKH, BIP341 wallet
// vectors (scriptPubKeys and key-path spending), BIP173/BIP350 strings and addresses.
#include "bitcoin/Bech32.h"
#include "bitcoin/Hashes.h"
#include "bitcoin/Keys.h"
#include "bitcoin/Script.h"
#include "bitcoin/Sighash.h"
#include "support/Vectors.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace uw;
using namespace uw::btc;

namespace {

QByteArray hex(const QJsonValue& v)
{
    return fromHexAnyCase(v.toString()).value();
}

Bytes32 b32(const QJsonValue& v)
{
    const QByteArray b = hex(v);
    Bytes32 out{};
    std::copy(b.begin(), b.end(), out.begin());
    return out;
}

SecretKey secret(const QJsonValue& v)
{
    const QByteArray b = hex(v);
    return SecretKey(reinterpret_cast<const std::uint8_t*>(b.constData()));
}

/// The Merkle root of a BIP341 script tree given as JSON (leaf object or [left, right]).
Bytes32 treeRoot(const QJsonValue& node)
{
    if (node.isObject())
        return keys::tapLeafHash(std::uint8_t(node.toObject().value(QStringLiteral("leafVersion")).toInt()),
                                 hex(node.toObject().value(QStringLiteral("script"))));
    const QJsonArray a = node.toArray();
    return keys::tapBranchHash(treeRoot(a.at(0)), treeRoot(a.at(1)));
}

QByteArray scriptForProgram(int version, const QByteArray& program)
{
    QByteArray s(1, char(version == 0 ? 0 : 0x50 + version));
    s.append(char(program.size()));
    return s + program;
}

} // namespace

class TestBitcoinVectors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bip143NativeP2wpkh();
    void bip341ScriptPubKeys();
    void bip341KeyPathSpending();
    void bech32Strings();
    void segwitAddresses();
    void transactionRoundTrip();
    void hash160AndDust();
};

void TestBitcoinVectors::bip143NativeP2wpkh()
{
    const QJsonObject v = uw::test::loadVectors("bip143-native-p2wpkh.json");
    Transaction tx = Transaction::deserialize(hex(v.value(QStringLiteral("unsigned_tx")))).value();
    QCOMPARE(tx.serialize(), hex(v.value(QStringLiteral("unsigned_tx"))));
    const QJsonObject in1 = v.value(QStringLiteral("inputs")).toArray().at(1).toObject();
    const SecretKey key = secret(in1.value(QStringLiteral("private_key")));
    const QByteArray pub = keys::compressedPublicKey(key).value();
    QCOMPARE(pub, hex(in1.value(QStringLiteral("public_key"))));
    QCOMPARE(script::p2wpkh(hash160(pub)), hex(in1.value(QStringLiteral("scriptPubKey"))));

    const QJsonObject expected = v.value(QStringLiteral("sighash_all_input1")).toObject();
    const Bytes32 sighash = sighashBip143(tx, 1, script::p2pkhScriptCode(hash160(pub)),
                                          in1.value(QStringLiteral("value_sat")).toInteger(), SIGHASH_ALL);
    QCOMPARE(toHex(sighash), expected.value(QStringLiteral("sighash")).toString());
    const QByteArray sig = keys::signEcdsa(key, sighash).value() + char(SIGHASH_ALL);
    QCOMPARE(sig, hex(expected.value(QStringLiteral("der_signature_with_hashtype"))));

    // The signed transaction: our witness for input 1, the vector's P2PK scriptSig for input 0.
    const Transaction signedTx = Transaction::deserialize(hex(v.value(QStringLiteral("signed_tx")))).value();
    tx.inputs[0].scriptSig = signedTx.inputs[0].scriptSig;
    tx.inputs[1].witness = {sig, pub};
    QCOMPARE(tx.serialize(), hex(v.value(QStringLiteral("signed_tx"))));
    QCOMPARE(tx.txid(), signedTx.txid());
}

void TestBitcoinVectors::bip341ScriptPubKeys()
{
    const QJsonArray cases =
        uw::test::loadVectors("bip341-wallet-test-vectors.json").value(QStringLiteral("scriptPubKey")).toArray();
    QCOMPARE(cases.size(), 7);
    for (const QJsonValue& c : cases) {
        const QJsonObject given = c.toObject().value(QStringLiteral("given")).toObject();
        const QJsonObject inter = c.toObject().value(QStringLiteral("intermediary")).toObject();
        const QJsonObject expected = c.toObject().value(QStringLiteral("expected")).toObject();
        std::optional<Bytes32> root;
        if (!given.value(QStringLiteral("scriptTree")).isNull()) {
            root = treeRoot(given.value(QStringLiteral("scriptTree")));
            QCOMPARE(toHex(*root), inter.value(QStringLiteral("merkleRoot")).toString());
        }
        const Bytes32 internal = b32(given.value(QStringLiteral("internalPubkey")));
        QCOMPARE(toHex(keys::tapTweak(internal, root)), inter.value(QStringLiteral("tweak")).toString());
        const Bytes32 output = keys::taprootOutputKey(internal, root).value();
        QCOMPARE(toHex(output), inter.value(QStringLiteral("tweakedPubkey")).toString());
        QCOMPARE(script::p2tr(output), hex(expected.value(QStringLiteral("scriptPubKey"))));
        QCOMPARE(bech32::encodeAddress(QStringLiteral("bc"), 1, bytes(output)).value(),
                 expected.value(QStringLiteral("bip350Address")).toString());
    }
}

void TestBitcoinVectors::bip341KeyPathSpending()
{
    const QJsonObject v = uw::test::loadVectors("bip341-wallet-test-vectors.json")
                              .value(QStringLiteral("keyPathSpending"))
                              .toArray()
                              .at(0)
                              .toObject();
    const QJsonObject given = v.value(QStringLiteral("given")).toObject();
    Transaction tx = Transaction::deserialize(hex(given.value(QStringLiteral("rawUnsignedTx")))).value();
    QList<TxOut> spent;
    for (const QJsonValue& u : given.value(QStringLiteral("utxosSpent")).toArray())
        spent.append(TxOut{u.toObject().value(QStringLiteral("amountSats")).toInteger(),
                           hex(u.toObject().value(QStringLiteral("scriptPubKey")))});
    const QJsonArray inputs = v.value(QStringLiteral("inputSpending")).toArray();
    QCOMPARE(inputs.size(), 7);
    for (const QJsonValue& iv : inputs) {
        const QJsonObject g = iv.toObject().value(QStringLiteral("given")).toObject();
        const QJsonObject inter = iv.toObject().value(QStringLiteral("intermediary")).toObject();
        const int n = g.value(QStringLiteral("txinIndex")).toInt();
        const auto hashType = std::uint8_t(g.value(QStringLiteral("hashType")).toInt());
        std::optional<Bytes32> root;
        if (!g.value(QStringLiteral("merkleRoot")).isNull())
            root = b32(g.value(QStringLiteral("merkleRoot")));
        QCOMPARE(toHex(sigMsgBip341(tx, n, spent, hashType).value()), inter.value(QStringLiteral("sigMsg")).toString());
        const Bytes32 sighash = sighashBip341(tx, n, spent, hashType).value();
        QCOMPARE(toHex(sighash), inter.value(QStringLiteral("sigHash")).toString());
        const SecretKey internal = secret(g.value(QStringLiteral("internalPrivkey")));
        const SecretKey tweaked = keys::taprootTweakedSecret(internal, root).value();
        QCOMPARE(toHex(tweaked.data(), 32), inter.value(QStringLiteral("tweakedPrivkey")).toString());
        // BIP341's vectors sign with all-zero auxiliary randomness.
        const Bytes64 s = keys::signTaproot(internal, root, sighash, Bytes32{}).value();
        QByteArray sig(reinterpret_cast<const char*>(s.data()), 64);
        if (hashType != SIGHASH_DEFAULT)
            sig.append(char(hashType));
        const QByteArray expected = hex(iv.toObject()
                                            .value(QStringLiteral("expected"))
                                            .toObject()
                                            .value(QStringLiteral("witness"))
                                            .toArray()
                                            .at(0));
        QCOMPARE(sig.toHex(), expected.toHex());
        tx.inputs[n].witness = {sig};
    }
}

void TestBitcoinVectors::bech32Strings()
{
    const QJsonObject v = uw::test::loadVectors("bech32-test-vectors.json");
    for (const auto& [name, encoding] : {std::pair{QStringLiteral("bech32"), bech32::Encoding::Bech32},
                                         std::pair{QStringLiteral("bech32m"), bech32::Encoding::Bech32m}}) {
        const QJsonObject set = v.value(name).toObject();
        for (const QJsonValue& s : set.value(QStringLiteral("valid_strings")).toArray()) {
            auto d = bech32::decode(s.toString());
            QVERIFY2(d.ok(), qPrintable(s.toString()));
            QCOMPARE(d->encoding, encoding);
            QCOMPARE(bech32::encode(encoding, d->hrp, d->data), s.toString().toLower());
        }
        for (const QJsonValue& s : set.value(QStringLiteral("invalid_strings")).toArray()) {
            const QString text = s.toObject().value(QStringLiteral("string")).toString();
            auto d = bech32::decode(text);
            QVERIFY2(!d.ok() || d->encoding != encoding,
                     qPrintable(s.toObject().value(QStringLiteral("reason")).toString()));
        }
    }
}

void TestBitcoinVectors::segwitAddresses()
{
    const QJsonObject v = uw::test::loadVectors("bech32-test-vectors.json");
    int valid = 0, invalid = 0, superseded = 0;
    for (const QString& name : {QStringLiteral("bech32"), QStringLiteral("bech32m")}) {
        for (const QJsonValue& a : v.value(name).toObject().value(QStringLiteral("valid_addresses")).toArray()) {
            const QString address = a.toObject().value(QStringLiteral("address")).toString();
            const QString hrp = address.left(address.lastIndexOf(QLatin1Char('1'))).toLower();
            auto p = bech32::decodeAddress(hrp, address);
            // BIP173's v1+ addresses use bech32, which BIP350 replaced by bech32m for v1+: refused now.
            const QByteArray expectedScript = hex(a.toObject().value(QStringLiteral("scriptPubKey")));
            if (name == QLatin1String("bech32") && expectedScript[0] != 0) {
                QVERIFY2(!p.ok(), qPrintable(address));
                ++superseded;
                continue;
            }
            QVERIFY2(p.ok(), qPrintable(address));
            QCOMPARE(scriptForProgram(p->version, p->program), hex(a.toObject().value(QStringLiteral("scriptPubKey"))));
            QCOMPARE(bech32::encodeAddress(hrp, p->version, p->program).value(), address.toLower());
            ++valid;
        }
        for (const QJsonValue& a : v.value(name).toObject().value(QStringLiteral("invalid_addresses")).toArray()) {
            const QString address = a.toObject().value(QStringLiteral("address")).toString();
            for (const QString& hrp : {QStringLiteral("bc"), QStringLiteral("tb")})
                QVERIFY2(!bech32::decodeAddress(hrp, address).ok(), qPrintable(address));
            ++invalid;
        }
    }
    QCOMPARE(valid + superseded, 14);
    QCOMPARE(superseded, 3);
    QCOMPARE(invalid, 25);
}

void TestBitcoinVectors::transactionRoundTrip()
{
    QVERIFY(!Transaction::deserialize(QByteArray("\x01\x00", 2)).ok());
    QVERIFY(!Transaction::deserialize(QByteArray(100, '\xff')).ok());
    // Found by fuzz_transaction: a script length of 2^63 - 1 overflowed the bounds check (caught by
    // UBSan in the sanitized run; without it the check wrapped and passed).
    QByteArray huge = QByteArray::fromHex("02000000"
                                          "01") +
                      QByteArray(36, '\0') + QByteArray::fromHex("ffffffffffffffff7f");
    QVERIFY(!Transaction::deserialize(huge).ok());
    const QJsonObject v = uw::test::loadVectors("bip341-wallet-test-vectors.json")
                              .value(QStringLiteral("keyPathSpending"))
                              .toArray()
                              .at(0)
                              .toObject();
    const QByteArray full = hex(v.value(QStringLiteral("auxiliary")).toObject().value(QStringLiteral("fullySignedTx")));
    const Transaction tx = Transaction::deserialize(full).value();
    QCOMPARE(tx.serialize(), full);
    QVERIFY(tx.hasWitness());
    QVERIFY(tx.vsize() < qsizetype(full.size()));
    QVERIFY(!Transaction::deserialize(QByteArray(full + QByteArray(1, 0))).ok()); // trailing byte
}

void TestBitcoinVectors::hash160AndDust()
{
    QCOMPARE(hash160(QByteArray()).toHex(), QByteArray("b472a266d0bd89c13706a4132ccfb16f7c3b9fcb"));
    QCOMPARE(script::dustThreshold(script::p2wpkh(QByteArray(20, 1))), 294);
    QCOMPARE(script::dustThreshold(script::p2tr(Bytes32{})), 330);
}

QTEST_GUILESS_MAIN(TestBitcoinVectors)
#include "test_bitcoin_vectors.moc"
