// RFC 8785 canonical JSON: the reference test data plus our own edge cases.
#include "json/CanonicalJson.h"
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace uw;

class TestCanonicalJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void referenceVectors_data();
    void referenceVectors();
    void numbers_data();
    void numbers();
    void keyOrderIsUtf16();
    void escaping();
    void refusesWhatItCannotRepresent();
    void parseLimits();
};

static QByteArray readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return f.readAll();
}

void TestCanonicalJson::referenceVectors_data()
{
    QTest::addColumn<QString>("name");
    const QDir dir(QStringLiteral(UW_TEST_DATA "/vectors/jcs/input"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    QVERIFY(files.size() >= 6);
    for (const QString& f : files)
        QTest::newRow(qPrintable(f)) << f;
}

void TestCanonicalJson::referenceVectors()
{
    QFETCH(QString, name);
    const QByteArray input = readFile(QStringLiteral(UW_TEST_DATA "/vectors/jcs/input/") + name);
    QByteArray expected = readFile(QStringLiteral(UW_TEST_DATA "/vectors/jcs/output/") + name);
    while (expected.endsWith('\n'))
        expected.chop(1);
    auto parsed = json::parse(input);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
    auto canon = json::canonicalize(*parsed);
    QVERIFY(canon.ok());
    QCOMPARE(*canon, expected);
}

void TestCanonicalJson::numbers_data()
{
    // Expected strings are ECMAScript's Number.prototype.toString results (RFC 8785 appendix B).
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("minus zero") << -0.0 << QByteArray("0");
    QTest::newRow("one") << 1.0 << QByteArray("1");
    QTest::newRow("negative") << -1.5 << QByteArray("-1.5");
    QTest::newRow("1e21") << 1e21 << QByteArray("1e+21");
    QTest::newRow("1e20") << 1e20 << QByteArray("100000000000000000000");
    QTest::newRow("1e-6") << 1e-6 << QByteArray("0.000001");
    QTest::newRow("1e-7") << 1e-7 << QByteArray("1e-7");
    QTest::newRow("max") << 1.7976931348623157e308 << QByteArray("1.7976931348623157e+308");
    QTest::newRow("min subnormal") << 5e-324 << QByteArray("5e-324");
    QTest::newRow("2^53") << 9007199254740992.0 << QByteArray("9007199254740992");
    QTest::newRow("0.1+0.2") << (0.1 + 0.2) << QByteArray("0.30000000000000004");
    QTest::newRow("123.456") << 123.456 << QByteArray("123.456");
}

void TestCanonicalJson::numbers()
{
    QFETCH(double, value);
    QFETCH(QByteArray, expected);
    QCOMPARE(json::formatNumber(value), expected);
}

void TestCanonicalJson::keyOrderIsUtf16()
{
    // U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16 order, after it in code-point order.
    QJsonObject o{{QString::fromUtf8("\xEF\xAC\xB3"), 1},
                  {QString::fromUtf8("\xF0\x9F\x98\x80"), 2},
                  {QStringLiteral("a"), 3},
                  {QStringLiteral("B"), 4},
                  {QStringLiteral(""), 5}};
    QCOMPARE(json::canonicalize(o).value(),
             QByteArray("{\"\":5,\"B\":4,\"a\":3,\"\xF0\x9F\x98\x80\":2,\"\xEF\xAC\xB3\":1}"));
}

void TestCanonicalJson::escaping()
{
    const QString s = QStringLiteral("q\"b\\n\nt\tc") + QChar(0x01) + QChar(0x1f) + QStringLiteral("/é") + QChar(0x7f);
    QCOMPARE(json::canonicalize(QJsonArray{s}).value(),
             QByteArray("[\"q\\\"b\\\\n\\nt\\tc\\u0001\\u001f/\xC3\xA9\x7F\"]"));
}

void TestCanonicalJson::refusesWhatItCannotRepresent()
{
    auto big = json::canonicalize(QJsonArray{QJsonValue(qint64(1) << 60)});
    QVERIFY(!big.ok());
    QCOMPARE(big.error().code, QStringLiteral("json_unsupported"));
    QVERIFY(json::canonicalize(QJsonArray{QJsonValue(qint64(9007199254740991))}).ok());

    const QString lone = QString(QChar(0xD800)) + QStringLiteral("x");
    auto surrogate = json::canonicalize(QJsonObject{{QStringLiteral("k"), lone}});
    QVERIFY(!surrogate.ok());
    QVERIFY(surrogate.error().message.contains(QStringLiteral("surrogate")));
}

void TestCanonicalJson::parseLimits()
{
    QVERIFY(!json::parse("{\"a\":1} trailing").ok());
    QVERIFY(!json::parse("{\"a\":").ok());
    QVERIFY(!json::parse("\"just a string\"").ok());
    const QByteArray huge = "[\"" + QByteArray(70000, 'a') + "\"]";
    auto r = json::parse(huge);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("too_large"));
}

QTEST_GUILESS_MAIN(TestCanonicalJson)
#include "test_canonical_json.moc"
