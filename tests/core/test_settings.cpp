// A profile's settings file: the known services the login screen offers (an array in
// settings.ini, as scripts/gui-demo.sh writes it), each entry checked, and a malformed one named.
#include "bitcoin/WalletKey.h"
#include "config/Settings.h"

#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;

class TestSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void knownServicesInTheirOrder();
    void noKnownServices();
    void badKnownService_data();
    void badKnownService();
    void saveKeepsKnownServices();
    void secondsWithinTheirBounds_data();
    void secondsWithinTheirBounds();
    void roundsWithinTheirBounds_data();
    void roundsWithinTheirBounds();
    void roundsFromTheEnvironment();
    void feeFloorWithinItsBounds_data();
    void feeFloorWithinItsBounds();
    void readmeKeysFromARealFile();
    void garbageInTheReadmeKeys_data();
    void garbageInTheReadmeKeys();

private:
    QString write(const QByteArray& ini);
    QTemporaryDir m_dir;
    int m_files = 0;
};

QString TestSettings::write(const QByteArray& ini)
{
    const QString path = m_dir.filePath(QStringLiteral("settings-%1.ini").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(ini) != ini.size())
        return {};
    return path;
}

void TestSettings::knownServicesInTheirOrder()
{
    // The shape scripts/gui-demo.sh writes, with a second entry.
    const QString path = write("[relays]\nurls=ws://127.0.0.1:7447\n\n[known_services]\n"
                               "1\\name=demo\n1\\service=demo\n1\\callback=http://127.0.0.1:8765/callback\n"
                               "2\\name=Le Coffre\n2\\service=lecoffre\n2\\callback=https://lecoffre.example/login\n"
                               "size=2\n");
    auto s = Settings::load(path, QProcessEnvironment());
    QVERIFY2(s.ok(), qPrintable(s ? QString() : s.error().message));
    QCOMPARE(s->knownServices.size(), 2);
    QCOMPARE(s->knownServices[0], (KnownService{QStringLiteral("demo"), QStringLiteral("demo"),
                                                QUrl(QStringLiteral("http://127.0.0.1:8765/callback"))}));
    QCOMPARE(s->knownServices[1], (KnownService{QStringLiteral("Le Coffre"), QStringLiteral("lecoffre"),
                                                QUrl(QStringLiteral("https://lecoffre.example/login"))}));
}

void TestSettings::noKnownServices()
{
    auto s = Settings::load(write("[relays]\nurls=ws://127.0.0.1:7447\n"), QProcessEnvironment());
    QVERIFY(s.ok());
    QVERIFY(s->knownServices.isEmpty());
}

void TestSettings::badKnownService_data()
{
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<QString>("named");
    QTest::newRow("no name") << QByteArray("1\\service=demo\n1\\callback=https://a.example/cb\n")
                             << QStringLiteral("known_services/1/name");
    QTest::newRow("no service") << QByteArray("1\\name=demo\n1\\callback=https://a.example/cb\n")
                                << QStringLiteral("known_services/1/service");
    QTest::newRow("no callback") << QByteArray("1\\name=demo\n1\\service=demo\n")
                                 << QStringLiteral("known_services/1/callback");
    QTest::newRow("callback not http") << QByteArray("1\\name=demo\n1\\service=demo\n1\\callback=ftp://a.example/cb\n")
                                       << QStringLiteral("known_services/1/callback");
    QTest::newRow("callback without host") << QByteArray("1\\name=demo\n1\\service=demo\n1\\callback=https:///cb\n")
                                           << QStringLiteral("known_services/1/callback");
}

void TestSettings::badKnownService()
{
    QFETCH(QByteArray, entry);
    QFETCH(QString, named);
    auto s = Settings::load(write("[known_services]\n" + entry + "size=1\n"), QProcessEnvironment());
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, QStringLiteral("bad_setting"));
    QVERIFY2(s.error().message.contains(named), qPrintable(s.error().message)); // the setting is named
}

void TestSettings::saveKeepsKnownServices()
{
    // The settings screen saves relays, timeout and language; the known services stay in the file.
    const QString path = write("[known_services]\n1\\name=demo\n1\\service=demo\n"
                               "1\\callback=http://127.0.0.1:8765/callback\nsize=1\n");
    auto s = Settings::load(path, QProcessEnvironment());
    QVERIFY(s.ok());
    s->loginTimeoutSeconds = 90;
    QVERIFY(s->save(path).ok());
    auto again = Settings::load(path, QProcessEnvironment());
    QVERIFY(again.ok());
    QCOMPARE(again->loginTimeoutSeconds, 90);
    QCOMPARE(again->knownServices, s->knownServices);
}

