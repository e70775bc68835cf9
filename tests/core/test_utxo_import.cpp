// The JSON-lines UTXO import: good lines as the CLI has always taken them, and every kind of
// bad line refused with its number, all or nothing; then the store's side: new and already
// present outpoints counted apart, and a stored outpoint never given another value or script.
#include "anchor/AnchorStore.h"
#include "anchor/UtxoImport.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;

namespace {

const QByteArray kScript = QByteArray::fromHex("0014751e76e8199196d454941c45d1b3a323f1433bd6");
const QString kAddress = QStringLiteral("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
const QString kTxid = QString(64, QLatin1Char('a'));

QByteArray line(const QByteArray& fields)
{
    return "{\"txid\":\"" + kTxid.toLatin1() + "\"," + fields + "}";
}

Result<QList<Utxo>> parse(const QByteArray& text)
{
    QByteArray data = text;
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    return utxoImport::parse(buffer, kScript, kAddress);
}

Utxo coin(std::uint32_t vout, std::int64_t value, std::optional<int> height)
{
    Utxo u;
    u.txid = kTxid;
    u.vout = vout;
    u.value = value;
    u.script = kScript;
    u.height = height;
    return u;
}

qint64 unspentCount(const AnchorStore& store)
{
    return store.utxoStatsByState().value(UtxoState::Unspent).count;
}

} // namespace

class TestUtxoImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void goodLines();
    void badLines_data();
    void badLines();
    void foreignScriptNamesTheWallet();
    void firstBadLineStopsEverything();
    void storeCountsNewAndAlreadyPresent();
    void storeRefusesAnotherValueOrScript_data();
    void storeRefusesAnotherValueOrScript();
    void storeImportReportsProgressAndCancelRollsBack();
};

void TestUtxoImport::goodLines()
{
    const QByteArray script = kScript.toHex();
    const auto r = parse(line("\"vout\":0,\"value\":5000000000,\"script\":\"" + script + "\",\"height\":1") + "\n" +
                         "\n   \n" + // blank lines are skipped, and counted
                         line("\"vout\":7,\"value\":1000,\"script\":\"" + script + "\",\"height\":null") + "\r\n" +
                         line("\"vout\":2,\"value\":330,\"script\":\"" + script.toUpper() + "\",\"extra\":true"));
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
    QCOMPARE(r->size(), 3);
    const Utxo first = r->at(0);
    QCOMPARE(first.txid, kTxid);
    QCOMPARE(first.vout, 0u);
    QCOMPARE(first.value, 5000000000LL);
    QCOMPARE(first.script, kScript);
    QCOMPARE(first.height, std::optional<int>(1));
    QCOMPARE(r->at(1).vout, 7u);
    QCOMPARE(r->at(1).height, std::optional<int>()); // unconfirmed
    QCOMPARE(r->at(2).height, std::optional<int>()); // absent: unconfirmed too
    QCOMPARE(r->at(2).script, kScript);              // hex in capitals is the same script
    QVERIFY(parse("").value().isEmpty());
}

