// Each model of ui/models destroyed while its work is in flight: a login on the relay thread
// (queued, signing, collecting), a co-signer fetching and publishing, a pairing offer before its
// link, a join whose key is being sealed, a dashboard collection, a history read, a settings
// save, the anchoring model (its wallet key being opened, files being hashed, its calls to the
// anchoring core and to the node in flight) and a dashboard waiting for the anchoring core. Nothing may reach a
// destroyed model and nothing may be left to a thread that no longer owns it: this runs clean under AddressSanitizer
// (scripts/test.sh) and ThreadSanitizer (scripts/tsan.sh). Real relay daemon, real files, the Bitcoin Core test double.
#include "anchor/AnchorRuntime.h"
#include "anchor/server/AnchorProfile.h"
#include "devices/LoginSignLink.h"
#include "identity/KeyStore.h"
#include "models/AnchoringModel.h"
#include "models/DashboardModel.h"
#include "models/DeviceListModel.h"
#include "models/HistoryModel.h"
#include "models/LoginModel.h"
#include "models/PairingModel.h"
#include "models/RelayRuntime.h"
#include "models/SettingsModel.h"
#include "models/SigningModel.h"
#include "support/HttpTestServer.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;
using namespace uw::ui;

class TestModelLifetime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void loginModel_data();
    void loginModel();
    void signingModel_data();
    void signingModel();
    void pairingOfferBeforeItsLink();
    void deviceListWhileWatchingActivity();
    void pairingJoinWhileTheKeyIsSealed();
    void dashboardModelWhileCollecting();
    void historyModelWhileReading();
    void settingsModelWhileSaving();
    void anchoringModel_data();
    void anchoringModel();
    void dashboardWaitingForTheAnchoringCore();

private:
    /// The Bitcoin Core test double, started once; settings that name it.
    Settings nodeSettings();
    std::unique_ptr<AnchoringModel> makeRunningAnchoringModel(const Profile& profile);
    /// A login started by device 1, waited until it collects; returns the signing link.
    QString startLogin(LoginModel* model);
    std::unique_ptr<LoginModel> makeLoginModel(int timeoutSeconds = 60);
    /// Spins the event loops until the relay thread has handled everything queued so far.
    void drainRelayThread();
    /// Holds the relay thread until the returned guard goes: whatever is queued for it meanwhile
    /// (a model's call, its object's answer) runs after what the test does in between, e.g. after
    /// the model is gone. The GUI thread never waits on it.
    std::shared_ptr<void> holdRelayThread();

    QTemporaryDir m_dir;
    std::unique_ptr<RelayProcess> m_relay;
    HttpTestServer m_service;
    std::unique_ptr<RelayRuntime> m_runtime;
    TestPair m_pair1, m_pair2;
    MemberDocument m_member;
    std::shared_ptr<const KeyRing> m_keys1, m_keys2;
    std::unique_ptr<DoubleProcess> m_node;
};

void TestModelLifetime::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(m_service.listen());
    m_relay = std::make_unique<RelayProcess>(m_dir.path() + QStringLiteral("/relay.sqlite"));
    QVERIFY(m_relay->start());
    m_pair1 = makePair();
    m_pair2 = makePair();
    const MemberRequirement r = makeMember(QStringLiteral("alice"), 2, {m_pair1, m_pair2});
    m_member = MemberDocument{r.id, QStringLiteral("Alice"), r.cardinaliteMinimale, r.pairs};
    m_keys1 = std::make_shared<KeyRing>(makeRing({m_pair1}));
    m_keys2 = std::make_shared<KeyRing>(makeRing({m_pair2}));
}

void TestModelLifetime::init()
{
    m_runtime = std::make_unique<RelayRuntime>(QStringList{m_relay->url()});
    QTRY_VERIFY_WITH_TIMEOUT(
        m_runtime->states().value(m_relay->url()).first == relayStateText(RelayConnection::State::Connected), 20000);
}

void TestModelLifetime::cleanup()
{
    // The models of a test are gone; whatever they left to the relay thread goes with it, there.
    drainRelayThread();
    m_runtime.reset();
}

