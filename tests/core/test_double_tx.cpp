// The Bitcoin Core double's own transaction code (tests/double/DoubleTx), apart from the wallet's,
// on the official vectors: BIP143's native P2WPKH example and BIP341's key-path spending vectors
// (parsing and serialization, txid, signature messages and hashes, verification), Bitcoin Core's
// dust thresholds, and the transactions it must refuse to read.
#include "double/DoubleTx.h"
#include "support/Vectors.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace uw::test;

namespace {

QByteArray hex(const QJsonValue& v)
{
    return QByteArray::fromHex(v.toString().toLatin1());
}

dtx::Tx parsed(const QByteArray& raw)
{
    const dtx::Parsed p = dtx::parse(raw);
    if (!p.tx)
        qFatal("the vector does not parse: %s", qPrintable(p.error));
    return *p.tx;
}

} // namespace

class TestDoubleTx : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bip143NativeP2wpkh();
    void bip341KeyPathSpending();
    void dustThresholds();
    void unreadableTransactions_data();
    void unreadableTransactions();
};

void TestDoubleTx::bip143NativeP2wpkh()
{
    const QJsonObject v = uw::test::loadVectors("bip143-native-p2wpkh.json");
    const QByteArray unsignedRaw = hex(v.value(QStringLiteral("unsigned_tx")));
    const QByteArray signedRaw = hex(v.value(QStringLiteral("signed_tx")));
    const dtx::Tx unsignedTx = parsed(unsignedRaw);
    QCOMPARE(unsignedTx.serialize(true), unsignedRaw);
    QCOMPARE(unsignedTx.inputs.size(), 2);
    QCOMPARE(unsignedTx.outputs.size(), 2);
    QCOMPARE(unsignedTx.lockTime, 17u);

    const QJsonObject in1 = v.value(QStringLiteral("inputs")).toArray().at(1).toObject();
    const QByteArray script = hex(in1.value(QStringLiteral("scriptPubKey")));
    const std::int64_t amount = in1.value(QStringLiteral("value_sat")).toInteger();
    const QByteArray scriptCode = QByteArray::fromHex("76a914") + script.mid(2) + QByteArray::fromHex("88ac");
    const QJsonObject expected = v.value(QStringLiteral("sighash_all_input1")).toObject();
    QCOMPARE(dtx::bip143Preimage(unsignedTx, 1, scriptCode, amount, 1).toHex(),
             expected.value(QStringLiteral("preimage")).toString().toLatin1());
    QCOMPARE(dtx::bip143Sighash(unsignedTx, 1, scriptCode, amount, 1).toHex(),
             expected.value(QStringLiteral("sighash")).toString().toLatin1());
    QCOMPARE(dtx::hash160(hex(in1.value(QStringLiteral("public_key")))), script.mid(2));

    // The signed transaction: read back byte for byte, the same txid, input 1 verifies.
    const dtx::Tx signedTx = parsed(signedRaw);
    QCOMPARE(signedTx.serialize(true), signedRaw);
    QCOMPARE(signedTx.txid(), dtx::parse(signedTx.serialize(false)).tx->txid());
    QVERIFY(signedTx.hasWitness());
    QCOMPARE(signedTx.weight(), std::int64_t(signedTx.serialize(false).size()) * 3 + signedRaw.size());
    const QList<dtx::Output> spent{
        dtx::Output{
            625000000,
            hex(v.value(QStringLiteral("inputs")).toArray().at(0).toObject().value(QStringLiteral("scriptPubKey")))},
        dtx::Output{amount, script}};
    QCOMPARE(dtx::verifyInput(signedTx, 1, spent), QString());
    // Its signature is the vector's.
    QCOMPARE(signedTx.inputs[1].witness.at(0).toHex(),
             expected.value(QStringLiteral("der_signature_with_hashtype")).toString().toLatin1());

    // Another amount, another output, a changed signature or key: refused.
    QList<dtx::Output> otherAmount = spent;
    otherAmount[1].value += 1;
    QVERIFY(!dtx::verifyInput(signedTx, 1, otherAmount).isEmpty());
    dtx::Tx changed = signedTx;
    changed.outputs[0].value -= 1;
    QVERIFY(!dtx::verifyInput(changed, 1, spent).isEmpty());
    dtx::Tx badSig = signedTx;
    badSig.inputs[1].witness[0][10] = char(badSig.inputs[1].witness[0][10] ^ 1);
    QVERIFY(!dtx::verifyInput(badSig, 1, spent).isEmpty());
    dtx::Tx otherKey = signedTx;
    otherKey.inputs[1].witness[1][5] = char(otherKey.inputs[1].witness[1][5] ^ 1);
    QVERIFY(dtx::verifyInput(otherKey, 1, spent).contains(QStringLiteral("Witness program hash mismatch")));
    // Input 0 is P2PK, which the double does not verify: it says so instead of passing it.
    QVERIFY(!dtx::verifyInput(signedTx, 0, spent).isEmpty());
}