void TestSettings::secondsWithinTheirBounds_data()
{
    // The login's wait ends a minute before its message expires, and a proof is valid for at most
    // 600 s: a longer wait would build a message no verifier accepts. Device 2 signs windows of
    // at most 600 s, and the person may only make that stricter.
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<int>("timeout");  // -1: refused
    QTest::addColumn<int>("validity"); // -1: refused
    QTest::newRow("defaults") << QByteArray() << 300 << 600;
    QTest::newRow("shortest") << QByteArray("[login]\ntimeout_seconds=5\n[signing]\nmax_validity_seconds=30\n") << 5
                              << 30;
    QTest::newRow("longest") << QByteArray("[login]\ntimeout_seconds=540\n[signing]\nmax_validity_seconds=600\n") << 540
                             << 600;
    QTest::newRow("wait past the message") << QByteArray("[login]\ntimeout_seconds=541\n") << -1 << 600;
    QTest::newRow("wait of an hour") << QByteArray("[login]\ntimeout_seconds=3600\n") << -1 << 600;
    QTest::newRow("wait too short") << QByteArray("[login]\ntimeout_seconds=4\n") << -1 << 600;
    QTest::newRow("sign longer windows") << QByteArray("[signing]\nmax_validity_seconds=601\n") << 300 << -1;
    QTest::newRow("sign any window") << QByteArray("[signing]\nmax_validity_seconds=0\n") << 300 << -1;
    QTest::newRow("not a number") << QByteArray("[signing]\nmax_validity_seconds=10min\n") << 300 << -1;
}

void TestSettings::secondsWithinTheirBounds()
{
    QFETCH(QByteArray, ini);
    QFETCH(int, timeout);
    QFETCH(int, validity);
    const QString path = write(ini);
    auto s = Settings::load(path, QProcessEnvironment());
    if (timeout < 0 || validity < 0) {
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, QStringLiteral("bad_setting"));
        const QString named =
            timeout < 0 ? QStringLiteral("login/timeout_seconds") : QStringLiteral("signing/max_validity_seconds");
        QVERIFY2(s.error().message.contains(named), qPrintable(s.error().message));
        return;
    }
    QVERIFY(s.ok());
    QCOMPARE(s->loginTimeoutSeconds, timeout);
    QCOMPARE(s->cosignMaxValiditySeconds, validity);
    // What is saved loads again as it was.
    QVERIFY(s->save(path).ok());
    auto again = Settings::load(path, QProcessEnvironment());
    QVERIFY(again.ok());
    QCOMPARE(again->cosignMaxValiditySeconds, validity);
    QCOMPARE(again->loginTimeoutSeconds, timeout);
}

void TestSettings::roundsWithinTheirBounds_data()
{
    // A round closes at most round_interval_seconds after its first digest, or as soon as
    // round_max_digests wait (docs/PROTOCOL.md, 'Anchoring rounds').
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<int>("interval"); // -1: refused
    QTest::addColumn<int>("digests");  // -1: refused
    QTest::newRow("defaults") << QByteArray() << 10 << 100000;
    QTest::newRow("a value read back") << QByteArray("[anchoring]\nround_interval_seconds=30\nround_max_digests=5000\n")
                                       << 30 << 5000;
    QTest::newRow("smallest") << QByteArray("[anchoring]\nround_interval_seconds=1\nround_max_digests=1\n") << 1 << 1;
    QTest::newRow("largest") << QByteArray("[anchoring]\nround_interval_seconds=3600\nround_max_digests=1000000\n")
                             << 3600 << 1000000;
    QTest::newRow("interval zero") << QByteArray("[anchoring]\nround_interval_seconds=0\n") << -1 << 100000;
    QTest::newRow("interval over an hour") << QByteArray("[anchoring]\nround_interval_seconds=3601\n") << -1 << 100000;
    QTest::newRow("interval negative") << QByteArray("[anchoring]\nround_interval_seconds=-5\n") << -1 << 100000;
    QTest::newRow("interval not a number") << QByteArray("[anchoring]\nround_interval_seconds=10s\n") << -1 << 100000;
    QTest::newRow("no digest") << QByteArray("[anchoring]\nround_max_digests=0\n") << 10 << -1;
    QTest::newRow("too many digests") << QByteArray("[anchoring]\nround_max_digests=1000001\n") << 10 << -1;
    QTest::newRow("digests not a number") << QByteArray("[anchoring]\nround_max_digests=lots\n") << 10 << -1;
    QTest::newRow("digests with a fraction") << QByteArray("[anchoring]\nround_max_digests=1.5\n") << 10 << -1;
}