void TestModelLifetime::drainRelayThread()
{
    // A marker queued behind everything else: once it has run, so has what came before.
    bool reached = false;
    auto* marker = new QObject;
    m_runtime->adopt(marker);
    RelayRuntime::call(
        marker, [](QObject* o) { return o != nullptr; }, this, [&reached](bool) { reached = true; });
    QTRY_VERIFY_WITH_TIMEOUT(reached, 20000);
    marker->deleteLater();
}

std::shared_ptr<void> TestModelLifetime::holdRelayThread()
{
    auto gate = std::make_shared<QSemaphore>();
    auto held = std::make_shared<QSemaphore>();
    auto* marker = new QObject;
    m_runtime->adopt(marker);
    RelayRuntime::call(marker, [gate, held](QObject* o) {
        held->release();
        gate->acquire();
        o->deleteLater();
    });
    held->acquire(); // the relay thread is in the call: from here on, it runs nothing else
    return std::shared_ptr<void>(gate.get(), [gate](void*) { gate->release(); });
}

std::unique_ptr<LoginModel> TestModelLifetime::makeLoginModel(int timeoutSeconds)
{
    return std::make_unique<LoginModel>(m_runtime.get(), m_keys1, m_member,
                                        m_dir.path() + QStringLiteral("/wallet1.sqlite"), timeoutSeconds,
                                        SystemClock::instance());
}

QString TestModelLifetime::startLogin(LoginModel* model)
{
    QSignalSpy link(model, &LoginModel::linkReady);
    model->start(QStringLiteral("demo"), m_service.url());
    if (!QTest::qWaitFor([&] { return model->state() == LoginState::S_LOGIN_COLLECT_SIGNATURES; }, 20000) ||
        link.isEmpty())
        return {};
    return link.first().first().toString();
}

void TestModelLifetime::loginModel_data()
{
    QTest::addColumn<int>("when");
    QTest::newRow("start still queued") << 0;
    QTest::newRow("signing on the flow's worker") << 1;
    QTest::newRow("collecting") << 2;
    QTest::newRow("confirmation pending") << 3;
}

void TestModelLifetime::loginModel()
{
    QFETCH(int, when);
    auto model = makeLoginModel();
    const auto before = m_service.requests().size();
    std::shared_ptr<void> hold;
    if (when < 3) {
        QSignalSpy states(model.get(), &LoginModel::stateChanged);
        if (when == 0)
            hold = holdRelayThread(); // the start is still queued when the model goes
        model->start(QStringLiteral("demo"), m_service.url());
        if (when >= 1)
            QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty(), 20000); // the challenge is built: signing follows
        if (when >= 2)
            QTRY_COMPARE_WITH_TIMEOUT(model->state(), LoginState::S_LOGIN_COLLECT_SIGNATURES, 20000);
    } else {
        // Device 2 signs: device 1 waits for the user's confirmation (a timer on the relay thread).
        const QString link = startLogin(model.get());
        QVERIFY(!link.isEmpty());
        SigningModel signer(m_runtime.get(), m_keys2, CoSignPolicy{m_member}, SystemClock::instance());
        QSignalSpy ready(&signer, &SigningModel::requestReady);
        QSignalSpy confirm(model.get(), &LoginModel::confirmationRequested);
        signer.open(link);
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 20000);
        signer.sign(loginNumber(LoginSignLink::parse(link).value().hash)); // as device 1 shows it
        QTRY_VERIFY_WITH_TIMEOUT(!confirm.isEmpty(), 20000);
    }
    if (!hold)
        hold = holdRelayThread(); // what the relay thread does next comes after the model is gone
    model.reset();
    hold.reset();
    drainRelayThread();
    QCOMPARE(m_service.requests().size(), before); // nothing was sent for a model that is gone
}

void TestModelLifetime::signingModel_data()
{
    QTest::addColumn<bool>("signing");
    QTest::newRow("fetching the message") << false;
    QTest::newRow("publishing the signature") << true;
}

void TestModelLifetime::signingModel()
{
    QFETCH(bool, signing);
    auto login = makeLoginModel();
    const QString link = startLogin(login.get());
    QVERIFY(!link.isEmpty());
    auto signer =
        std::make_unique<SigningModel>(m_runtime.get(), m_keys2, CoSignPolicy{m_member}, SystemClock::instance());
    QSignalSpy ready(signer.get(), &SigningModel::requestReady);
    signer->open(link);
    if (signing) {
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 20000);
        signer->sign(loginNumber(LoginSignLink::parse(link).value().hash));
    }
    auto hold = holdRelayThread(); // the open or the sign is still queued when the model goes
    signer.reset();
    hold.reset();
    drainRelayThread();
    login.reset();
}

