// `userwallet-cli member fetch` and `member rename` against a real relay daemon (and a hostile
// relay in this process): two devices paired through the CLI, labels from init and pair-join, a
// rename on each device, and what a service reads from the relays, verified as a chain.
#include "devices/MemberChain.h"
#include "relay/RelayPool.h"
#include "support/HostileRelay.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace uw;
using namespace uw::test;

namespace {

using PerRelay = QMap<QString, bool>;

QString labelOf(const QJsonObject& member, const QString& pair)
{
    for (const QJsonValue& v : member.value(QStringLiteral("pairs")).toArray())
        if (v.toObject().value(QStringLiteral("pair")).toString() == pair)
            return v.toObject().value(QStringLiteral("label")).toString();
    return {};
}

} // namespace

class TestMemberCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void fetchShowsTheLatestVersionWithLabels();
    void renameOnEachDeviceMakesOneChain();
    void renameRefusesABadLabel_data();
    void renameRefusesABadLabel();
    void fetchOfAnUnknownMemberFails();
    void fetchReportsAFork();
    void fetchThroughAHostileRelay();
    void removeWithoutYesAndNoTerminalRefuses();
    void removeRefusesThisDevice();
    void removeAnotherDevicePublishesAVersionWithoutIt();
    void removeRefusesTheLastDevice();

private:
    QStringList dir(const QString& profile) const
    {
        return {QStringLiteral("--data-dir"), m_dir.path() + QLatin1Char('/') + profile};
    }
    /// `member fetch` from a profile with no identity (a service), over `relays`.
    QJsonObject fetch(const QStringList& args, const QStringList& relays, int* code)
    {
        return runCli(dir(QStringLiteral("service")) + QStringList{QStringLiteral("member"), QStringLiteral("fetch")} +
                          args,
                      relays, code);
    }
    void publish(const QList<NostrEvent>& events);
    /// `member remove` on device 1 with `args`; `noTerminal`: in a session of its own, where no
    /// terminal can be opened to ask (as under CI).
    QJsonObject remove(const QStringList& args, int* code, bool noTerminal = false)
    {
        CliProcess p(dir(QStringLiteral("device1")) + QStringList{QStringLiteral("member"), QStringLiteral("remove")} +
                         args,
                     {m_relay->url()});
        if (noTerminal)
            p.process().setChildProcessModifier([] { ::setsid(); });
        p.start();
        *code = p.waitForExit(60000);
        return p.lines().isEmpty() ? QJsonObject() : p.lines().last();
    }

    QTemporaryDir m_dir;
    std::unique_ptr<RelayProcess> m_relay;
    QString m_pair1, m_pair2;
};

void TestMemberCli::initTestCase()
{
    m_relay = std::make_unique<RelayProcess>(m_dir.path() + QStringLiteral("/relay.sqlite"));
    QVERIFY(m_relay->start());
    int code = -1;
    const QJsonObject created =
        runCli(dir(QStringLiteral("device1")) + QStringList{QStringLiteral("init"), QStringLiteral("--member"),
                                                            QStringLiteral("alice"), QStringLiteral("--label"),
                                                            QStringLiteral("laptop")},
               {}, &code);
    QCOMPARE(code, 0);
    m_pair1 = created.value(QStringLiteral("pair")).toString();
    CliProcess offer(dir(QStringLiteral("device1")) +
                         QStringList{QStringLiteral("pair-offer"), QStringLiteral("--yes")},
                     {m_relay->url()});
    offer.start();
    const QString link = offer.waitForEvent(QStringLiteral("link")).value(QStringLiteral("link")).toString();
    CliProcess join(dir(QStringLiteral("device2")) + QStringList{QStringLiteral("pair-join"), link,
                                                                 QStringLiteral("--label"), QStringLiteral("phone")},
                    {m_relay->url()});
    join.start();
    QCOMPARE(offer.waitForExit(), 0);
    QCOMPARE(join.waitForExit(), 0);
    m_pair2 = join.events(QStringLiteral("paired")).value(0).value(QStringLiteral("pair")).toString();
    QVERIFY(!m_pair2.isEmpty());
}

void TestMemberCli::cleanupTestCase()
{
    m_relay.reset();
}

void TestMemberCli::publish(const QList<NostrEvent>& events)
{
    RelayPool pool({m_relay->url()});
    pool.start();
    QSignalSpy done(&pool, &RelayPool::publishFinished);
    for (const NostrEvent& e : events)
        pool.publish(e);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), events.size(), 15000);
    for (const auto& answer : std::as_const(done))
        QVERIFY(answer.at(1).value<PerRelay>().value(m_relay->url()));
    pool.stop();
}

