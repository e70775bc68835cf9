// userwallet-cli as a user runs it: separate processes, real files, JSON on stdout.
#include "crypto/Bytes.h"
#include "crypto/PassphrasePolicy.h"
#include "identity/KeyStore.h"
#include "login/LoginValidation.h"
#include "login/Proof.h"
#include "support/TestIdentity.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {
const QByteArray kPassphrase = "pw for tests";
} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void initAndMemberShow();
    void initRefusesToOverwrite();
    void initValidatesInput();
    void passphraseLengthInCodePoints();
    void newKeyRefusesShortPassphrase_data();
    void newKeyRefusesShortPassphrase();
    void allowWeakPassphraseAcceptsAndUnlocks();
    void verifiesIndependentProof();
    void independentVerifierAcceptsOurProof();
    void markRefusesReplay();
    void invalidProofsSayWhy();
    void stateDiagram();
    void everyCommandAnswersHelp_data();
    void everyCommandAnswersHelp();
    void unknownOptionsAreUsageErrors_data();
    void unknownOptionsAreUsageErrors();

private:
    struct Run
    {
        int code;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const { return QJsonDocument::fromJson(out.trimmed().split('\n').last()).object(); }
    };
    Run cli(const QStringList& args, const QByteArray& stdinData = {},
            const QByteArray& passphrase = kPassphrase) const;
    Run python(const QStringList& args, const QByteArray& stdinData = {}) const;
    QString writeFile(const QString& name, const QByteArray& data) const;

    QTemporaryDir m_dir;
    QString m_python;
};

void TestCli::initTestCase()
{
    m_python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    QVERIFY2(!m_python.isEmpty(), "python3 is needed for the independent implementation");
}