void TestModelLifetime::pairingOfferBeforeItsLink()
{
    const Profile profile = Profile::resolve(QStringLiteral("offer"), m_dir.path() + QStringLiteral("/offer")).value();
    for (int i = 0; i < 3; ++i) { // an offer replaced by another, then the model goes with one pending
        auto model = std::make_unique<PairingModel>(m_runtime.get(), profile, SystemClock::instance());
        QSignalSpy link(model.get(), &PairingModel::linkReady);
        model->offer(m_keys1, m_member, 60);
        if (i == 1)
            QTRY_VERIFY_WITH_TIMEOUT(!link.isEmpty(), 20000);
        auto hold = holdRelayThread(); // the second offer's start and link come after the model is gone
        model->offer(m_keys1, m_member, 60);
        model.reset();
        hold.reset();
        drainRelayThread();
    }
}

void TestModelLifetime::deviceListWhileWatchingActivity()
{
    // The activity watch on the relay thread and the profile's record read on a worker, then a
    // new watch (the member changed), and the model goes with both pending.
    const QString db = m_dir.path() + QStringLiteral("/devices-wallet.sqlite");
    for (int i = 0; i < 3; ++i) {
        auto model = std::make_unique<DeviceListModel>();
        QSignalSpy loaded(model.get(), &DeviceListModel::activityLoaded);
        model->setMember(m_member, m_keys1);
        model->setActivitySources(m_runtime.get(), db, SystemClock::instance());
        if (i == 1)
            QVERIFY(loaded.wait(20000));
        auto hold = holdRelayThread();
        MemberDocument fewer = m_member;
        fewer.pairs.removeLast();
        fewer.version += 1;
        model->setMember(fewer, m_keys1);
        model.reset();
        hold.reset();
        drainRelayThread();
    }
}

void TestModelLifetime::pairingJoinWhileTheKeyIsSealed()
{
    const Profile offerProfile =
        Profile::resolve(QStringLiteral("device1"), m_dir.path() + QStringLiteral("/device1")).value();
    const Profile joinProfile =
        Profile::resolve(QStringLiteral("device3"), m_dir.path() + QStringLiteral("/device3")).value();
    QVERIFY(offerProfile.ensureExists().ok());
    PairingModel offer(m_runtime.get(), offerProfile, SystemClock::instance());
    // Device 3 has its own relay connections, as it would in its own window (both sides use the same
    // subscription ids).
    RelayRuntime device3(QStringList{m_relay->url()});
    auto join = std::make_unique<PairingModel>(&device3, joinProfile, SystemClock::instance());
    QSignalSpy link(&offer, &PairingModel::linkReady);
    QSignalSpy request(&offer, &PairingModel::requestReceived);
    QSignalSpy paired(&offer, &PairingModel::paired);
    QSignalSpy accepted(join.get(), &PairingModel::joinAccepted);
    QSignalSpy joinFailed(join.get(), &PairingModel::failed);
    offer.offer(m_keys1, m_member, 60);
    QTRY_VERIFY_WITH_TIMEOUT(!link.isEmpty(), 20000);
    join->join(link.first().first().toString(), "join passphrase", 60);
    QTRY_VERIFY_WITH_TIMEOUT(!request.isEmpty(), 20000);
    offer.confirm(true);
    QTRY_VERIFY_WITH_TIMEOUT(!paired.isEmpty(), 20000);
    // Device 1 saved its member document on a worker, not on the relay thread.
    QCOMPARE(MemberDocument::load(offerProfile.memberFile()).value().pairs.size(), m_member.pairs.size() + 1);
    QTRY_VERIFY_WITH_TIMEOUT(!accepted.isEmpty() || !joinFailed.isEmpty(), 20000);
    QVERIFY2(joinFailed.isEmpty(), qPrintable(joinFailed.value(0).value(0).toString()));
    // Argon2id is running on a worker for a model that goes now: the key still reaches the disk,
    // sealed; nothing comes back.
    join.reset();
    QThreadPool::globalInstance()->waitForDone();
    const auto ring = KeyStore(joinProfile.keysDir()).unlock("join passphrase");
    QVERIFY2(ring.ok(), qPrintable(ring ? QString() : ring.error().message));
}