void TestMemberCli::fetchShowsTheLatestVersionWithLabels()
{
    // Pairing published version 1 (device 1's document as init made it) and version 2 (with device 2).
    int code = -1;
    const QJsonObject out = fetch({QStringLiteral("alice")}, {m_relay->url()}, &code);
    QCOMPARE(code, 0);
    const QJsonObject member = out.value(QStringLiteral("member")).toObject();
    QCOMPARE(member.value(QStringLiteral("id")).toString(), QStringLiteral("alice"));
    QCOMPARE(out.value(QStringLiteral("version")).toInt(), 2);
    QCOMPARE(out.value(QStringLiteral("versions")).toInt(), 2);
    QCOMPARE(out.value(QStringLiteral("relays_answered")).toInt(), 1);
    QCOMPARE(labelOf(member, m_pair1), QStringLiteral("laptop"));
    QCOMPARE(labelOf(member, m_pair2), QStringLiteral("phone"));
    // Both devices hold that same version, and its event.
    for (const QString& device : {QStringLiteral("device1"), QStringLiteral("device2")}) {
        auto profile = Profile::resolve({}, m_dir.path() + QLatin1Char('/') + device);
        auto local = LocalMember::load(*profile);
        QVERIFY(local.ok());
        QVERIFY(local->event);
        QCOMPARE(local->event->id, out.value(QStringLiteral("event")).toString());
    }
}