TestCli::Run TestCli::cli(const QStringList& args, const QByteArray& stdinData, const QByteArray& passphrase) const
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!passphrase.isNull())
        env.insert(QStringLiteral("USERWALLET_PASSPHRASE"), QString::fromUtf8(passphrase));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(UW_CLI_PATH), args);
    p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        qFatal("userwallet-cli hung");
    return Run{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

TestCli::Run TestCli::python(const QStringList& args, const QByteArray& stdinData) const
{
    QProcess p;
    p.start(m_python, QStringList{QStringLiteral(UW_SOURCE_DIR "/tests/tools/independent_proof.py")} + args);
    p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000))
        qFatal("python hung");
    return Run{p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

QString TestCli::writeFile(const QString& name, const QByteArray& data) const
{
    const QString path = m_dir.path() + QLatin1Char('/') + name;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write");
    f.write(data);
    return path;
}

void TestCli::initAndMemberShow()
{
    const QString dir = m_dir.path() + QStringLiteral("/alice");
    const Run init = cli({QStringLiteral("--data-dir"), dir, QStringLiteral("init"), QStringLiteral("--member"),
                          QStringLiteral("alice"), QStringLiteral("--name"), QStringLiteral("Alice Martin"),
                          QStringLiteral("--cardinality"), QStringLiteral("2")});
    QCOMPARE(init.code, 0);
    const QJsonObject created = init.json();
    QCOMPARE(created.value(QStringLiteral("member")).toString(), QStringLiteral("alice"));
    QVERIFY(validate::isUuid(created.value(QStringLiteral("pair")).toString()));
    QVERIFY(isLowerHex(created.value(QStringLiteral("pubkey")).toString(), 64));
    QVERIFY(!init.out.contains(kPassphrase));

    const Run show = cli({QStringLiteral("--data-dir"), dir, QStringLiteral("member"), QStringLiteral("show")});
    QCOMPARE(show.code, 0);
    const QJsonObject doc = show.json();
    QCOMPARE(doc.value(QStringLiteral("id")).toString(), QStringLiteral("alice"));
    QCOMPARE(doc.value(QStringLiteral("name")).toString(), QStringLiteral("Alice Martin"));
    QCOMPARE(doc.value(QStringLiteral("cardinalite_minimale")).toInt(), 2);
    const QJsonObject pair = doc.value(QStringLiteral("pairs")).toArray().first().toObject();
    QCOMPARE(pair.value(QStringLiteral("pair")), created.value(QStringLiteral("pair")));
    QCOMPARE(pair.value(QStringLiteral("pubkey")), created.value(QStringLiteral("pubkey")));

    // The passphrase file works as well as the environment, if it is the user's own (0600): one
    // that others can read is refused, and nothing is created.
    const QString pwFile = writeFile(QStringLiteral("pw.txt"), "file passphrase\n");
    const QStringList initBob{QStringLiteral("--data-dir"),
                              m_dir.path() + QStringLiteral("/bob"),
                              QStringLiteral("--passphrase-file"),
                              pwFile,
                              QStringLiteral("init"),
                              QStringLiteral("--member"),
                              QStringLiteral("bob")};
    QVERIFY(QFile::setPermissions(pwFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                                              QFileDevice::ReadOther));
    const Run readable = cli(initBob, {}, QByteArray());
    QVERIFY(readable.code != 0);
    QVERIFY2(readable.err.contains("chmod 600"), readable.err.constData());
    QVERIFY(!QFile::exists(m_dir.path() + QStringLiteral("/bob/member.json")));
    QVERIFY(QFile::setPermissions(pwFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    const Run viaFile = cli(initBob, {}, QByteArray());
    QCOMPARE(viaFile.code, 0);
}

void TestCli::initRefusesToOverwrite()
{
    const QString dir = m_dir.path() + QStringLiteral("/carol");
    QCOMPARE(cli({QStringLiteral("--data-dir"), dir, QStringLiteral("init"), QStringLiteral("--member"),
                  QStringLiteral("carol")})
                 .code,
             0);
    QFile member(dir + QStringLiteral("/member.json"));
    QVERIFY(member.open(QIODevice::ReadOnly));
    const QByteArray before = member.readAll();
    member.close();
    const QStringList keysBefore = QDir(dir + QStringLiteral("/keys")).entryList(QDir::Files);
    const Run again = cli({QStringLiteral("--data-dir"), dir, QStringLiteral("init"), QStringLiteral("--member"),
                           QStringLiteral("mallory")});
    QCOMPARE(again.code, 1);
    QCOMPARE(again.json().value(QStringLiteral("error")).toString(), QStringLiteral("already_initialized"));
    QVERIFY(member.open(QIODevice::ReadOnly));
    QCOMPARE(member.readAll(), before);
    QCOMPARE(QDir(dir + QStringLiteral("/keys")).entryList(QDir::Files), keysBefore);
}

void TestCli::initValidatesInput()
{
    const QString dir = m_dir.path() + QStringLiteral("/bad");
    QCOMPARE(cli({QStringLiteral("--data-dir"), dir, QStringLiteral("init")}).code, 1);
    QCOMPARE(cli({QStringLiteral("--data-dir"), dir, QStringLiteral("init"), QStringLiteral("--member"),
                  QStringLiteral("x"), QStringLiteral("--cardinality"), QStringLiteral("zero")})
                 .code,
             1);
    QCOMPARE(cli({QStringLiteral("--data-dir"), dir, QStringLiteral("init"), QStringLiteral("--member"),
                  QStringLiteral("a\tb")})
                 .code,
             1);
    QVERIFY2(!QFileInfo::exists(dir + QStringLiteral("/keys")), "refused input creates nothing");
    QCOMPARE(cli({QStringLiteral("no-such-command")}).code, 1);
}

void TestCli::passphraseLengthInCodePoints()
{
    // Characters as a person counts them, the same from the GUI's QString and the CLI's UTF-8.
    const QString accented = QStringLiteral("éééééééé");
    const QString emoji =
        QString::fromUtf8("\xF0\x9F\x94\x91\xF0\x9F\x94\x91\xF0\x9F\x94\x91\xF0\x9F\x94\x91"); // 4 keys
    QCOMPARE(PassphrasePolicy::length(accented), 8);
    QCOMPARE(PassphrasePolicy::length(QByteArrayView(accented.toUtf8())), 8);
    QCOMPARE(emoji.size(), 8); // UTF-16 units
    QCOMPARE(PassphrasePolicy::length(emoji), 4);
    QCOMPARE(PassphrasePolicy::length(QByteArrayView(emoji.toUtf8())), 4);
    QCOMPARE(PassphrasePolicy::length(QByteArrayView("\xC3", 1)), 1); // a cut sequence still counts
    QVERIFY(!PassphrasePolicy::check(emoji));
    QVERIFY(!PassphrasePolicy::check(QByteArrayView(accented.left(7).toUtf8())));
    QVERIFY(PassphrasePolicy::check(accented).ok());
    QCOMPARE(PassphrasePolicy::check(QStringLiteral("short")).error().code, QStringLiteral("weak_passphrase"));
    // The welcome screen's meter never calls a refused passphrase more than weak.
    QCOMPARE(PassphrasePolicy::strength(QString()), 0);
    QCOMPARE(PassphrasePolicy::strength(QStringLiteral("Ab1!xyz")), 1);
    QVERIFY(PassphrasePolicy::strength(QStringLiteral("Ab1!xyzw")) >= 3);
}

void TestCli::newKeyRefusesShortPassphrase_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QByteArray>("passphrase");
    QTest::addColumn<bool>("accepted");
    const QStringList init{QStringLiteral("init"), QStringLiteral("--member"), QStringLiteral("dora")};
    QTest::newRow("init, 1 character") << init << QByteArray("x") << false;
    QTest::newRow("init, 7 characters") << init << QByteArray("abcdefg") << false;
    QTest::newRow("init, 7 accented (14 bytes)") << init << QStringLiteral("ééééééé").toUtf8() << false;
    QTest::newRow("init, 4 emoji (16 bytes)")
        << init << QByteArray("\xF0\x9F\x94\x91\xF0\x9F\x94\x91\xF0\x9F\x94\x91\xF0\x9F\x94\x91") << false;
    QTest::newRow("init, 8 characters") << init << QByteArray("abcdefgh") << true;
    QTest::newRow("init, 8 accented") << init << QStringLiteral("éééééééé").toUtf8() << true;
    QTest::newRow("pair-join, 1 character")
        << QStringList{QStringLiteral("--relays"),
                       QStringLiteral("ws://127.0.0.1:9"),
                       QStringLiteral("pair-join"),
                       QStringLiteral("userwallet://pair?code=") + QString(32, QLatin1Char('a')),
                       QStringLiteral("--timeout"),
                       QStringLiteral("1")}
        << QByteArray("x") << false;
    QTest::newRow("address, 7 characters") << QStringList{QStringLiteral("address")} << QByteArray("abcdefg") << false;
    QTest::newRow("address, 8 characters") << QStringList{QStringLiteral("address")} << QByteArray("abcdefgh") << true;
}

void TestCli::newKeyRefusesShortPassphrase()
{
    QFETCH(QStringList, command);
    QFETCH(QByteArray, passphrase);
    QFETCH(bool, accepted);
    const QString dir = m_dir.path() + QStringLiteral("/weak-") + QString::fromLatin1(QTest::currentDataTag());
    QStringList args{QStringLiteral("--data-dir"), dir};
    // --relays is a global option: it goes before the command word.
    if (command.first() == QLatin1String("--relays")) {
        args += command.mid(0, 2);
        command = command.mid(2);
    }
    const Run r = cli(args + command, {}, passphrase);
    if (accepted) {
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(QDir(dir).entryList(QDir::Files).size() +
                     QDir(dir + QStringLiteral("/keys")).entryList(QDir::Files).size(),
                 command.first() == QLatin1String("init") ? 2 : 1); // key and member.json, or the anchoring key
        return;
    }
    QVERIFY(r.code != 0);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("weak_passphrase"));
    const QString message = r.json().value(QStringLiteral("message")).toString();
    QVERIFY2(message.contains(QStringLiteral("at least 8 characters")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("--allow-weak-passphrase")), qPrintable(message));
    QVERIFY2(!QFileInfo::exists(dir), "a refused passphrase creates nothing: no folder, no key file");
}

void TestCli::allowWeakPassphraseAcceptsAndUnlocks()
{
    const QString dir = m_dir.path() + QStringLiteral("/weak-allowed");
    const Run init = cli({QStringLiteral("--data-dir"), dir, QStringLiteral("--allow-weak-passphrase"),
                          QStringLiteral("init"), QStringLiteral("--member"), QStringLiteral("erin")},
                         {}, "x");
    QVERIFY2(init.code == 0, init.err.constData());
    QCOMPARE(QDir(dir + QStringLiteral("/keys")).entryList(QDir::Files).size(), 1);
    // The key is sealed under that passphrase, and it unlocks with it.
    const auto ring = KeyStore(dir + QStringLiteral("/keys")).unlock("x");
    QVERIFY2(ring.ok(), ring.ok() ? "" : qPrintable(ring.error().message));

    // An existing key's short passphrase is never checked: the anchoring key, made with the
    // option, opens later without it.
    const Run made =
        cli({QStringLiteral("--data-dir"), dir, QStringLiteral("--allow-weak-passphrase"), QStringLiteral("address")},
            {}, "y");
    QVERIFY2(made.code == 0, made.err.constData());
    const Run reopened = cli({QStringLiteral("--data-dir"), dir, QStringLiteral("address")}, {}, "y");
    QVERIFY2(reopened.code == 0, reopened.err.constData());
    QCOMPARE(reopened.json().value(QStringLiteral("address")), made.json().value(QStringLiteral("address")));
}

void TestCli::verifiesIndependentProof()
{
    const Run made = python({QStringLiteral("make")});
    QCOMPARE(made.code, 0);
    const Run viaFile = cli({QStringLiteral("verify-proof"), writeFile(QStringLiteral("py.json"), made.out)});
    QCOMPARE(viaFile.code, 0);
    QCOMPARE(viaFile.json(), QJsonObject({{QStringLiteral("valid"), true}}));
    const Run viaStdin = cli({QStringLiteral("verify-proof"), QStringLiteral("-")}, made.out);
    QCOMPARE(viaStdin.code, 0);
}

void TestCli::independentVerifierAcceptsOurProof()
{
    const TestPair a1 = makePair(), a2 = makePair();
    const Challenge c =
        makeChallenge({makeMember(QStringLiteral("alice"), 2, {a1, a2})}, QDateTime::currentSecsSinceEpoch());
    const Proof proof{c.message, c.hash, c.nonce(),
                      signChallenge(c, QStringLiteral("alice"), makeRing({a1, a2})).value()};
    const Run checked = python({QStringLiteral("verify")}, proof.toBytes());
    QVERIFY2(checked.code == 0, checked.out.constData());
    // And the independent verifier is not a rubber stamp.
    Proof broken = proof;
    broken.signatures[0].sig = broken.signatures[1].sig;
    QCOMPARE(python({QStringLiteral("verify")}, broken.toBytes()).code, 1);
}

void TestCli::markRefusesReplay()
{
    const QByteArray proof = python({QStringLiteral("make")}).out;
    const QString path = writeFile(QStringLiteral("replay.json"), proof);
    const QString dir = m_dir.path() + QStringLiteral("/service");
    const Run first =
        cli({QStringLiteral("--data-dir"), dir, QStringLiteral("verify-proof"), path, QStringLiteral("--mark")});
    QCOMPARE(first.code, 0);
    const Run second =
        cli({QStringLiteral("--data-dir"), dir, QStringLiteral("verify-proof"), path, QStringLiteral("--mark")});
    QCOMPARE(second.code, 1);
    QCOMPARE(second.json().value(QStringLiteral("valid")).toBool(true), false);
    QCOMPARE(second.json().value(QStringLiteral("code")).toString(), QStringLiteral("nonce_used"));
    // Without --mark the proof itself is still valid.
    QCOMPARE(cli({QStringLiteral("verify-proof"), path}).code, 0);
}

void TestCli::invalidProofsSayWhy()
{
    QJsonObject proof = QJsonDocument::fromJson(python({QStringLiteral("make")}).out).object();
    QJsonObject msg = proof.value(QStringLiteral("message")).toObject();
    msg.insert(QStringLiteral("service"), QStringLiteral("another-service"));
    proof.insert(QStringLiteral("message"), msg);
    const Run tampered = cli({QStringLiteral("verify-proof"), QStringLiteral("-")}, QJsonDocument(proof).toJson());
    QCOMPARE(tampered.code, 1);
    QCOMPARE(tampered.json().value(QStringLiteral("valid")).toBool(true), false);
    QCOMPARE(tampered.json().value(QStringLiteral("code")).toString(), QStringLiteral("hash_mismatch"));
    QVERIFY(!tampered.json().value(QStringLiteral("reason")).toString().isEmpty());

    const QByteArray expired =
        python({QStringLiteral("make"), QStringLiteral("--now"), QStringLiteral("1600000000")}).out;
    QCOMPARE(cli({QStringLiteral("verify-proof"), QStringLiteral("-")}, expired)
                 .json()
                 .value(QStringLiteral("code"))
                 .toString(),
             QStringLiteral("expired"));

    for (const QByteArray& junk : {QByteArray("garbage"), QByteArray("{}"), QByteArray(), QByteArray(300 * 1024, '['),
                                   QByteArray("{\"v\":1,\"message\":{},\"hash\":1,\"nonce\":2,\"signatures\":[]}")}) {
        const Run r = cli({QStringLiteral("verify-proof"), QStringLiteral("-")}, junk);
        QCOMPARE(r.code, 1);
        QCOMPARE(r.json().value(QStringLiteral("valid")).toBool(true), false);
    }
    QCOMPARE(cli({QStringLiteral("verify-proof"), m_dir.path() + QStringLiteral("/missing.json")}).code, 1);
}

void TestCli::stateDiagram()
{
    const Run r = cli({QStringLiteral("state-diagram")});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("S_LOGIN_PUBLISH_PROOF -> S_LOGIN_FAILURE [label=\"E_LOCAL_VERDICT_REJECT\"]"));
}

