// A profile's settings file: the known services the login screen offers (an array in
// settings.ini, as scripts/gui-demo.sh writes it), each entry checked, and a malformed one named.
#include "config/Settings.h"

#include <QFile>
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

QTEST_GUILESS_MAIN(TestSettings)
#include "test_settings.moc"
