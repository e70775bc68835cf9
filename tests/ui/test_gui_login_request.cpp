// A service's login request in the desktop GUI, through the widgets (offscreen), with a real relay,
// a real HTTP service serving the request and receiving the proof: the request link fetched with a
// waiting page, what it asks shown before the person clicks Log in, refusals in words, and the
// known services edited on the Settings screen and offered by the login screen.
#include "identity/MemberDocument.h"
#include "login/LoginRequest.h"
#include "login/Proof.h"
#include "login/ProofVerifier.h"
#include "screens/LoginScreen.h"
#include "support/GuiRig.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTest>
#include <QUrlQuery>

using namespace uw;
using namespace uw::test;

class TestGuiLoginRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void requestLinkLogsIn();
    void refusalsAreShownInWords_data();
    void refusalsAreShownInWords();
    void cancelWhileFetching();
    void knownServicesEditedInSettings();
    void pickerFetchesAKnownRequest();

private:
    ui::LoginScreen* loginScreen() const { return GuiRig::find<ui::LoginScreen>(m_d1.get(), "loginScreen"); }
    QString link(const QString& url) const
    {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("request"), QString::fromLatin1(QUrl::toPercentEncoding(url)));
        return QStringLiteral("userwallet://login?") + q.query(QUrl::FullyEncoded);
    }
    LoginRequest request(const QList<MemberRequirement>& members) const;

    GuiRig m_rig;
    HttpTestServer m_requestHost;
    MemberRequirement m_alice;
    std::unique_ptr<ui::MainWindow> m_d1;
};

void TestGuiLoginRequest::initTestCase()
{
    QVERIFY(m_rig.setUp());
    QVERIFY(m_requestHost.listen());
    m_alice = MemberDocument::load(m_rig.profile(QStringLiteral("device1")).memberFile()).value().requirement();
    m_d1 = m_rig.openWindow(QStringLiteral("device1"));
    QVERIFY(loginScreen());
}

LoginRequest TestGuiLoginRequest::request(const QList<MemberRequirement>& members) const
{
    LoginRequest r;
    r.service = QStringLiteral("forum");
    r.callback = m_rig.parent.url();
    r.members = members;
    r.ttlSeconds = 300;
    return r;
}

void TestGuiLoginRequest::requestLinkLogsIn()
{
    // The service accepts one of alice's two devices: device 1 alone completes the login.
    MemberRequirement one = m_alice;
    one.cardinaliteMinimale = 1;
    const LoginRequest asked = request({one});
    m_requestHost.setResponse(200, QJsonDocument(asked.toJson()).toJson());
    const auto posted = m_rig.parent.requests().size();

    m_d1->showPage(QStringLiteral("loginScreen"));
    loginScreen()->openLink(link(m_requestHost.url(QStringLiteral("/login-request"))));
    auto* pages = GuiRig::find<QStackedWidget>(m_d1.get(), "loginPages");
    // First the waiting page (the fetch runs on the relay thread), then the form with the request.
    QCOMPARE(pages->currentIndex(), 1);
    QVERIFY(GuiRig::find<QLabel>(m_d1.get(), "stepLabel")->text().contains(QStringLiteral("127.0.0.1")));
    auto* info = GuiRig::find<QLabel>(m_d1.get(), "requestLabel");
    QTRY_VERIFY_WITH_TIMEOUT(info->isVisible(), 20000);
    QCOMPARE(pages->currentIndex(), 0);
    QVERIFY2(info->text().contains(QStringLiteral("forum asks these members to sign")), qPrintable(info->text()));
    QVERIFY2(info->text().contains(QStringLiteral("alice: 1 of 2 device(s)")), qPrintable(info->text()));
    auto* service = GuiRig::find<QLineEdit>(m_d1.get(), "serviceEdit");
    QCOMPARE(service->text(), QStringLiteral("forum"));
    QVERIFY(service->isReadOnly());
    QCOMPARE(GuiRig::find<QLineEdit>(m_d1.get(), "callbackEdit")->text(), m_rig.parent.url());
    QCOMPARE(m_rig.parent.requests().size(), posted); // nothing happens before the click

    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "startButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(GuiRig::find<QLabel>(m_d1.get(), "resultTitle")->text(),
                              QStringLiteral("You are logged in."), 30000);
    QCOMPARE(m_rig.parent.requests().size(), posted + 1);
    auto proof = Proof::fromBytes(m_rig.parent.requests().last().body);
    QVERIFY(proof.ok());
    QVERIFY(ProofVerifier::verify(*proof, SystemClock::instance()).ok());
    QVERIFY(asked.check(proof->message).ok());
    QCOMPARE(proof->message.members, asked.members);

    // New login: the form is the ordinary one again.
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "newLoginButton"), Qt::LeftButton);
    QVERIFY(!info->isVisible());
    QVERIFY(!service->isReadOnly());
}

