// Both catalogues are complete, load, and leave no visible string untranslated.
#include "support/GuiRig.h"

#include <QAbstractButton>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QTabWidget>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace uw;
using namespace uw::test;

class TestTranslations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void catalogueIsComplete_data();
    void catalogueIsComplete();
    void frenchScreensShowNoEnglish();

private:
    GuiRig m_rig;
};

void TestTranslations::catalogueIsComplete_data()
{
    QTest::addColumn<QString>("lang");
    QTest::newRow("fr") << QStringLiteral("fr");
    QTest::newRow("en") << QStringLiteral("en");
}

void TestTranslations::catalogueIsComplete()
{
    QFETCH(QString, lang);
    QFile ts(QStringLiteral(UW_SOURCE_DIR "/translations/userwallet_%1.ts").arg(lang));
    QVERIFY(ts.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&ts);
    int messages = 0;
    QString source;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            ++messages;
            QVERIFY2(xml.attributes().value(QStringLiteral("type")).isEmpty(),
                     qPrintable(QStringLiteral("unfinished: ") + source));
            const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            QVERIFY2(!text.trimmed().isEmpty(), qPrintable(QStringLiteral("empty: ") + source));
        }
    }
    QVERIFY(messages > 150);
    QTranslator t;
    QVERIFY(t.load(QStringLiteral(UW_QM_DIR "/userwallet_%1.qm").arg(lang)));
}

void TestTranslations::frenchScreensShowNoEnglish()
{
    // Every English source text, to recognise one left on screen.
    QSet<QString> english;
    {
        QFile ts(QStringLiteral(UW_SOURCE_DIR "/translations/userwallet_fr.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&ts);
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("source"))
                source = xml.readElementText();
            else if (xml.isStartElement() && xml.name() == QLatin1String("translation") &&
                     xml.readElementText() != source)
                english.insert(source); // a word the same in both languages (e.g. "Service") is not evidence
        }
    }
    QTranslator fr;
    QVERIFY(fr.load(QStringLiteral(UW_QM_DIR "/userwallet_fr.qm")));
    QCoreApplication::installTranslator(&fr);
    QVERIFY(m_rig.setUp());
    auto w = m_rig.openWindow(QStringLiteral("device1"));
    // Unlocked, the title names the member and this device.
    QVERIFY2(w->windowTitle().startsWith(QStringLiteral("UserWallet — alice (")), qPrintable(w->windowTitle()));
    int checked = 0;
    for (const char* page : {"loginScreen", "signScreen", "pairingScreen", "historyScreen", "anchoringScreen",
                             "dashboardScreen", "settingsScreen", "aboutScreen"}) {
        w->showPage(QString::fromLatin1(page));
        const auto widgets = w->findChildren<QWidget*>();
        for (QWidget* child : widgets) {
            QStringList texts;
            if (auto* l = qobject_cast<QLabel*>(child))
                texts << l->text();
            if (auto* b = qobject_cast<QAbstractButton*>(child))
                texts << b->text();
            if (auto* g = qobject_cast<QGroupBox*>(child))
                texts << g->title();
            if (auto* t = qobject_cast<QTabWidget*>(child))
                for (int i = 0; i < t->count(); ++i)
                    texts << t->tabText(i);
            for (const QString& text : std::as_const(texts)) {
                ++checked;
                QVERIFY2(!english.contains(text),
                         qPrintable(QStringLiteral("untranslated on %1: %2").arg(QLatin1String(page), text)));
            }
        }
    }
    QVERIFY(checked > 50);
    QCOMPARE(GuiRig::find<QLabel>(w.get(), "waitingLabel")->text(),
             QStringLiteral("En attente des signatures des autres appareils…"));
    QCOMPARE(GuiRig::find<QAbstractButton>(w.get(), "acceptButton")->text(), QStringLiteral("Accepter"));
    QCOMPARE(GuiRig::find<QAbstractButton>(w.get(), "refuseButton")->text(), QStringLiteral("Refuser"));
    QCoreApplication::removeTranslator(&fr);
}

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
