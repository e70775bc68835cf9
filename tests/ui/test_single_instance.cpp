// Desktop integration: a second launch with a link hands it to the running window of the same
// profile and exits; another profile gets its own window.
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestSingleInstance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void secondLaunchHandsTheLinkOver();
};

void TestSingleInstance::secondLaunchHandsTheLinkOver()
{
    QTemporaryDir dir;
    const QString app = QStringLiteral(UW_GUI_PATH);
    QProcess first;
    first.start(app,
                {QStringLiteral("--data-dir"), dir.path() + QStringLiteral("/a"), QStringLiteral("--report-startup")});
    QVERIFY(first.waitForReadyRead(20000)); // its window is shown and it listens for links
    QProcess second;
    const QString link = QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2")
                             .arg(QString(64, QLatin1Char('a')), QString(32, QLatin1Char('b')));
    second.start(app, {QStringLiteral("--data-dir"), dir.path() + QStringLiteral("/a"), link});
    QVERIFY2(second.waitForFinished(20000), "the second launch should hand its link over and exit");
    QCOMPARE(second.exitCode(), 0);
    QCOMPARE(first.state(), QProcess::Running);
    // Another profile is another device: it starts its own window.
    QProcess other;
    other.start(app, {QStringLiteral("--data-dir"), dir.path() + QStringLiteral("/b"),
                      QStringLiteral("--report-startup"), link});
    QVERIFY(other.waitForReadyRead(20000));
    QCOMPARE(other.state(), QProcess::Running);
    other.kill();
    first.kill();
    other.waitForFinished();
    first.waitForFinished();
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "test_single_instance.moc"