void TestUtxoImport::badLines_data()
{
    const QByteArray script = "\"script\":\"" + kScript.toHex() + "\"";
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << QByteArray("{txid: 1}") << QStringLiteral("line 1: not a JSON object");
    QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("line 1: not a JSON object");
    QTest::newRow("txid missing") << QByteArray("{\"vout\":0,\"value\":1," + script + "}")
                                  << QStringLiteral("line 1: \"txid\" must be 64 lowercase hex digits");
    QTest::newRow("txid upper case") << QByteArray("{\"txid\":\"" + QByteArray(64, 'A') + "\",\"vout\":0,\"value\":1," +
                                                   script + "}")
                                     << QStringLiteral("line 1: \"txid\" must be 64 lowercase hex digits");
    QTest::newRow("txid short") << QByteArray("{\"txid\":\"abcd\",\"vout\":0,\"value\":1," + script + "}")
                                << QStringLiteral("line 1: \"txid\" must be 64 lowercase hex digits");
    QTest::newRow("vout negative") << line("\"vout\":-1,\"value\":1," + script)
                                   << QStringLiteral("line 1: \"vout\" must be a whole number ≥ 0");
    QTest::newRow("vout fraction") << line("\"vout\":1.5,\"value\":1," + script)
                                   << QStringLiteral("line 1: \"vout\" must be a whole number ≥ 0");
    QTest::newRow("vout text") << line("\"vout\":\"1\",\"value\":1," + script)
                               << QStringLiteral("line 1: \"vout\" must be a whole number ≥ 0");
    QTest::newRow("value zero") << line("\"vout\":0,\"value\":0," + script)
                                << QStringLiteral("line 1: \"value\" must be a whole number of satoshis > 0");
    QTest::newRow("value in BTC") << line("\"vout\":0,\"value\":0.5," + script)
                                  << QStringLiteral("line 1: \"value\" must be a whole number of satoshis > 0");
    QTest::newRow("value missing") << line("\"vout\":0," + script)
                                   << QStringLiteral("line 1: \"value\" must be a whole number of satoshis > 0");
    QTest::newRow("height text") << line("\"vout\":0,\"value\":1,\"height\":\"812345\"," + script)
                                 << QStringLiteral("line 1: \"height\" must be a whole number ≥ 0, or null");
    QTest::newRow("height negative") << line("\"vout\":0,\"value\":1,\"height\":-3," + script)
                                     << QStringLiteral("line 1: \"height\" must be a whole number ≥ 0, or null");
    QTest::newRow("value above 21M BTC") << line("\"vout\":0,\"value\":2100000000000001," + script)
                                         << QStringLiteral("line 1: \"value\" is above 21,000,000 BTC");
    QTest::newRow("value far above") << line("\"vout\":0,\"value\":9000000000000000000," + script)
                                     << QStringLiteral("line 1: \"value\" is above 21,000,000 BTC");
    QTest::newRow("height abc") << line("\"vout\":0,\"value\":1,\"height\":\"abc\"," + script)
                                << QStringLiteral("line 1: \"height\" must be");
    QTest::newRow("script with non-hex") << line("\"vout\":0,\"value\":1,\"script\":\"" + kScript.toHex() + "zz\"")
                                         << QStringLiteral("line 1: \"script\" must be hex digits");
    QTest::newRow("script with spaces") << line("\"vout\":0,\"value\":1,\"script\":\"00 14" + kScript.toHex().mid(4) +
                                                "\"")
                                        << QStringLiteral("line 1: \"script\" must be hex digits");
    QTest::newRow("same outpoint twice") << QByteArray(line("\"vout\":0,\"value\":1," + script) + "\n" +
                                                       line("\"vout\":0,\"value\":7," + script))
                                         << QStringLiteral("line 2: %1:0 is listed twice").arg(kTxid);
    QTest::newRow("numbered after blanks")
        << QByteArray("\n\n" + line("\"vout\":0,\"value\":0," + script)) << QStringLiteral("line 3: \"value\"");
}

void TestUtxoImport::badLines()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const auto r = parse(text);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("bad_import"));
    QVERIFY2(r.error().message.startsWith(expected), qPrintable(r.error().message));
    QVERIFY2(r.error().message.endsWith(QStringLiteral("nothing was imported.")), qPrintable(r.error().message));
}

void TestUtxoImport::foreignScriptNamesTheWallet()
{
    const auto r = parse(line("\"vout\":0,\"value\":1,\"script\":\"0014" + QByteArray(40, '1') + "\""));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("bad_import"));
    QCOMPARE(r.error().message,
             QStringLiteral("line 1: the script is not this wallet's (%1); nothing was imported.").arg(kAddress));
    QVERIFY(!parse(line("\"vout\":0,\"value\":1")).ok()); // no script at all
}

void TestUtxoImport::firstBadLineStopsEverything()
{
    const QByteArray good = line("\"vout\":0,\"value\":1,\"script\":\"" + kScript.toHex() + "\"");
    const QByteArray good1 = line("\"vout\":1,\"value\":1,\"script\":\"" + kScript.toHex() + "\"");
    const auto r = parse(good + "\n" + good1 + "\n" + line("\"vout\":0,\"value\":-5") + "\n" + "garbage\n");
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.startsWith(QStringLiteral("line 3: ")), qPrintable(r.error().message));
}

void TestUtxoImport::storeCountsNewAndAlreadyPresent()
{
    QTemporaryDir dir;
    auto store = AnchorStore::open(dir.filePath(QStringLiteral("anchor.sqlite")));
    QVERIFY(store.ok());
    auto first = store->importUtxosCounted({coin(0, 1000, 10), coin(1, 2000, std::nullopt)});
    QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
    QCOMPARE(first->added, 2);
    QCOMPARE(first->alreadyPresent, 0);

    // The same two again, one now confirmed, and one new: only the new one is added, the height
    // of the stored one is still refreshed (utxo sync depends on it).
    auto second = store->importUtxosCounted({coin(0, 1000, 10), coin(1, 2000, 12), coin(2, 3000, 12)});
    QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(second.error().message));
    QCOMPARE(second->added, 1);
    QCOMPARE(second->alreadyPresent, 2);
    QCOMPARE(unspentCount(*store), 3);
    const auto refreshed = store->utxoByOutpoint(kTxid, 1);
    QVERIFY(refreshed.has_value());
    QCOMPARE(refreshed->height, std::optional<int>(12));
    QCOMPARE(refreshed->chainDepth, 0);
    QCOMPARE(refreshed->value, 2000);

    // The old entry point still answers with everything it took.
    QCOMPARE(store->importUtxos({coin(2, 3000, 12)}).value(), 1);
}

