// The known services a profile's settings list (config/KnownService, config/Settings): a name with
// a login request's address, or with a service id and a callback; each entry checked on load with
// the setting named, and the whole list written back by save (the settings screen edits it).
#include "config/Settings.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;

class TestKnownServices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bothFormsLoad();
    void badEntries_data();
    void badEntries();
    void saveWritesTheListAsEdited();
    void check_data();
    void check();

private:
    QString write(const QByteArray& ini);
    QTemporaryDir m_dir;
    int m_files = 0;
};

QString TestKnownServices::write(const QByteArray& ini)
{
    const QString path = m_dir.filePath(QStringLiteral("settings-%1.ini").arg(++m_files));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(ini) != ini.size())
        return {};
    return path;
}

void TestKnownServices::bothFormsLoad()
{
    // The shape scripts/gui-demo.sh writes.
    auto s = Settings::load(write("[known_services]\n1\\name=demo\n1\\request=http://127.0.0.1:8765/login-request\n"
                                  "2\\name=demo (service and callback)\n2\\service=demo\n"
                                  "2\\callback=http://127.0.0.1:8765/callback\nsize=2\n"),
                            QProcessEnvironment());
    QVERIFY2(s.ok(), qPrintable(s ? QString() : s.error().message));
    QCOMPARE(s->knownServices.size(), 2);
    QCOMPARE(s->knownServices[0], (KnownService{QStringLiteral("demo"), QString(), QUrl(),
                                                QUrl(QStringLiteral("http://127.0.0.1:8765/login-request"))}));
    QVERIFY(s->knownServices[0].isRequest());
    QVERIFY(!s->knownServices[1].isRequest());
    QCOMPARE(s->knownServices[1].service, QStringLiteral("demo"));
}

void TestKnownServices::badEntries_data()
{
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<QString>("says");
    QTest::newRow("request over plain http to another host")
        << QByteArray("1\\name=shop\n1\\request=http://shop.example/login-request\n")
        << "known_services/1/request in settings-%1.ini is malformed (\"http://shop.example/login-request\"): "
           "expected an https:// URL, or http:// on this machine";
    QTest::newRow("request not http") << QByteArray("1\\name=shop\n1\\request=ftp://shop.example/r\n")
                                      << "known_services/1/request";
    QTest::newRow("request and service") << QByteArray("1\\name=shop\n1\\request=https://shop.example/r\n"
                                                       "1\\service=shop\n")
                                         << "not both";
    QTest::newRow("request and callback") << QByteArray("1\\name=shop\n1\\request=https://shop.example/r\n"
                                                        "1\\callback=https://shop.example/cb\n")
                                          << "not both";
    QTest::newRow("request without a name")
        << QByteArray("1\\request=https://shop.example/r\n") << "known_services/1/name";
}

void TestKnownServices::badEntries()
{
    QFETCH(QByteArray, entry);
    QFETCH(QString, says);
    auto s = Settings::load(write("[known_services]\n" + entry + "size=1\n"), QProcessEnvironment());
    QVERIFY(!s.ok());
    QCOMPARE(s.error().code, QStringLiteral("bad_setting"));
    if (says.contains(QStringLiteral("%1")))
        says = says.arg(m_files);
    QVERIFY2(s.error().message.contains(says), qPrintable(s.error().message));
}

void TestKnownServices::saveWritesTheListAsEdited()
{
    const QString path = write("[relays]\nurls=ws://127.0.0.1:7447\n[known_services]\n1\\name=a\n1\\service=a\n"
                               "1\\callback=https://a.example/cb\n2\\name=b\n2\\service=b\n"
                               "2\\callback=https://b.example/cb\nsize=2\n");
    auto s = Settings::load(path, QProcessEnvironment());
    QVERIFY(s.ok());
    // Removed, edited, added: the file holds the list as it is now, in its order.
    s->knownServices.removeFirst();
    s->knownServices[0].callback = QUrl(QStringLiteral("https://b.example/new"));
    s->knownServices.append(KnownService{QStringLiteral("forum"), {}, {}, QUrl(QStringLiteral("https://f.example/r"))});
    QVERIFY(s->save(path).ok());
    auto again = Settings::load(path, QProcessEnvironment());
    QVERIFY2(again.ok(), qPrintable(again ? QString() : again.error().message));
    QCOMPARE(again->knownServices, s->knownServices);
    QCOMPARE(QSettings(path, QSettings::IniFormat).value(QStringLiteral("known_services/size")).toInt(), 2);
    // An empty list leaves none behind.
    again->knownServices.clear();
    QVERIFY(again->save(path).ok());
    QVERIFY(Settings::load(path, QProcessEnvironment())->knownServices.isEmpty());
}

void TestKnownServices::check_data()
{
    QTest::addColumn<KnownService>("entry");
    QTest::addColumn<QString>("field"); // empty: accepted
    const QUrl request(QStringLiteral("https://shop.example/login-request"));
    const QUrl callback(QStringLiteral("https://shop.example/cb"));
    QTest::newRow("request") << KnownService{QStringLiteral("shop"), {}, {}, request} << QString();
    QTest::newRow("request on loopback")
        << KnownService{QStringLiteral("demo"), {}, {}, QUrl(QStringLiteral("http://localhost:8765/r"))} << QString();
    QTest::newRow("service and callback")
        << KnownService{QStringLiteral("shop"), QStringLiteral("shop"), callback, {}} << QString();
    QTest::newRow("no name") << KnownService{QStringLiteral(" "), {}, {}, request} << "name";
    QTest::newRow("plain http request")
        << KnownService{QStringLiteral("shop"), {}, {}, QUrl(QStringLiteral("http://shop.example/r"))} << "request";
    QTest::newRow("request with user") << KnownService{QStringLiteral("shop"),
                                                       {},
                                                       {},
                                                       QUrl(QStringLiteral("https://u:p@shop.example/r"))}
                                       << "request";
    QTest::newRow("both forms") << KnownService{QStringLiteral("shop"), QStringLiteral("shop"), callback, request}
                                << "request";
    QTest::newRow("no service") << KnownService{QStringLiteral("shop"), {}, callback, {}} << "service";
    QTest::newRow("no callback") << KnownService{QStringLiteral("shop"), QStringLiteral("shop"), {}, {}} << "callback";
    QTest::newRow("callback not http") << KnownService{QStringLiteral("shop"),
                                                       QStringLiteral("shop"),
                                                       QUrl(QStringLiteral("ftp://shop.example/cb")),
                                                       {}}
                                       << "callback";
}

void TestKnownServices::check()
{
    QFETCH(KnownService, entry);
    QFETCH(QString, field);
    QString named;
    auto ok = entry.check(&named);
    QCOMPARE(ok.ok(), field.isEmpty());
    if (!ok) {
        QCOMPARE(named, field);
        QCOMPARE(ok.error().code, QStringLiteral("bad_known_service"));
        QVERIFY(!ok.error().message.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestKnownServices)
#include "test_known_services.moc"
