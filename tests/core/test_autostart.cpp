// The XDG autostart entry that starts the wallet in the tray at login: written where the desktop
// looks for it, one per profile, with an Exec line that survives spaces, and removed when off.
#include "config/Autostart.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;

class TestAutostart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void onWritesAnEntryOffRemovesIt();
    void eachProfileHasItsOwn();

private:
    QTemporaryDir m_home;
};

void TestAutostart::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_home.path().toUtf8());
    QCOMPARE(autostart::entryPath(QString()), m_home.path() + QStringLiteral("/autostart/userwallet.desktop"));
}

void TestAutostart::onWritesAnEntryOffRemovesIt()
{
    QVERIFY(!autostart::isEnabled(QString()));
    QVERIFY(autostart::setEnabled(QString(), true, QStringLiteral("/opt/User Wallet/userwallet")).ok());
    QVERIFY(autostart::isEnabled(QString()));
    QFile f(autostart::entryPath(QString()));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QVERIFY(text.startsWith(QStringLiteral("[Desktop Entry]\n")));
    QVERIFY(text.contains(QStringLiteral("\nType=Application\n")));
    QVERIFY2(text.contains(QStringLiteral("\nExec=\"/opt/User Wallet/userwallet\" --minimized\n")), qPrintable(text));
    QVERIFY(autostart::setEnabled(QString(), false, QString()).ok());
    QVERIFY(!autostart::isEnabled(QString()));
    QVERIFY(!QFile::exists(autostart::entryPath(QString())));
    QVERIFY(autostart::setEnabled(QString(), false, QString()).ok()); // already off: nothing to do
}

void TestAutostart::eachProfileHasItsOwn()
{
    QVERIFY(autostart::setEnabled(QStringLiteral("phone"), true, QStringLiteral("/usr/bin/userwallet")).ok());
    QVERIFY(autostart::isEnabled(QStringLiteral("phone")));
    QVERIFY(!autostart::isEnabled(QStringLiteral("laptop")));
    QFile f(autostart::entryPath(QStringLiteral("phone")));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().contains("\nExec=/usr/bin/userwallet --profile phone --minimized\n"));
}

QTEST_GUILESS_MAIN(TestAutostart)
#include "test_autostart.moc"