void TestDoubleTx::bip341KeyPathSpending()
{
    const QJsonObject v = uw::test::loadVectors("bip341-wallet-test-vectors.json")
                              .value(QStringLiteral("keyPathSpending"))
                              .toArray()
                              .at(0)
                              .toObject();
    const QJsonObject given = v.value(QStringLiteral("given")).toObject();
    const QByteArray unsignedRaw = hex(given.value(QStringLiteral("rawUnsignedTx")));
    const dtx::Tx unsignedTx = parsed(unsignedRaw);
    QCOMPARE(unsignedTx.serialize(true), unsignedRaw);
    QList<dtx::Output> spent;
    for (const QJsonValue& u : given.value(QStringLiteral("utxosSpent")).toArray())
        spent.append(dtx::Output{u.toObject().value(QStringLiteral("amountSats")).toInteger(),
                                 hex(u.toObject().value(QStringLiteral("scriptPubKey")))});
    QCOMPARE(spent.size(), unsignedTx.inputs.size());

    const QByteArray fullRaw =
        hex(v.value(QStringLiteral("auxiliary")).toObject().value(QStringLiteral("fullySignedTx")));
    const dtx::Tx full = parsed(fullRaw);
    QCOMPARE(full.serialize(true), fullRaw);
    // Signing changed the P2PKH input's scriptSig only: the rest reads as the unsigned transaction.
    dtx::Tx stripped = full;
    for (dtx::Input& in : stripped.inputs) {
        in.scriptSig.clear();
        in.witness.clear();
    }
    QCOMPARE(stripped.serialize(true), unsignedRaw);
    QCOMPARE(stripped.txidHex(), unsignedTx.txidHex());
    QVERIFY(full.vsize() < fullRaw.size());

    const QJsonArray inputs = v.value(QStringLiteral("inputSpending")).toArray();
    QCOMPARE(inputs.size(), 7);
    for (const QJsonValue& iv : inputs) {
        const QJsonObject g = iv.toObject().value(QStringLiteral("given")).toObject();
        const QJsonObject inter = iv.toObject().value(QStringLiteral("intermediary")).toObject();
        const int n = g.value(QStringLiteral("txinIndex")).toInt();
        const auto hashType = std::uint8_t(g.value(QStringLiteral("hashType")).toInt());
        QCOMPARE(dtx::bip341SigMsg(unsignedTx, n, spent, hashType).value().toHex(),
                 inter.value(QStringLiteral("sigMsg")).toString().toLatin1());
        QCOMPARE(dtx::bip341Sighash(unsignedTx, n, spent, hashType).value().toHex(),
                 inter.value(QStringLiteral("sigHash")).toString().toLatin1());
        // The vector's witness verifies, in the unsigned transaction and in the fully signed one.
        const QJsonArray witness =
            iv.toObject().value(QStringLiteral("expected")).toObject().value(QStringLiteral("witness")).toArray();
        dtx::Tx tx = unsignedTx;
        tx.inputs[n].witness = {hex(witness.at(0))};
        QCOMPARE(dtx::verifyInput(tx, n, spent), QString());
        QCOMPARE(full.inputs[n].witness, tx.inputs[n].witness);
        QCOMPARE(dtx::verifyInput(full, n, spent), QString());
        // Another amount of another input changes every message (BIP341 commits to all of them),
        // except with ANYONECANPAY.
        QList<dtx::Output> other = spent;
        other[(n + 1) % other.size()].value += 1;
        QCOMPARE(dtx::verifyInput(tx, n, other).isEmpty(), bool(hashType & 0x80));
        dtx::Tx badSig = tx;
        badSig.inputs[n].witness[0][0] = char(badSig.inputs[n].witness[0][0] ^ 1);
        QVERIFY(dtx::verifyInput(badSig, n, spent).contains(QStringLiteral("Invalid Schnorr signature")));
    }
    // Undefined hash types have no message.
    QVERIFY(!dtx::bip341SigMsg(unsignedTx, 0, spent, 0x04));
    QVERIFY(!dtx::bip341SigMsg(unsignedTx, 0, spent, 0x80));
    // SIGHASH_SINGLE for an input without its output.
    QVERIFY(unsignedTx.outputs.size() < unsignedTx.inputs.size());
    QVERIFY(!dtx::bip341SigMsg(unsignedTx, int(unsignedTx.inputs.size()) - 1, spent, 0x03));
}