void TestMemberCli::renameOnEachDeviceMakesOneChain()
{
    int code = -1;
    const QJsonObject renamed =
        runCli(dir(QStringLiteral("device2")) +
                   QStringList{QStringLiteral("member"), QStringLiteral("rename"), QStringLiteral("Zoé's phone")},
               {m_relay->url()}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(renamed.value(QStringLiteral("event")).toString(), QStringLiteral("renamed"));
    QCOMPARE(renamed.value(QStringLiteral("version")).toInt(), 3);
    // Device 1 still holds version 2: its rename reads version 3 first and follows it.
    const QJsonObject second =
        runCli(dir(QStringLiteral("device1")) +
                   QStringList{QStringLiteral("member"), QStringLiteral("rename"), QStringLiteral("desk")},
               {m_relay->url()}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(second.value(QStringLiteral("version")).toInt(), 4);

    const QJsonObject out = fetch({QStringLiteral("alice")}, {m_relay->url()}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(out.value(QStringLiteral("version")).toInt(), 4);
    QCOMPARE(out.value(QStringLiteral("event")).toString(), second.value(QStringLiteral("event_id")).toString());
    const QJsonObject member = out.value(QStringLiteral("member")).toObject();
    QCOMPARE(labelOf(member, m_pair1), QStringLiteral("desk"));
    QCOMPARE(labelOf(member, m_pair2), QStringLiteral("Zoé's phone"));
    // Device 1's own copy is that version.
    const QJsonObject shown = runCli(
        dir(QStringLiteral("device1")) + QStringList{QStringLiteral("member"), QStringLiteral("show")}, {}, &code);
    QCOMPARE(shown.value(QStringLiteral("version")).toInt(), 4);
    QCOMPARE(labelOf(shown, m_pair2), QStringLiteral("Zoé's phone"));
}

void TestMemberCli::renameRefusesABadLabel_data()
{
    QTest::addColumn<QString>("label");
    QTest::newRow("control character") << QStringLiteral("bad\nlabel");
    QTest::newRow("too long") << QString(65, QLatin1Char('x'));
    QTest::newRow("invisible") << QStringLiteral("lap\u202Etop");
    QTest::newRow("empty") << QString();
}

void TestMemberCli::renameRefusesABadLabel()
{
    QFETCH(QString, label);
    int code = -1;
    const QJsonObject before = fetch({QStringLiteral("alice")}, {m_relay->url()}, &code);
    const QJsonObject out =
        runCli(dir(QStringLiteral("device2")) + QStringList{QStringLiteral("member"), QStringLiteral("rename"), label},
               {m_relay->url()}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(out.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_label"));
    const QJsonObject after = fetch({QStringLiteral("alice")}, {m_relay->url()}, &code);
    QCOMPARE(after.value(QStringLiteral("event")), before.value(QStringLiteral("event"))); // nothing published
}

void TestMemberCli::fetchOfAnUnknownMemberFails()
{
    int code = -1;
    const QJsonObject out = fetch({QStringLiteral("nobody")}, {m_relay->url()}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(out.value(QStringLiteral("error")).toString(), QStringLiteral("member_not_found"));
    QVERIFY(out.value(QStringLiteral("message")).toString().contains(QStringLiteral("nobody")));
}

void TestMemberCli::fetchReportsAFork()
{
    // Two versions 2 of frank, each signed by one of its devices.
    const TestPair a = makePair(), b = makePair();
    MemberDocument d{QStringLiteral("frank"), QString(), 1, {PairRef{a.pair, a.pubkey}, PairRef{b.pair, b.pubkey}}};
    const NostrEvent e1 = memberchain::sign(d, *a.secret, 1'700'000'000).value();
    MemberDocument left = d.successor(e1.id), right = d.successor(e1.id);
    left.labels.insert(a.pair, QStringLiteral("left"));
    right.labels.insert(b.pair, QStringLiteral("right"));
    const NostrEvent el = memberchain::sign(left, *a.secret, 1'700'000'001).value();
    const NostrEvent er = memberchain::sign(right, *b.secret, 1'700'000'002).value();
    publish({e1, el, er});
    int code = -1;
    const QJsonObject out = fetch({QStringLiteral("frank")}, {m_relay->url()}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(out.value(QStringLiteral("error")).toString(), QStringLiteral("member_fork"));
    const QString message = out.value(QStringLiteral("message")).toString();
    QVERIFY(message.contains(el.id));
    QVERIFY(message.contains(er.id));
}

void TestMemberCli::fetchThroughAHostileRelay()
{
    // The hostile relay serves a stranger's version appended to alice's latest, a squatter's
    // version 1 only when asked, and its forgeries and junk; the honest relay serves the truth.
    int code = -1;
    const QJsonObject honest = fetch({QStringLiteral("alice")}, {m_relay->url()}, &code);
    QCOMPARE(code, 0);
    auto profile = Profile::resolve({}, m_dir.path() + QStringLiteral("/device1"));
    const LocalMember latest = LocalMember::load(*profile).value();
    QCOMPARE(latest.event->id, honest.value(QStringLiteral("event")).toString());
    const TestPair mallory = makePair();
    MemberDocument grab = latest.document.successor(latest.event->id);
    grab.pairs.append(PairRef{mallory.pair, mallory.pubkey});
    grab.labels.insert(mallory.pair, QStringLiteral("laptop"));
    const NostrEvent appended = memberchain::sign(grab, *mallory.secret, 1'800'000'000).value();

    HostileRelay hostile;
    QVERIFY(hostile.listen());
    hostile.replays = {appended};
    hostile.floodFrames = 50;
    const QStringList both{m_relay->url(), hostile.url()};
    const QJsonObject out = fetch({QStringLiteral("alice")}, both, &code);
    QCOMPARE(code, 0);
    QCOMPARE(out.value(QStringLiteral("event")), honest.value(QStringLiteral("event")));
    QCOMPARE(out.value(QStringLiteral("relays_answered")).toInt(), 2);
    QVERIFY(out.value(QStringLiteral("rejected")).toInt() >= 1);

    // A squatter's version 1 for alice: no silent choice; pinned to the honest start, the honest chain.
    MemberDocument squat{QStringLiteral("alice"), QString(), 1, {PairRef{mallory.pair, mallory.pubkey}}};
    hostile.replays.append(memberchain::sign(squat, *mallory.secret, 1'800'000'000).value());
    const QJsonObject forked = fetch({QStringLiteral("alice")}, both, &code);
    QCOMPARE(code, 1);
    QCOMPARE(forked.value(QStringLiteral("error")).toString(), QStringLiteral("member_fork"));
    const QJsonObject pinned =
        fetch({QStringLiteral("alice"), QStringLiteral("--root"), honest.value(QStringLiteral("root")).toString()},
              both, &code);
    QCOMPARE(code, 0);
    QCOMPARE(pinned.value(QStringLiteral("event")), honest.value(QStringLiteral("event")));
    // An unreachable relay only: a clear error.
    const QJsonObject none = fetch({QStringLiteral("alice"), QStringLiteral("--timeout"), QStringLiteral("2")},
                                   {QStringLiteral("ws://127.0.0.1:1")}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(none.value(QStringLiteral("error")).toString(), QStringLiteral("relays_unreachable"));
}

void TestMemberCli::removeWithoutYesAndNoTerminalRefuses()
{
    int code = -1;
    const QJsonObject before = fetch({QStringLiteral("alice")}, {m_relay->url()}, &code);
    QCOMPARE(code, 0);
    // By its label: asked for on a terminal, and there is none.
    const QJsonObject out = remove({QStringLiteral("Zoé's phone")}, &code, /*noTerminal=*/true);
    QCOMPARE(code, 1);
    QCOMPARE(out.value(QStringLiteral("error")).toString(), QStringLiteral("not_confirmed"));
    QVERIFY(out.value(QStringLiteral("message")).toString().contains(QStringLiteral("--yes")));
    QVERIFY(out.value(QStringLiteral("message")).toString().contains(m_pair2));
    const QJsonObject after = fetch({QStringLiteral("alice")}, {m_relay->url()}, &code);
    QCOMPARE(after.value(QStringLiteral("event")), before.value(QStringLiteral("event"))); // nothing published
    // A device the member does not have: said before anything is asked.
    const QJsonObject unknown = remove({QStringLiteral("tablet"), QStringLiteral("--yes")}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(unknown.value(QStringLiteral("error")).toString(), QStringLiteral("unknown_device"));
}

void TestMemberCli::removeRefusesThisDevice()
{
    int code = -1;
    const QJsonObject out = remove({m_pair1, QStringLiteral("--yes")}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(out.value(QStringLiteral("error")).toString(), QStringLiteral("removing_this_device"));
    // What to do instead.
    QVERIFY(out.value(QStringLiteral("message")).toString().contains(QStringLiteral("another of member")));
}

void TestMemberCli::removeAnotherDevicePublishesAVersionWithoutIt()
{
    int code = -1;
    const QJsonObject before = fetch({QStringLiteral("alice")}, {m_relay->url()}, &code);
    const int version = before.value(QStringLiteral("version")).toInt();
    const QJsonObject out = remove({m_pair2, QStringLiteral("--yes")}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(out.value(QStringLiteral("event")).toString(), QStringLiteral("removed"));
    QCOMPARE(out.value(QStringLiteral("pair")).toString(), m_pair2);
    QCOMPARE(out.value(QStringLiteral("label")).toString(), QStringLiteral("Zoé's phone"));
    QCOMPARE(out.value(QStringLiteral("version")).toInt(), version + 1);
    QVERIFY(out.value(QStringLiteral("relays")).toObject().value(m_relay->url()).toBool());

    // What a service reads: the chain verified up to the new version, signed by device 1, without device 2.
    const QJsonObject after = fetch({QStringLiteral("alice")}, {m_relay->url()}, &code);
    QCOMPARE(code, 0);
    QCOMPARE(after.value(QStringLiteral("version")).toInt(), version + 1);
    QCOMPARE(after.value(QStringLiteral("versions")).toInt(), version + 1);
    QCOMPARE(after.value(QStringLiteral("event")).toString(), out.value(QStringLiteral("event_id")).toString());
    QCOMPARE(after.value(QStringLiteral("author")).toString(),
             LocalMember::load(*Profile::resolve({}, m_dir.path() + QStringLiteral("/device1")))
                 .value()
                 .document.pairs.first()
                 .pubkey);
    const QJsonObject member = after.value(QStringLiteral("member")).toObject();
    QCOMPARE(member.value(QStringLiteral("pairs")).toArray().size(), 1);
    QCOMPARE(labelOf(member, m_pair1), QStringLiteral("desk"));
    QVERIFY(!QJsonDocument(member).toJson().contains(m_pair2.toUtf8()));
    QCOMPARE(member.value(QStringLiteral("previous")).toString(), before.value(QStringLiteral("event")).toString());

    // The removed device can no longer change the member: its rename reads the new version and has no key in it.
    const QJsonObject renamed =
        runCli(dir(QStringLiteral("device2")) +
                   QStringList{QStringLiteral("member"), QStringLiteral("rename"), QStringLiteral("still here")},
               {m_relay->url()}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(renamed.value(QStringLiteral("error")).toString(), QStringLiteral("rename_failed"));
    QVERIFY(renamed.value(QStringLiteral("message")).toString().contains(QStringLiteral("no authorized key")));
    QCOMPARE(fetch({QStringLiteral("alice")}, {m_relay->url()}, &code).value(QStringLiteral("event")),
             after.value(QStringLiteral("event")));
}

void TestMemberCli::removeRefusesTheLastDevice()
{
    int code = -1;
    const QJsonObject out = remove({QStringLiteral("desk"), QStringLiteral("--yes")}, &code);
    QCOMPARE(code, 1);
    QCOMPARE(out.value(QStringLiteral("error")).toString(), QStringLiteral("last_device"));
    QVERIFY(out.value(QStringLiteral("message")).toString().contains(QStringLiteral("only device")));
}

QTEST_GUILESS_MAIN(TestMemberCli)
#include "test_member_cli.moc"