void TestCli::everyCommandAnswersHelp_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("init") << QStringList{QStringLiteral("init")} << QStringLiteral("--cardinality");
    QTest::newRow("member") << QStringList{QStringLiteral("member")} << QStringLiteral("show");
    QTest::newRow("member show") << QStringList{QStringLiteral("member"), QStringLiteral("show")}
                                 << QStringLiteral("member document");
    QTest::newRow("verify-proof") << QStringList{QStringLiteral("verify-proof")} << QStringLiteral("--mark");
    QTest::newRow("pair-offer") << QStringList{QStringLiteral("pair-offer")} << QStringLiteral("--yes");
    QTest::newRow("pair-join") << QStringList{QStringLiteral("pair-join")} << QStringLiteral("link");
    QTest::newRow("state-diagram") << QStringList{QStringLiteral("state-diagram")} << QStringLiteral("Graphviz");
    QTest::newRow("address") << QStringList{QStringLiteral("address")} << QStringLiteral("address");
    QTest::newRow("anchor") << QStringList{QStringLiteral("anchor")} << QStringLiteral("--digests-file");
    QTest::newRow("anchors") << QStringList{QStringLiteral("anchors")} << QStringLiteral("--limit");
    QTest::newRow("utxo") << QStringList{QStringLiteral("utxo")} << QStringLiteral("fanout");
    QTest::newRow("utxo stats") << QStringList{QStringLiteral("utxo"), QStringLiteral("stats")}
                                << QStringLiteral("expired");
    QTest::newRow("utxo import") << QStringList{QStringLiteral("utxo"), QStringLiteral("import")}
                                 << QStringLiteral("file");
    QTest::newRow("utxo sync") << QStringList{QStringLiteral("utxo"), QStringLiteral("sync")}
                               << QStringLiteral("scantxoutset");
    QTest::newRow("utxo fanout") << QStringList{QStringLiteral("utxo"), QStringLiteral("fanout")}
                                 << QStringLiteral("--outputs");
}