void TestDoubleTx::dustThresholds()
{
    // Bitcoin Core's GetDustThreshold at its 3000 sat/kvB default, as its comments state: 546 sat
    // for a P2PKH output (34 + 148 bytes), 294 for a P2WPKH one (31 + 67 bytes); a P2TR output
    // is 43 + 67 bytes: 330. An OP_RETURN output is never dust.
    QCOMPARE(dtx::dustThreshold(QByteArray::fromHex("76a914") + QByteArray(20, 1) + QByteArray::fromHex("88ac")), 546);
    QCOMPARE(dtx::dustThreshold(QByteArray::fromHex("0014") + QByteArray(20, 1)), 294);
    QCOMPARE(dtx::dustThreshold(QByteArray::fromHex("5120") + QByteArray(32, 1)), 330);
    QCOMPARE(dtx::dustThreshold(QByteArray::fromHex("6a04deadbeef")), 0);
}

void TestDoubleTx::unreadableTransactions_data()
{
    const QByteArray full = hex(uw::test::loadVectors("bip341-wallet-test-vectors.json")
                                    .value(QStringLiteral("keyPathSpending"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("auxiliary"))
                                    .toObject()
                                    .value(QStringLiteral("fullySignedTx")));
    const QByteArray unsignedRaw =
        hex(uw::test::loadVectors("bip143-native-p2wpkh.json").value(QStringLiteral("unsigned_tx")));
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("end of data");
    QTest::newRow("cut") << full.left(full.size() - 1) << QStringLiteral("end of data");
    QTest::newRow("a byte after the lock time")
        << full + QByteArray(1, 0) << QStringLiteral("data after the lock time");
    // The segwit marker with every witness empty.
    QByteArray superfluous = unsignedRaw.left(4) + QByteArray::fromHex("0001") +
                             unsignedRaw.mid(4, unsignedRaw.size() - 8) + QByteArray(2, 0) + unsignedRaw.right(4);
    QTest::newRow("superfluous witness") << superfluous << QStringLiteral("Superfluous witness record");
    QTest::newRow("unknown flag") << unsignedRaw.left(4) + QByteArray::fromHex("0002") + unsignedRaw.mid(4)
                                  << QStringLiteral("Unknown transaction optional data");
    // 2 inputs written as fd 02 00.
    QTest::newRow("non-canonical count") << unsignedRaw.left(4) + QByteArray::fromHex("fd0200") + unsignedRaw.mid(5)
                                         << QStringLiteral("non-canonical ReadCompactSize()");
    QTest::newRow("a billion inputs") << QByteArray::fromHex("02000000fe00ca9a3b") + QByteArray(100, 0)
                                      << QStringLiteral("ReadCompactSize(): size too large");
    QTest::newRow("more inputs than bytes")
        << QByteArray::fromHex("02000000fdff00") + QByteArray(100, 0) << QStringLiteral("end of data");
    QTest::newRow("no input, no witness")
        << QByteArray::fromHex("02000000000100000000") << QStringLiteral("Superfluous witness record");
}

void TestDoubleTx::unreadableTransactions()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, reason);
    const dtx::Parsed p = dtx::parse(raw);
    QVERIFY(!p.tx);
    QCOMPARE(p.error, reason);
}

QTEST_GUILESS_MAIN(TestDoubleTx)
#include "test_double_tx.moc"