void TestGuiLoginRequest::refusalsAreShownInWords_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body"); // empty: the link itself is given in `link`
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("says");
    MemberRequirement bob = m_alice;
    bob.id = QStringLiteral("bob");
    QTest::newRow("no member of this device") << 200 << QJsonDocument(request({bob}).toJson()).toJson() << QString()
                                              << "does not ask member \"alice\" to sign";
    MemberRequirement stranger = m_alice;
    stranger.pairs.removeFirst();
    stranger.pairs.removeFirst();
    stranger.pairs.append(PairRef{QStringLiteral("6f1c8a52-3d4e-4b7a-9c1f-2a5b8e0d7c31"),
                                  QStringLiteral("4f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa")});
    stranger.cardinaliteMinimale = 1;
    QTest::newRow("not registered") << 200 << QJsonDocument(request({stranger}).toJson()).toJson() << QString()
                                    << "This device is not registered with forum";
    QByteArray http = QJsonDocument(request({m_alice}).toJson()).toJson();
    http.replace(m_rig.parent.url().toUtf8(), "http://shop.example/callback");
    QTest::newRow("callback over plain http") << 200 << http << QString() << "uses plain http:// outside this machine";
    QTest::newRow("not JSON") << 200 << QByteArray("<html></html>") << QString() << "Malformed JSON";
    QTest::newRow("HTTP 404") << 404 << QByteArray("no") << QString() << "answered HTTP 404";
    QTest::newRow("request over plain http")
        << 0 << QByteArray() << "userwallet://login?request=http%3A%2F%2Fshop.example%2Fr"
        << "only https:// is accepted";
}

void TestGuiLoginRequest::refusalsAreShownInWords()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, link);
    QFETCH(QString, says);
    const auto posted = m_rig.parent.requests().size();
    if (link.isEmpty()) {
        m_requestHost.setResponse(status, body);
        link = this->link(m_requestHost.url(QStringLiteral("/login-request")));
    }
    m_d1->showPage(QStringLiteral("loginScreen"));
    loginScreen()->openLink(link);
    auto* reason = GuiRig::find<QLabel>(m_d1.get(), "resultReason");
    QTRY_VERIFY_WITH_TIMEOUT(reason->isVisible() && reason->text().contains(says), 20000);
    QCOMPARE(GuiRig::find<QLabel>(m_d1.get(), "resultTitle")->text(),
             QStringLiteral("This login request was refused."));
    QVERIFY(!GuiRig::find<QLabel>(m_d1.get(), "requestLabel")->isVisible());
    QCOMPARE(m_rig.parent.requests().size(), posted);
}

void TestGuiLoginRequest::cancelWhileFetching()
{
    // A service that never answers: Cancel brings the form back, and the late answer is dropped.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    loginScreen()->openLink(link(QStringLiteral("http://127.0.0.1:%1/r").arg(silent.serverPort())));
    auto* pages = GuiRig::find<QStackedWidget>(m_d1.get(), "loginPages");
    QCOMPARE(pages->currentIndex(), 1);
    auto* cancel = GuiRig::find<QPushButton>(m_d1.get(), "cancelButton");
    QVERIFY(cancel->isEnabled());
    QTRY_VERIFY(silent.hasPendingConnections() || silent.waitForNewConnection(0)); // the fetch is under way
    QTest::mouseClick(cancel, Qt::LeftButton);
    QCOMPARE(pages->currentIndex(), 0);
    QVERIFY(!GuiRig::find<QLabel>(m_d1.get(), "requestLabel")->isVisible());
}

