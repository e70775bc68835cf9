// Desktop integration: a second launch with a link hands it to the running window of the same
// profile, whose handler opens it, and exits; another profile gets its own window. And the
// language: --lang, else the profile's settings.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

/// The real application, with --report-startup: its JSON lines are read as they come.
class Gui
{
public:
    Gui(const QString& dataDir, const QStringList& extra)
    {
        m_process.start(QStringLiteral(UW_GUI_PATH),
                        QStringList{QStringLiteral("--data-dir"), dataDir, QStringLiteral("--report-startup")} + extra);
    }
    ~Gui()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    /// Waits for a line holding `key`; returns it, or an empty object.
    QJsonObject waitFor(const QString& key)
    {
        QJsonObject found;
        (void)QTest::qWaitFor(
            [&] {
                while (m_process.canReadLine()) {
                    const QJsonObject line = QJsonDocument::fromJson(m_process.readLine()).object();
                    m_lines.append(line);
                }
                for (qsizetype i = 0; i < m_lines.size(); ++i)
                    if (m_lines[i].contains(key)) {
                        found = m_lines.takeAt(i);
                        return true;
                    }
                return false;
            },
            20000);
        return found;
    }
    QProcess& process() { return m_process; }

private:
    QProcess m_process;
    QList<QJsonObject> m_lines;
};

QString sha256(const QString& text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

} // namespace

class TestSingleInstance : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void secondLaunchHandsTheLinkOver();
    void languageFromTheCommandLineOrTheSettings();
};

void TestSingleInstance::secondLaunchHandsTheLinkOver()
{
    QTemporaryDir dir;
    const QString app = QStringLiteral(UW_GUI_PATH);
    Gui first(dir.path() + QStringLiteral("/a"), {});
    QVERIFY(!first.waitFor(QStringLiteral("first_window_ms")).isEmpty()); // shown, and listening for links
    QProcess second;
    const QString link = QStringLiteral("userwallet://login-sign?hash=%1&nonce=%2")
                             .arg(QString(64, QLatin1Char('a')), QString(32, QLatin1Char('b')));
    second.start(app, {QStringLiteral("--data-dir"), dir.path() + QStringLiteral("/a"), link});
    QVERIFY2(second.waitForFinished(20000), "the second launch should hand its link over and exit");
    QCOMPARE(second.exitCode(), 0);
    QCOMPARE(first.process().state(), QProcess::Running);
    // The running window's handler got the link, whole.
    const QJsonObject opened = first.waitFor(QStringLiteral("link_opened"));
    QCOMPARE(opened.value(QStringLiteral("link_opened")).toString(), QStringLiteral("login-sign"));
    QCOMPARE(opened.value(QStringLiteral("sha256")).toString(), sha256(link));

    // Another profile is another device: it starts its own window, which opens the link itself.
    Gui other(dir.path() + QStringLiteral("/b"), {link});
    QVERIFY(!other.waitFor(QStringLiteral("first_window_ms")).isEmpty());
    QCOMPARE(other.waitFor(QStringLiteral("link_opened")).value(QStringLiteral("sha256")).toString(), sha256(link));
    QCOMPARE(other.process().state(), QProcess::Running);
}

void TestSingleInstance::languageFromTheCommandLineOrTheSettings()
{
    // The README: the system locale, or the settings (ui/language), or --lang fr|en, which wins.
    QTemporaryDir dir;
    const QString french = dir.path() + QStringLiteral("/fr");
    QVERIFY(QDir().mkpath(french));
    QFile settings(french + QStringLiteral("/settings.ini"));
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write("[ui]\nlanguage=fr\n");
    settings.close();
    struct Case
    {
        QString dataDir;
        QStringList args;
        QStringList menus;
    };
    const QStringList inFrench{QStringLiteral("&Fichier"), QStringLiteral("&Affichage"), QStringLiteral("Aid&e")};
    const QStringList inEnglish{QStringLiteral("&File"), QStringLiteral("&View"), QStringLiteral("&Help")};
    const Case cases[] = {
        {dir.path() + QStringLiteral("/a"), {QStringLiteral("--lang"), QStringLiteral("fr")}, inFrench},
        {dir.path() + QStringLiteral("/b"), {QStringLiteral("--lang"), QStringLiteral("en")}, inEnglish},
        {french, {}, inFrench},
        {french, {QStringLiteral("--lang"), QStringLiteral("en")}, inEnglish},
    };
    for (const Case& c : cases) {
        Gui gui(c.dataDir, c.args);
        const QJsonObject started = gui.waitFor(QStringLiteral("menus"));
        QStringList menus;
        for (const QJsonValue& m : started.value(QStringLiteral("menus")).toArray())
            menus.append(m.toString());
        QCOMPARE(menus, c.menus);
    }
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "test_single_instance.moc"
