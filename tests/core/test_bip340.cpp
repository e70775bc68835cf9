// BIP340 Schnorr signatures against the official test vectors (bip-0340/test-vectors.csv).
#include "crypto/Schnorr.h"

#include <QFile>
#include <QTest>

using namespace uw;

class TestBip340 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void vectors_data();
    void vectors();
    void signVerifyRoundTrip();
    void tamperedSignatureFails();
};

void TestBip340::vectors_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("pubkey");
    QTest::addColumn<QString>("aux");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("signature");
    QTest::addColumn<bool>("valid");

    QFile f(QStringLiteral(UW_TEST_DATA "/vectors/bip340-test-vectors.csv"));
    QVERIFY2(f.open(QIODevice::ReadOnly), "BIP340 vectors missing");
    f.readLine(); // header
    int rows = 0;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (line.isEmpty())
            continue;
        const QStringList c = line.split(QLatin1Char(','));
        QVERIFY(c.size() >= 7);
        QTest::addRow("vector %s", qPrintable(c[0]))
            << c[1] << c[2] << c[3] << c[4] << c[5] << (c[6] == QLatin1String("TRUE"));
        ++rows;
    }
    QCOMPARE(rows, 19); // indices 0..18
}

void TestBip340::vectors()
{
    QFETCH(QString, secret);
    QFETCH(QString, pubkey);
    QFETCH(QString, aux);
    QFETCH(QString, message);
    QFETCH(QString, signature);
    QFETCH(bool, valid);

    const QByteArray msg = fromHexAnyCase(message).value();
    const QByteArray pubBytes = fromHexAnyCase(pubkey).value();
    const QByteArray sigBytes = fromHexAnyCase(signature).value();
    Bytes32 pub{};
    Bytes64 sig{};
    std::copy(pubBytes.begin(), pubBytes.end(), pub.begin());
    std::copy(sigBytes.begin(), sigBytes.end(), sig.begin());

    if (!secret.isEmpty()) {
        const QByteArray sk = fromHexAnyCase(secret).value();
        SecretKey key(reinterpret_cast<const std::uint8_t*>(sk.constData()));
        QCOMPARE(toHex(schnorr::xOnlyPublicKey(key).value()), pubkey.toLower());
        const QByteArray auxBytes = fromHexAnyCase(aux).value();
        Bytes32 auxRand{};
        std::copy(auxBytes.begin(), auxBytes.end(), auxRand.begin());
        const auto produced = schnorr::sign(key, msg, auxRand);
        QVERIFY(produced.ok());
        QCOMPARE(toHex(*produced), signature.toLower());
    }
    QCOMPARE(schnorr::verify(pub, msg, sig), valid);
}

void TestBip340::signVerifyRoundTrip()
{
    const SecretKey key = schnorr::generateSecretKey();
    const Bytes32 pub = schnorr::xOnlyPublicKey(key).value();
    const QByteArray msg("hash-nonce");
    const Bytes64 sig1 = schnorr::sign(key, msg).value();
    const Bytes64 sig2 = schnorr::sign(key, msg).value();
    QVERIFY(schnorr::verify(pub, msg, sig1));
    QVERIFY(schnorr::verify(pub, msg, sig2));
    QVERIFY2(sig1 != sig2, "aux randomness must come from the OS for each signature");
    QVERIFY(!schnorr::verify(pub, QByteArray("hash-nonce!"), sig1));
}

void TestBip340::tamperedSignatureFails()
{
    const SecretKey key = schnorr::generateSecretKey();
    const Bytes32 pub = schnorr::xOnlyPublicKey(key).value();
    const QByteArray msg(32, 'x');
    Bytes64 sig = schnorr::sign(key, msg).value();
    for (std::size_t i : {std::size_t(0), std::size_t(31), std::size_t(32), std::size_t(63)}) {
        Bytes64 bad = sig;
        bad[i] ^= 0x01;
        QVERIFY(!schnorr::verify(pub, msg, bad));
    }
}

QTEST_GUILESS_MAIN(TestBip340)
#include "test_bip340.moc"