void TestModelLifetime::dashboardModelWhileCollecting()
{
    for (int i = 0; i < 3; ++i) {
        DashboardModel model({m_dir.path() + QStringLiteral("/anchor.sqlite"),
                              BackendConfig{},
                              {ServiceSpec{QStringLiteral("relay"), QUrl(m_relay->url()), {}}},
                              3000},
                             10000, SystemClock::instance());
        QSignalSpy snapshot(&model, &DashboardModel::snapshotChanged);
        model.refresh();
        if (i == 1)
            QTRY_VERIFY_WITH_TIMEOUT(!snapshot.isEmpty(), 20000);
        model.refresh();
    }
}

void TestModelLifetime::historyModelWhileReading()
{
    for (int i = 0; i < 3; ++i) {
        auto model = std::make_unique<HistoryModel>(m_dir.path() + QStringLiteral("/wallet1.sqlite"));
        model->refresh();
        model->refresh();
        model.reset();
    }
    QThreadPool::globalInstance()->waitForDone();
}

void TestModelLifetime::settingsModelWhileSaving()
{
    const QString path = m_dir.path() + QStringLiteral("/settings.ini");
    Settings s;
    s.loginTimeoutSeconds = 42;
    {
        SettingsModel model(path);
        model.save(s);
    } // the destructor waits for the write, which lands
    QCOMPARE(Settings::load(path, QProcessEnvironment()).value().loginTimeoutSeconds, 42);
    // A save that cannot land is reported: the folder would be a file.
    SettingsModel model(path + QStringLiteral("/settings.ini"));
    QSignalSpy failed(&model, &SettingsModel::saveFailed);
    model.save(s);
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 20000);
}

Settings TestModelLifetime::nodeSettings()
{
    if (!m_node) {
        m_node = std::make_unique<DoubleProcess>(m_dir.path() + QStringLiteral("/.cookie"));
        if (!m_node->start())
            qFatal("the Bitcoin Core test double did not start");
    }
    Settings s;
    s.bitcoinRpcUrl = QUrl(m_node->url());
    s.bitcoinRpcCookie = m_node->cookieFile();
    s.roundIntervalSeconds = 1;
    return s;
}

std::unique_ptr<AnchoringModel> TestModelLifetime::makeRunningAnchoringModel(const Profile& profile)
{
    auto model = std::make_unique<AnchoringModel>(profile, nodeSettings(), SystemClock::instance());
    model->openWallet(std::make_shared<const SecretBytes>(QByteArray("lifetime passphrase")));
    model->setUnlocked();
    if (!QTest::qWaitFor([&] { return model->status() == AnchoringModel::Status::Running; }, 30000))
        return nullptr;
    return model;
}

void TestModelLifetime::anchoringModel_data()
{
    QTest::addColumn<int>("when");
    QTest::newRow("wallet key being opened") << 0;
    QTest::newRow("a large file being hashed") << 1;
    QTest::newRow("its calls on the anchoring thread") << 2;
    QTest::newRow("node checks on its network thread") << 3;
}