void TestCli::everyCommandAnswersHelp()
{
    QFETCH(QStringList, command);
    QFETCH(QString, mentions);
    const QString dir = m_dir.path() + QStringLiteral("/help");
    const Run r = cli(QStringList{QStringLiteral("--data-dir"), dir} + command + QStringList{QStringLiteral("--help")},
                      {}, QByteArray());
    QCOMPARE(r.code, 0);
    const QString help = QString::fromUtf8(r.err);
    // The usage line names the command as typed ("member show" is the command member, argument show).
    const QString typed = command.first() == QLatin1String("member") ? command.first() : command.join(QLatin1Char(' '));
    QVERIFY2(help.startsWith(QStringLiteral("Usage: userwallet-cli ") + typed + QLatin1Char(' ')), qPrintable(help));
    QVERIFY2(help.contains(QStringLiteral("--help")), qPrintable(help));
    QVERIFY2(help.contains(mentions), qPrintable(help));
    QVERIFY(r.out.isEmpty());
    QVERIFY2(!QFileInfo::exists(dir), "--help touches nothing"); // no profile, no key, no database
}

void TestCli::unknownOptionsAreUsageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("anchors") << QStringList{QStringLiteral("anchors"), QStringLiteral("--lmit"), QStringLiteral("3")};
    QTest::newRow("utxo fanout") << QStringList{QStringLiteral("utxo"), QStringLiteral("fanout"),
                                                QStringLiteral("--output"), QStringLiteral("3")};
    QTest::newRow("verify-proof") << QStringList{QStringLiteral("verify-proof"), QStringLiteral("--mrak"),
                                                 QStringLiteral("-")};
    QTest::newRow("member") << QStringList{QStringLiteral("member"), QStringLiteral("shw")};
    QTest::newRow("utxo") << QStringList{QStringLiteral("utxo"), QStringLiteral("list")};
    QTest::newRow("address") << QStringList{QStringLiteral("address"), QStringLiteral("extra")};
}

void TestCli::unknownOptionsAreUsageErrors()
{
    QFETCH(QStringList, args);
    const QString dir = m_dir.path() + QStringLiteral("/usage");
    const Run r = cli(QStringList{QStringLiteral("--data-dir"), dir} + args, {}, QByteArray());
    QCOMPARE(r.code, 1);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("usage"));
    QVERIFY2(!QFileInfo::exists(dir), "a usage error touches nothing");
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