void TestSettings::roundsWithinTheirBounds()
{
    QFETCH(QByteArray, ini);
    QFETCH(int, interval);
    QFETCH(int, digests);
    const QString path = write(ini);
    auto s = Settings::load(path, QProcessEnvironment());
    if (interval < 0 || digests < 0) {
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, QStringLiteral("bad_setting"));
        const QString named = interval < 0 ? QStringLiteral("anchoring/round_interval_seconds in settings-")
                                           : QStringLiteral("anchoring/round_max_digests in settings-");
        QVERIFY2(s.error().message.contains(named), qPrintable(s.error().message));
        return;
    }
    QVERIFY2(s.ok(), qPrintable(s ? QString() : s.error().message));
    QCOMPARE(s->roundIntervalSeconds, interval);
    QCOMPARE(s->roundMaxDigests, digests);
    // What is saved is in the file and loads again as it was.
    QVERIFY(s->save(path).ok());
    QSettings written(path, QSettings::IniFormat);
    QCOMPARE(written.value(QStringLiteral("anchoring/round_interval_seconds")).toInt(), interval);
    QCOMPARE(written.value(QStringLiteral("anchoring/round_max_digests")).toInt(), digests);
    auto again = Settings::load(path, QProcessEnvironment());
    QVERIFY(again.ok());
    QCOMPARE(again->roundIntervalSeconds, interval);
    QCOMPARE(again->roundMaxDigests, digests);
}

void TestSettings::roundsFromTheEnvironment()
{
    // As for the node, the environment wins over the file (a daemon's /etc/default file), and a bad
    // value names the variable.
    const QString path = write("[anchoring]\nround_interval_seconds=30\nround_max_digests=5000\n");
    QProcessEnvironment env;
    env.insert(QStringLiteral("ANCHOR_ROUND_INTERVAL"), QStringLiteral("2"));
    auto s = Settings::load(path, env);
    QVERIFY(s.ok());
    QCOMPARE(s->roundIntervalSeconds, 2);
    QCOMPARE(s->roundMaxDigests, 5000);
    env.insert(QStringLiteral("ANCHOR_ROUND_MAX_DIGESTS"), QStringLiteral("2000000"));
    s = Settings::load(path, env);
    QVERIFY(!s.ok());
    QVERIFY2(s.error().message.contains(QStringLiteral("ANCHOR_ROUND_MAX_DIGESTS")), qPrintable(s.error().message));
    QVERIFY2(s.error().message.contains(QStringLiteral("digests from 1 to 1000000")), qPrintable(s.error().message));
}

void TestSettings::feeFloorWithinItsBounds_data()
{
    // The anchoring fee never goes below the floor (AnchorService): a floor under 1 sat/vB would
    // sign transactions Bitcoin Core 27 does not relay, one above 1000 is a typo that spends coins.
    QTest::addColumn<QString>("floor");
    QTest::addColumn<double>("expected"); // 0: refused
    QTest::newRow("default") << QString() << 1.0;
    QTest::newRow("lowest") << QStringLiteral("1") << 1.0;
    QTest::newRow("fraction") << QStringLiteral("2.5") << 2.5;
    QTest::newRow("highest") << QStringLiteral("1000") << 1000.0;
    QTest::newRow("below one") << QStringLiteral("0.5") << 0.0;
    QTest::newRow("zero") << QStringLiteral("0") << 0.0;
    QTest::newRow("above 1000") << QStringLiteral("1001") << 0.0;
    QTest::newRow("not a number") << QStringLiteral("cheap") << 0.0;
}