void TestModelLifetime::anchoringModel()
{
    QFETCH(int, when);
    // An object ended by a thread that does not own it (a backend's timers) says so: a failure here.
    QTest::failOnWarning(QRegularExpression(QStringLiteral("from another thread")));
    const Profile profile =
        Profile::resolve(QStringLiteral("anchoring"), m_dir.path() + QStringLiteral("/anchoring")).value();
    QVERIFY(profile.ensureExists().ok());
    if (when == 0) {
        // Argon2id runs on a worker for a model that goes at once: the key still reaches the
        // disk (a node is configured, so it is created), nothing comes back.
        auto model = std::make_unique<AnchoringModel>(profile, nodeSettings(), SystemClock::instance());
        model->openWallet(std::make_shared<const SecretBytes>(QByteArray("lifetime passphrase")));
        model->setUnlocked();
        QCOMPARE(model->status(), AnchoringModel::Status::Opening);
        model.reset();
        QThreadPool::globalInstance()->waitForDone();
        QVERIFY(QFileInfo::exists(profile.anchorKeyFile()));
        return;
    }
    auto model = makeRunningAnchoringModel(profile);
    QVERIFY(model);
    QTemporaryDir files;
    if (when == 1) {
        QFile big(files.filePath(QStringLiteral("big.bin")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        const QByteArray mb(1 << 20, 'x');
        for (int i = 0; i < 64; ++i)
            QCOMPARE(big.write(mb), mb.size());
        big.close();
        model->addFiles({big.fileName()});
        QVERIFY(model->isHashing());
        model.reset(); // the worker sees the cancel at its next chunk; its result goes nowhere
    } else if (when == 2) {
        QStringList paths;
        for (int i = 0; i < 3; ++i) {
            QFile f(files.filePath(QStringLiteral("doc%1.txt").arg(i)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("lifetime document ") + QByteArray::number(i) +
                    QByteArray::number(QDateTime::currentMSecsSinceEpoch()));
        }
        paths << files.filePath(QStringLiteral("doc0.txt")) << files.filePath(QStringLiteral("doc1.txt"))
              << files.filePath(QStringLiteral("doc2.txt"));
        QSignalSpy progress(model.get(), &AnchoringModel::hashProgress);
        model->addFiles(paths);
        // The reading ends (a progress of 0 bytes in all) right before the model asks the core
        // about each digest: those calls are queued on the anchoring thread when the model goes.
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(progress.cbegin(), progress.cend(),
                                             [](const QList<QVariant>& args) { return args.at(1).toLongLong() == 0; }),
                                 20000);
        QVERIFY(!model->isHashing());
        model.reset();
    } else {
        // The node asked from the model's network thread (Test connection, a proof checked): the
        // model goes before the node answers.
        QFile doc(files.filePath(QStringLiteral("doc.txt")));
        QVERIFY(doc.open(QIODevice::WriteOnly));
        doc.write("a document");
        doc.close();
        QFile ots(files.filePath(QStringLiteral("doc.txt.ots")));
        QVERIFY(ots.open(QIODevice::WriteOnly));
        ots.write(QByteArray::fromHex("004f70656e54696d657374616d7073000050726f6f6600bf89e2e884e89294"));
        ots.close();
        model->testConnection(anchorBackend(nodeSettings()));
        model->verify(doc.fileName(), ots.fileName());
        model.reset();
    }
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::sendPostedEvents();
    // The profile's anchor database is free again: another model starts on it.
    auto again = makeRunningAnchoringModel(profile);
    QVERIFY(again);
}

void TestModelLifetime::dashboardWaitingForTheAnchoringCore()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("from another thread")));
    const Profile profile =
        Profile::resolve(QStringLiteral("anchoring"), m_dir.path() + QStringLiteral("/anchoring")).value();
    QVERIFY(profile.ensureExists().ok());
    auto anchoring = makeRunningAnchoringModel(profile);
    QVERIFY(anchoring);
    AnchoringModel* core = anchoring.get();
    auto makeDashboard = [&] {
        auto d = std::make_unique<DashboardModel>(
            StatusCollector::Config{profile.anchorDatabase(), BackendConfig{}, {}, 3000}, 600000,
            SystemClock::instance());
        d->setAnchoringCore([&anchoring]() -> AnchorRuntime* { return anchoring ? anchoring->runtime() : nullptr; });
        return d;
    };
    // The dashboard goes while the core prepares its figures: the answer finds nobody.
    auto dashboard = makeDashboard();
    dashboard->refresh();
    dashboard.reset();
    bool answered = false;
    core->runtime()->snapshot([&answered](const QJsonObject&) { answered = true; }); // behind the first
    QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
    // The core stops before it answers: the dashboard collects without it, once.
    dashboard = makeDashboard();
    QSignalSpy collected(dashboard.get(), &DashboardModel::snapshotChanged);
    dashboard->refresh();
    anchoring.reset();
    QVERIFY(collected.wait(20000));
    QVERIFY(dashboard->snapshot().anchors.available); // read from the database, read-only
    dashboard->refresh();                             // and the next refresh is not stuck
    QVERIFY(collected.wait(20000));
    QCOMPARE(collected.size(), 2);
}

QTEST_MAIN(TestModelLifetime)
#include "test_model_lifetime.moc"
