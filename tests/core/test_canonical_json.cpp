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
    void strictRefusals_data();
    void strictRefusals();
    void stringsKeptExactly();
    void integersStayIntegers();
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
    auto parsed = json::parse(input, 64 * 1024, json::Numbers::Any);
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

void TestCanonicalJson::strictRefusals_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("code");
    // A reader that keeps the last of two keys and one that keeps the first would read two
    // different messages from one signed text: refused.
    QTest::newRow("duplicate key") << QByteArray(R"({"nonce":"a","nonce":"b"})") << QStringLiteral("duplicate_key");
    QTest::newRow("duplicate key, nested")
        << QByteArray(R"([{"k":1,"x":{"a":1,"a":1}}])") << QStringLiteral("duplicate_key");
    QTest::newRow("duplicate key, escaped spelling")
        << QByteArray(R"({"id":"a","\u0069d":"b"})") << QStringLiteral("duplicate_key");
    QTest::newRow("byte order mark before the text")
        << QByteArray("\xEF\xBB\xBF{\"a\":1}") << QStringLiteral("bad_json");
    QTest::newRow("invalid UTF-8") << QByteArray("[\"\xC3\x28\"]") << QStringLiteral("bad_json");
    QTest::newRow("overlong UTF-8") << QByteArray("[\"\xC0\xAF\"]") << QStringLiteral("bad_json");
    QTest::newRow("lone surrogate escape") << QByteArray(R"(["\ud800x"])") << QStringLiteral("bad_json");
    QTest::newRow("raw control character") << QByteArray("[\"a\nb\"]") << QStringLiteral("bad_json");
    QTest::newRow("single quotes") << QByteArray("{'a':1}") << QStringLiteral("bad_json");
    QTest::newRow("trailing comma") << QByteArray("[1,2,]") << QStringLiteral("bad_json");
    QTest::newRow("NaN") << QByteArray("[NaN]") << QStringLiteral("bad_json");
    QTest::newRow("leading zero") << QByteArray("[01]") << QStringLiteral("bad_json");
    QTest::newRow("fraction where integers belong") << QByteArray("[1.0]") << QStringLiteral("not_integer");
    QTest::newRow("exponent where integers belong") << QByteArray("[1e0]") << QStringLiteral("not_integer");
    QTest::newRow("integer beyond 64 bits") << QByteArray("[18446744073709551615]") << QStringLiteral("out_of_range");
    QTest::newRow("too deep") << QByteArray(QByteArray(65, '[') + QByteArray(65, ']')) << QStringLiteral("too_deep");
    QTest::newRow("two texts") << QByteArray("{} {}") << QStringLiteral("bad_json");
    QTest::newRow("scalar") << QByteArray("1") << QStringLiteral("bad_json");
}

void TestCanonicalJson::strictRefusals()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, code);
    auto r = json::parse(text);
    QVERIFY2(!r.ok(), text.constData());
    QCOMPARE(r.error().code, code);
    QVERIFY(!r.error().message.isEmpty());
}

void TestCanonicalJson::stringsKeptExactly()
{
    // U+FEFF at the start of a string is part of the string: a proof's nonce or an event's content
    // that starts with it must be read with it, as every other parser reads it.
    auto r = json::parse("{\"nonce\":\"\xEF\xBB\xBF"
                         "abc\",\"esc\":\"\\ufeffx\"}");
    QVERIFY(r.ok());
    QCOMPARE(r->toObject().value(QStringLiteral("nonce")).toString(), QString(QChar(0xFEFF)) + QStringLiteral("abc"));
    QCOMPARE(r->toObject().value(QStringLiteral("esc")).toString(), QString(QChar(0xFEFF)) + QStringLiteral("x"));
    // A pair of surrogate escapes is one code point; NUL escaped is kept.
    auto pair = json::parse(R"(["\ud83d\ude00","a\u0000b"])");
    QVERIFY(pair.ok());
    QCOMPARE(pair->toArray().at(0).toString(), QString::fromUtf8("\xF0\x9F\x98\x80"));
    QCOMPARE(pair->toArray().at(1).toString().size(), 3);
    // 64 levels are still accepted.
    QVERIFY(json::parse(QByteArray(QByteArray(64, '[') + QByteArray(64, ']'))).ok());
}

void TestCanonicalJson::integersStayIntegers()
{
    auto r = json::parse(R"([1, -0, 9007199254740991, 9007199254740992, -12])");
    QVERIFY(r.ok());
    const QJsonArray a = r->toArray();
    QCOMPARE(json::exactInteger(a.at(0)), std::optional<std::int64_t>(1));
    QCOMPARE(json::exactInteger(a.at(1)), std::optional<std::int64_t>(0));
    QCOMPARE(json::exactInteger(a.at(2)), std::optional<std::int64_t>(9007199254740991));
    QCOMPARE(json::exactInteger(a.at(3)), std::nullopt);
    QCOMPARE(json::exactInteger(a.at(4)), std::optional<std::int64_t>(-12));
    // Where any number is allowed (RFC 8785 input), fractions are read; a number beyond the
    // double range is refused rather than read as infinity.
    auto any = json::parse(R"([0.5, 1e2])", 1024, json::Numbers::Any);
    QVERIFY(any.ok());
    QCOMPARE(any->toArray().at(0).toDouble(), 0.5);
    QCOMPARE(any->toArray().at(1).toDouble(), 100.0);
    QVERIFY(!json::parse("[1e400]", 1024, json::Numbers::Any).ok());
}

QTEST_GUILESS_MAIN(TestCanonicalJson)
#include "test_canonical_json.moc"