void TestSettings::feeFloorWithinItsBounds()
{
    QFETCH(QString, floor);
    QFETCH(double, expected);
    const QString path =
        write(floor.isEmpty() ? QByteArray() : QByteArray("[bitcoin]\nfee_floor_sat_vb=" + floor.toUtf8() + '\n'));
    auto s = Settings::load(path, QProcessEnvironment());
    if (expected == 0) {
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message.contains(QStringLiteral("bitcoin/fee_floor_sat_vb")), qPrintable(s.error().message));
        return;
    }
    QVERIFY2(s.ok(), qPrintable(s ? QString() : s.error().message));
    QCOMPARE(s->feeFloorSatPerVb, expected);
}

void TestSettings::readmeKeysFromARealFile()
{
    // The keys the README documents, in a settings.ini as a person writes it.
    const QString path = write("[relays]\nurls=ws://127.0.0.1:7447, wss://relay.example/ws\n\n"
                               "[bitcoin]\nnetwork=main\naddress_type=p2tr\nallow_mainnet=true\n");
    auto s = Settings::load(path, QProcessEnvironment());
    QVERIFY2(s.ok(), qPrintable(s ? QString() : s.error().message));
    QCOMPARE(s->relayUrls,
             (QStringList{QStringLiteral("ws://127.0.0.1:7447"), QStringLiteral("wss://relay.example/ws")}));
    QCOMPARE(s->addressType, QStringLiteral("p2tr"));
    QCOMPARE(s->allowMainnet, true);
    QCOMPARE(btc::parseNetwork(s->bitcoinNetwork, s->allowMainnet).value(), btc::Network::Mainnet);

    // The defaults: P2WPKH, and mainnet refused unless allowed in so many words.
    for (const QByteArray& ini :
         {QByteArray("[bitcoin]\nnetwork=main\n"), QByteArray("[bitcoin]\nnetwork=main\nallow_mainnet=false\n")}) {
        auto d = Settings::load(write(ini), QProcessEnvironment());
        QVERIFY(d.ok());
        QCOMPARE(d->addressType, QStringLiteral("p2wpkh"));
        QCOMPARE(d->allowMainnet, false);
        QCOMPARE(d->relayUrls, QStringList{QStringLiteral("ws://127.0.0.1:7447")});
        const auto refused = btc::parseNetwork(d->bitcoinNetwork, d->allowMainnet);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("mainnet_refused"));
    }
    // The environment wins over the file for the relays (RELAY_URLS), as the README says.
    QProcessEnvironment env;
    env.insert(QStringLiteral("RELAY_URLS"), QStringLiteral("ws://10.0.0.1:1"));
    QCOMPARE(Settings::load(path, env)->relayUrls, QStringList{QStringLiteral("ws://10.0.0.1:1")});
}

void TestSettings::garbageInTheReadmeKeys_data()
{
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<QString>("named");
    QTest::newRow("relay not a WebSocket URL")
        << QByteArray("[relays]\nurls=http://127.0.0.1:7447\n") << QStringLiteral("relays/urls");
    QTest::newRow("relay list of words") << QByteArray("[relays]\nurls=my relay, your relay\n")
                                         << QStringLiteral("relays/urls");
    QTest::newRow("address type unknown")
        << QByteArray("[bitcoin]\naddress_type=p2pkh\n") << QStringLiteral("bitcoin/address_type");
    QTest::newRow("address type in capitals")
        << QByteArray("[bitcoin]\naddress_type=P2TR\n") << QStringLiteral("bitcoin/address_type");
    // QVariant reads any non-empty word but "false" and "0" as true: "no" must not allow real coins.
    QTest::newRow("allow mainnet: no") << QByteArray("[bitcoin]\nnetwork=main\nallow_mainnet=no\n")
                                       << QStringLiteral("bitcoin/allow_mainnet");
    QTest::newRow("allow mainnet: typo") << QByteArray("[bitcoin]\nnetwork=main\nallow_mainnet=ture\n")
                                         << QStringLiteral("bitcoin/allow_mainnet");
}

void TestSettings::garbageInTheReadmeKeys()
{
    QFETCH(QByteArray, ini);
    QFETCH(QString, named);
    const QString path = write(ini);
    auto s = Settings::load(path, QProcessEnvironment());
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, QStringLiteral("bad_setting"));
    // The error names the key and the file, so the person knows what to fix.
    QVERIFY2(s.error().message.contains(named + QStringLiteral(" in ") + QFileInfo(path).fileName()),
             qPrintable(s.error().message));
    // Nothing was lost: the file is as the person wrote it.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), ini);
}

QTEST_GUILESS_MAIN(TestSettings)
#include "test_settings.moc"