void TestUtxoImport::storeRefusesAnotherValueOrScript_data()
{
    QTest::addColumn<qint64>("value");
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<QString>("says");
    QTest::newRow("another value") << qint64(1001) << kScript << QStringLiteral("1000 sat; the import says 1001 sat");
    QTest::newRow("another script") << qint64(1000) << QByteArray(QByteArray::fromHex("0014") + QByteArray(20, '\x11'))
                                    << QStringLiteral("; the import says 00141111");
}

void TestUtxoImport::storeRefusesAnotherValueOrScript()
{
    QFETCH(qint64, value);
    QFETCH(QByteArray, script);
    QFETCH(QString, says);
    Utxo changed = coin(0, value, 10);
    changed.script = script;
    QTemporaryDir dir;
    auto store = AnchorStore::open(dir.filePath(QStringLiteral("anchor.sqlite")));
    QVERIFY(store.ok());
    QVERIFY(store->importUtxosCounted({coin(0, 1000, 10)}).ok());
    // A new outpoint first, then the changed one: all or nothing, the new one is not kept either.
    auto r = store->importUtxosCounted({coin(5, 5000, 11), changed});
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("utxo_conflict"));
    QVERIFY2(r.error().message.startsWith(kTxid + QStringLiteral(":0 is already stored with ")),
             qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(says), qPrintable(r.error().message));
    QVERIFY2(r.error().message.endsWith(QStringLiteral("Nothing was imported.")), qPrintable(r.error().message));
    QCOMPARE(unspentCount(*store), 1);
    QVERIFY(!store->utxoByOutpoint(kTxid, 5).has_value());
    const auto kept = store->utxoByOutpoint(kTxid, 0);
    QCOMPARE(kept->value, 1000);
    QCOMPARE(kept->script, kScript);
    // The older entry point refuses it too: one rule for the file and for sync.
    QCOMPARE(store->importUtxos({changed}).error().code, QStringLiteral("utxo_conflict"));
}

void TestUtxoImport::storeImportReportsProgressAndCancelRollsBack()
{
    QTemporaryDir dir;
    auto store = AnchorStore::open(dir.filePath(QStringLiteral("anchor.sqlite")));
    QVERIFY(store.ok());
    QVERIFY(store->importUtxosCounted({coin(0, 1000, 10)}).ok());
    QList<Utxo> many;
    for (std::uint32_t vout = 1; vout <= 2500; ++vout)
        many.append(coin(vout, 1000 + vout, 11));

    // Cancelled at 2,000 of 2,500: rolled back, the coin stored before is all there is.
    QList<std::pair<qsizetype, qsizetype>> seen;
    auto cancelled = store->importUtxosCounted(many, [&](qsizetype done, qsizetype total) {
        seen.append({done, total});
        return done < 2000;
    });
    QVERIFY(!cancelled.ok());
    QCOMPARE(cancelled.error().code, QStringLiteral("cancelled"));
    QCOMPARE(seen, (QList<std::pair<qsizetype, qsizetype>>{{0, 2500}, {1000, 2500}, {2000, 2500}}));
    QCOMPARE(unspentCount(*store), 1);
    QVERIFY(!store->utxoByOutpoint(kTxid, 1).has_value());

    // Cancelled at the very end, before the commit: nothing either.
    seen.clear();
    QVERIFY(!store
                 ->importUtxosCounted(many,
                                      [&](qsizetype done, qsizetype total) {
                                          seen.append({done, total});
                                          return done < total;
                                      })
                 .ok());
    QCOMPARE(seen.last(), (std::pair<qsizetype, qsizetype>{2500, 2500}));
    QCOMPARE(unspentCount(*store), 1);

    // Left to run: every step, in order, then all of it stored.
    seen.clear();
    auto done = store->importUtxosCounted(many, [&](qsizetype at, qsizetype total) {
        seen.append({at, total});
        return true;
    });
    QVERIFY2(done.ok(), done.ok() ? "" : qPrintable(done.error().message));
    QCOMPARE(done->added, 2500);
    QCOMPARE(seen, (QList<std::pair<qsizetype, qsizetype>>{{0, 2500}, {1000, 2500}, {2000, 2500}, {2500, 2500}}));
    QCOMPARE(unspentCount(*store), 2501);
}

QTEST_GUILESS_MAIN(TestUtxoImport)
#include "test_utxo_import.moc"