void TestGuiLoginRequest::knownServicesEditedInSettings()
{
    m_d1->showPage(QStringLiteral("settingsScreen"));
    auto* table = GuiRig::find<QTableWidget>(m_d1.get(), "knownServicesTable");
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 1); // the rig's "lecoffre"
    auto* name = GuiRig::find<QLineEdit>(m_d1.get(), "knownNameEdit");
    auto* requestUrl = GuiRig::find<QLineEdit>(m_d1.get(), "knownRequestEdit");
    auto* status = GuiRig::find<QLabel>(m_d1.get(), "settingsStatusLabel");
    auto* add = GuiRig::find<QPushButton>(m_d1.get(), "addKnownButton");

    // A request over plain http to another host is refused in words, and not added.
    QTest::keyClicks(name, QStringLiteral("forum"));
    QTest::keyClicks(requestUrl, QStringLiteral("http://shop.example/r"));
    QTest::mouseClick(add, Qt::LeftButton);
    QVERIFY2(status->text().contains(QStringLiteral("https://")), qPrintable(status->text()));
    QCOMPARE(table->rowCount(), 1);

    requestUrl->clear();
    QTest::keyClicks(requestUrl, m_requestHost.url(QStringLiteral("/login-request")));
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(1, 0)->text(), QStringLiteral("forum"));

    // Edit the first one's name, remove nothing, save: the file holds both, as edited.
    table->setCurrentCell(0, 0);
    QCOMPARE(name->text(), QStringLiteral("lecoffre"));
    name->clear();
    QTest::keyClicks(name, QStringLiteral("Le Coffre"));
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "updateKnownButton"), Qt::LeftButton);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("Le Coffre"));
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "saveSettingsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), QStringLiteral("Saved."), 10000);
    auto saved = Settings::load(m_rig.profile(QStringLiteral("device1")).settingsFile(), QProcessEnvironment());
    QVERIFY2(saved.ok(), qPrintable(saved ? QString() : saved.error().message));
    QCOMPARE(saved->knownServices.size(), 2);
    QCOMPARE(saved->knownServices[0].name, QStringLiteral("Le Coffre"));
    QCOMPARE(saved->knownServices[0].service, QStringLiteral("lecoffre"));
    QCOMPARE(
        saved->knownServices[1],
        (KnownService{QStringLiteral("forum"), {}, {}, QUrl(m_requestHost.url(QStringLiteral("/login-request")))}));

    // Remove the second, save again.
    table->setCurrentCell(1, 0);
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "removeKnownButton"), Qt::LeftButton);
    QCOMPARE(table->rowCount(), 1);
    status->clear();
    QTest::mouseClick(GuiRig::find<QPushButton>(m_d1.get(), "saveSettingsButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), QStringLiteral("Saved."), 10000);
    QCOMPARE(Settings::load(m_rig.profile(QStringLiteral("device1")).settingsFile(), QProcessEnvironment())
                 ->knownServices.size(),
             1);
}

void TestGuiLoginRequest::pickerFetchesAKnownRequest()
{
    MemberRequirement one = m_alice;
    one.cardinaliteMinimale = 1;
    m_requestHost.setResponse(200, QJsonDocument(request({one}).toJson()).toJson());
    loginScreen()->setKnownServices(
        {KnownService{QStringLiteral("demo"), QStringLiteral("demo"), QUrl(m_rig.parent.url())},
         KnownService{QStringLiteral("forum"), {}, {}, QUrl(m_requestHost.url(QStringLiteral("/login-request")))}});
    m_d1->showPage(QStringLiteral("loginScreen"));
    auto* combo = GuiRig::find<QComboBox>(m_d1.get(), "servicesCombo");
    QCOMPARE(combo->count(), 3);
    QVERIFY(combo->isVisibleTo(loginScreen()));
    // The service+callback entry fills the fields; the request entry fetches the request.
    combo->setCurrentIndex(1);
    Q_EMIT combo->activated(1);
    QCOMPARE(GuiRig::find<QLineEdit>(m_d1.get(), "serviceEdit")->text(), QStringLiteral("demo"));
    combo->setCurrentIndex(2);
    Q_EMIT combo->activated(2);
    auto* info = GuiRig::find<QLabel>(m_d1.get(), "requestLabel");
    QTRY_VERIFY_WITH_TIMEOUT(info->isVisible(), 20000);
    QCOMPARE(GuiRig::find<QLineEdit>(m_d1.get(), "serviceEdit")->text(), QStringLiteral("forum"));
    QVERIFY(m_requestHost.requests().last().path == "/login-request");
}

QTEST_MAIN(TestGuiLoginRequest)
#include "test_gui_login_request.moc"
