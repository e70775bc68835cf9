// The member document's labels and its chain of versions (core/identity/MemberDocument,
// core/devices/MemberChain): what a document may hold, what a reader of old documents still
// accepts, and who may append a version. Then the same over a real relay daemon: pairing
// publishes a new version, a rename follows the latest version another device published, and a
// fetch through a hostile relay still finds the honest chain.
#include "crypto/Bytes.h"
#include "crypto/Schnorr.h"
#include "devices/MemberChain.h"
#include "devices/MemberFetch.h"
#include "devices/MemberUpdater.h"
#include "devices/Pairing.h"
#include "identity/KeyStore.h"
#include "login/LoginValidation.h"
#include "login/ProofVerifier.h"
#include "support/HostileRelay.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include "json/CanonicalJson.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace uw;
using namespace uw::test;

namespace {

using PerRelay = QMap<QString, bool>;

constexpr std::int64_t kNow = 1'700'000'000;

QJsonObject parseObject(const QByteArray& text)
{
    return QJsonDocument::fromJson(text).object();
}

MemberDocument docOf(const QString& id, const QList<TestPair>& pairs, const QStringList& labels = {})
{
    MemberDocument d{id, QStringLiteral("Alice"), 1, {}};
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        d.pairs.append(PairRef{pairs[i].pair, pairs[i].pubkey});
        if (i < labels.size())
            d.labels.insert(pairs[i].pair, labels[i]);
    }
    return d;
}

NostrEvent signDoc(const MemberDocument& d, const TestPair& by, std::int64_t at = kNow)
{
    return memberchain::sign(d, *by.secret, at).value();
}

QStringList idsOf(const MemberChain& chain)
{
    QStringList out;
    for (const MemberVersion& v : chain.versions)
        out << v.event.id;
    return out;
}

} // namespace

class TestMemberChain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    // The document.
    void labelsRoundTripAndStayOutOfLogins();
    void oldDocumentsWithoutLabelsLoad();
    void labelRules_data();
    void labelRules();
    void versionFields_data();
    void versionFields();
    void defaultLabelIsAcceptable();

    // The chain, offline.
    void chainFollowsVersionsInAnyOrder();
    void strangerCannotAppend();
    void strangerRootIsAForkUnlessStartIsPinned();
    void forkIsReportedNotChosen();
    void replayedOldVersionDoesNotWin();
    void editedLabelsWithOldSignatureFail();
    void wrongNumberOrTagIsSetAside();
    void nothingOrNoStartIsAClearError();
    void prepareUpdateStartsOrFollowsTheChain();
    void localCopyRoundTrips();
    void removalRules();
    void aRemovedKeyNoLongerCounts();
    void aStrangersRemovalIsIgnored();

    // Over a real relay.
    void pairingPublishesANewVersion();
    void renameFollowsAnotherDevicesVersion();
    void removalOverARelayIsWhatTheOtherDevicesLoad();
    void fetchThroughHostileRelayFindsTheHonestChain();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RelayProcess> m_relay;
};

void TestMemberChain::initTestCase()
{
    m_relay = std::make_unique<RelayProcess>(m_dir.path() + QStringLiteral("/relay.sqlite"));
    QVERIFY(m_relay->start());
}

void TestMemberChain::cleanupTestCase()
{
    m_relay.reset();
}

void TestMemberChain::labelsRoundTripAndStayOutOfLogins()
{
    const TestPair a = makePair(), b = makePair();
    MemberDocument d = docOf(QStringLiteral("alice"), {a, b}, {QStringLiteral("laptop"), QStringLiteral("Téléphone")});
    const QByteArray canon = json::canonicalize(d.toJson()).value();
    const QJsonArray pairs = parseObject(canon).value(QStringLiteral("pairs")).toArray();
    QCOMPARE(pairs.at(0).toObject().value(QStringLiteral("label")).toString(), QStringLiteral("laptop"));
    QCOMPARE(pairs.at(1).toObject().value(QStringLiteral("label")).toString(), QStringLiteral("Téléphone"));
    QCOMPARE(parseObject(canon).value(QStringLiteral("version")).toInt(), 1);
    QVERIFY(!parseObject(canon).contains(QStringLiteral("previous")));
    QCOMPARE(MemberDocument::fromJson(parseObject(canon)).value(), d);
    QCOMPARE(d.pairLabels().value(b.pair), QStringLiteral("Téléphone"));

    // What a login is built from does not change with the labels.
    MemberDocument renamed = d;
    renamed.labels[a.pair] = QStringLiteral("work laptop");
    renamed.version = 7;
    renamed.previous = QString(64, QLatin1Char('a'));
    QCOMPARE(renamed.requirement(), d.requirement());
    const Challenge c1 = makeChallenge({d.requirement()}, kNow);
    const QByteArray message = json::canonicalize(c1.message.toJson()).value();
    QVERIFY(!message.contains("laptop"));
    QVERIFY(!message.contains("label"));
}

void TestMemberChain::oldDocumentsWithoutLabelsLoad()
{
    // Written by the version before labels and versions (its member.json, and a 9243 event's content).
    const TestPair a = makePair();
    const QByteArray old =
        QStringLiteral(
            R"({"cardinalite_minimale":2,"id":"alice","name":"Alice","pairs":[{"pair":"%1","pubkey":"%2"}]})")
            .arg(a.pair, a.pubkey)
            .toUtf8();
    const QString path = m_dir.path() + QStringLiteral("/old-member.json");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(old + '\n');
    f.close();
    auto d = MemberDocument::load(path);
    QVERIFY2(d.ok(), qPrintable(d ? QString() : d.error().message));
    QCOMPARE(d->version, 1);
    QVERIFY(d->previous.isEmpty());
    QVERIFY(d->labels.isEmpty());
    QCOMPARE(d->label(a.pair), QString());
    QCOMPARE(d->pairs.size(), 1);

    // An old event is a version 1 of its chain.
    NostrEvent e;
    e.kind = kinds::MemberDocument;
    e.createdAt = kNow;
    e.tags = {{QStringLiteral("m"), QStringLiteral("alice")}};
    e.content = QString::fromUtf8(old);
    QVERIFY(e.sign(*a.secret).ok());
    auto chain = memberchain::resolve(QStringLiteral("alice"), {e});
    QVERIFY2(chain.ok(), qPrintable(chain ? QString() : chain.error().message));
    QCOMPARE(chain->latest().document, *d);
}

void TestMemberChain::labelRules_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("plain") << QStringLiteral("laptop") << true;
    QTest::newRow("accents and spaces") << QStringLiteral("Téléphone de Zoé") << true;
    QTest::newRow("64 characters") << QString(64, QLatin1Char('x')) << true;
    QTest::newRow("64 emoji (128 UTF-16 units)") << QString::fromUtf8("😀").repeated(64) << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("65 characters") << QString(65, QLatin1Char('x')) << false;
    QTest::newRow("65 emoji") << QString::fromUtf8("😀").repeated(65) << false;
    QTest::newRow("line feed") << QStringLiteral("lap\ntop") << false;
    QTest::newRow("bell") << QStringLiteral("lap\u0007top") << false;
    QTest::newRow("DEL") << QStringLiteral("lap\u007Ftop") << false;
    QTest::newRow("C1 control") << QStringLiteral("lap\u0085top") << false;
    QTest::newRow("right-to-left override") << QStringLiteral("pot\u202Epal") << false;
    QTest::newRow("zero-width space") << QStringLiteral("lap\u200Btop") << false;
    QTest::newRow("leading space") << QStringLiteral(" laptop") << false;
    QTest::newRow("only spaces") << QStringLiteral("   ") << false;
}

void TestMemberChain::labelRules()
{
    QFETCH(QString, label);
    QFETCH(bool, accepted);
    QCOMPARE(MemberDocument::labelProblem(label).isEmpty(), accepted);
    // A reader refuses a document that carries it, even when it is well signed.
    const TestPair a = makePair();
    QJsonObject json = docOf(QStringLiteral("alice"), {a}).toJson();
    QJsonArray pairs = json.value(QStringLiteral("pairs")).toArray();
    QJsonObject entry = pairs.at(0).toObject();
    entry.insert(QStringLiteral("label"), label);
    pairs[0] = entry;
    json.insert(QStringLiteral("pairs"), pairs);
    auto read = MemberDocument::fromJson(json);
    QCOMPARE(read.ok(), accepted);
    if (accepted)
        QCOMPARE(read->label(a.pair), label);
    // And this device refuses to sign it.
    LocalMember local{docOf(QStringLiteral("alice"), {a}), std::nullopt};
    auto update = memberchain::prepareUpdate(
        local, [&](MemberDocument& d) { return memberchain::labelLocalPairs(d, makeRing({a}), label); }, makeRing({a}),
        kNow);
    QCOMPARE(update.ok(), accepted);
}

void TestMemberChain::versionFields_data()
{
    QTest::addColumn<QJsonValue>("version");
    QTest::addColumn<QJsonValue>("previous");
    QTest::addColumn<bool>("accepted");
    const QString id(64, QLatin1Char('c'));
    const QJsonValue none(QJsonValue::Undefined);
    QTest::newRow("neither (old)") << none << none << true;
    QTest::newRow("1") << QJsonValue(1) << none << true;
    QTest::newRow("2 after an event") << QJsonValue(2) << QJsonValue(id) << true;
    QTest::newRow("2 without previous") << QJsonValue(2) << none << false;
    QTest::newRow("1 with previous") << QJsonValue(1) << QJsonValue(id) << false;
    QTest::newRow("0") << QJsonValue(0) << none << false;
    QTest::newRow("-1") << QJsonValue(-1) << none << false;
    QTest::newRow("1.5") << QJsonValue(1.5) << QJsonValue(id) << false;
    QTest::newRow("as a string") << QJsonValue(QStringLiteral("2")) << QJsonValue(id) << false;
    QTest::newRow("too large") << QJsonValue(qint64(MemberDocument::kMaxVersion) + 1) << QJsonValue(id) << false;
    QTest::newRow("previous upper case") << QJsonValue(2) << QJsonValue(id.toUpper()) << false;
    QTest::newRow("previous short") << QJsonValue(2) << QJsonValue(id.left(63)) << false;
    QTest::newRow("previous a number") << QJsonValue(2) << QJsonValue(5) << false;
}

void TestMemberChain::versionFields()
{
    QFETCH(QJsonValue, version);
    QFETCH(QJsonValue, previous);
    QFETCH(bool, accepted);
    QJsonObject json = docOf(QStringLiteral("alice"), {makePair()}).toJson();
    json.remove(QStringLiteral("version"));
    if (!version.isUndefined())
        json.insert(QStringLiteral("version"), version);
    if (!previous.isUndefined())
        json.insert(QStringLiteral("previous"), previous);
    QCOMPARE(MemberDocument::fromJson(json).ok(), accepted);
}

void TestMemberChain::defaultLabelIsAcceptable()
{
    QVERIFY(MemberDocument::labelProblem(MemberDocument::defaultLabel()).isEmpty());
    QCOMPARE(MemberDocument::cleanLabel(QStringLiteral(" my\u202Ehost\n ")), QStringLiteral("myhost"));
    QCOMPARE(MemberDocument::cleanLabel(QStringLiteral("\u200B\u0007")), QStringLiteral("device"));
    QCOMPARE(MemberDocument::cleanLabel(QString(100, QLatin1Char('h'))), QString(64, QLatin1Char('h')));
}

void TestMemberChain::chainFollowsVersionsInAnyOrder()
{
    const TestPair a = makePair(), b = makePair();
    const MemberDocument d1 = docOf(QStringLiteral("alice"), {a}, {QStringLiteral("laptop")});
    const NostrEvent e1 = signDoc(d1, a);
    MemberDocument d2 = docOf(QStringLiteral("alice"), {a, b}, {QStringLiteral("laptop"), QStringLiteral("phone")});
    d2 = d2.successor(e1.id);
    d2.version = 2;
    const NostrEvent e2 = signDoc(d2, a);
    MemberDocument d3 = d2.successor(e2.id);
    d3.labels[b.pair] = QStringLiteral("old phone");
    const NostrEvent e3 = signDoc(d3, b); // the new device may sign: it is a pair of version 2
    auto chain = memberchain::resolve(QStringLiteral("alice"), {e3, e1, e2, e3, e1});
    QVERIFY2(chain.ok(), qPrintable(chain ? QString() : chain.error().message));
    QCOMPARE(idsOf(*chain), (QStringList{e1.id, e2.id, e3.id}));
    QCOMPARE(chain->latest().document.label(b.pair), QStringLiteral("old phone"));
    QCOMPARE(chain->latest().document.version, 3);
    QVERIFY(chain->rejected.isEmpty());
    // Started from a version this device trusts: the same end.
    auto fromTwo = memberchain::resolve(QStringLiteral("alice"), {e3, e1}, e2);
    QCOMPARE(fromTwo.value().latest().event.id, e3.id);
}

void TestMemberChain::strangerCannotAppend()
{
    const TestPair a = makePair(), mallory = makePair();
    const MemberDocument d1 = docOf(QStringLiteral("alice"), {a}, {QStringLiteral("laptop")});
    const NostrEvent e1 = signDoc(d1, a);
    // Mallory appends herself, signing with her own key (a pair of the version she writes, not of version 1).
    MemberDocument forged = docOf(QStringLiteral("alice"), {a, mallory}).successor(e1.id);
    const NostrEvent ef = signDoc(forged, mallory);
    QVERIFY(pairing::readMemberDocumentEvent(ef).ok()); // on its own it looks fine: the chain is what refuses it
    auto chain = memberchain::resolve(QStringLiteral("alice"), {e1, ef});
    QVERIFY(chain.ok());
    QCOMPARE(chain->latest().event.id, e1.id);
    QCOMPARE(chain->rejected.size(), 1);
    QVERIFY2(chain->rejected[0].contains(QStringLiteral("not a pair of version 1")), qPrintable(chain->rejected[0]));
    QVERIFY(chain->rejected[0].startsWith(ef.id));
}

void TestMemberChain::strangerRootIsAForkUnlessStartIsPinned()
{
    const TestPair a = makePair(), mallory = makePair();
    const NostrEvent honest = signDoc(docOf(QStringLiteral("alice"), {a}), a);
    const NostrEvent squat = signDoc(docOf(QStringLiteral("alice"), {mallory}), mallory);
    auto chain = memberchain::resolve(QStringLiteral("alice"), {honest, squat});
    QVERIFY(!chain.ok());
    QCOMPARE(chain.error().code, QStringLiteral("member_fork"));
    QVERIFY(chain.error().message.contains(honest.id));
    QVERIFY(chain.error().message.contains(squat.id));
    QVERIFY(chain.error().message.contains(QStringLiteral("version 1")));
    auto pinned = memberchain::resolve(QStringLiteral("alice"), {honest, squat}, honest);
    QCOMPARE(pinned.value().latest().event.id, honest.id);
}

void TestMemberChain::forkIsReportedNotChosen()
{
    const TestPair a = makePair(), b = makePair();
    const NostrEvent e1 =
        signDoc(docOf(QStringLiteral("alice"), {a, b}, {QStringLiteral("laptop"), QStringLiteral("phone")}), a);
    const MemberDocument d1 = memberchain::readVersion(e1).value();
    MemberDocument left = d1.successor(e1.id), right = d1.successor(e1.id);
    left.labels[a.pair] = QStringLiteral("work laptop");
    right.labels[b.pair] = QStringLiteral("new phone");
    const NostrEvent el = signDoc(left, a), er = signDoc(right, b);
    auto chain = memberchain::resolve(QStringLiteral("alice"), {e1, el, er});
    QVERIFY(!chain.ok());
    QCOMPARE(chain.error().code, QStringLiteral("member_fork"));
    QVERIFY(chain.error().message.contains(QStringLiteral("version 2")));
    QVERIFY(chain.error().message.contains(el.id));
    QVERIFY(chain.error().message.contains(er.id));
    QVERIFY(chain.error().message.contains(QStringLiteral("(\"work laptop\")")));
    // The same document signed twice (two events) is a fork too: two events cannot both be version 2.
    const NostrEvent again = signDoc(left, a, kNow + 1);
    QCOMPARE(memberchain::resolve(QStringLiteral("alice"), {e1, el, again}).error().code,
             QStringLiteral("member_fork"));
}

void TestMemberChain::replayedOldVersionDoesNotWin()
{
    const TestPair a = makePair();
    const NostrEvent e1 = signDoc(docOf(QStringLiteral("alice"), {a}, {QStringLiteral("one")}), a);
    MemberDocument d2 = memberchain::readVersion(e1).value().successor(e1.id);
    d2.labels[a.pair] = QStringLiteral("two");
    const NostrEvent e2 = signDoc(d2, a, kNow + 10);
    MemberDocument d3 = d2.successor(e2.id);
    d3.labels[a.pair] = QStringLiteral("three");
    const NostrEvent e3 = signDoc(d3, a, kNow + 20);
    // A relay replays the old versions after the new one, and again and again.
    auto chain = memberchain::resolve(QStringLiteral("alice"), {e3, e1, e2, e1, e2, e1});
    QCOMPARE(chain.value().latest().document.label(a.pair), QStringLiteral("three"));
    // An old version republished under a newer date is another event of version 1: a fork, not a win.
    MemberDocument replay = memberchain::readVersion(e1).value();
    const NostrEvent late = signDoc(replay, a, kNow + 1000);
    QCOMPARE(memberchain::resolve(QStringLiteral("alice"), {e1, e2, e3, late}).error().code,
             QStringLiteral("member_fork"));
    // And a copy of version 2 presented as following version 3 is set aside (its number is wrong).
    MemberDocument back = d2;
    back.previous = e3.id;
    const NostrEvent backwards = signDoc(back, a, kNow + 30);
    auto withBack = memberchain::resolve(QStringLiteral("alice"), {e1, e2, e3, backwards});
    QCOMPARE(withBack.value().latest().event.id, e3.id);
    QCOMPARE(withBack->rejected.size(), 1);
}

void TestMemberChain::editedLabelsWithOldSignatureFail()
{
    const TestPair a = makePair(), b = makePair();
    const NostrEvent e1 =
        signDoc(docOf(QStringLiteral("alice"), {a, b}, {QStringLiteral("laptop"), QStringLiteral("phone")}), a);
    MemberDocument d2 = memberchain::readVersion(e1).value().successor(e1.id);
    d2.labels[b.pair] = QStringLiteral("phone 2");
    const NostrEvent e2 = signDoc(d2, b);
    // The labels edited in the content, id and signature kept.
    NostrEvent edited = e2;
    edited.content.replace(QStringLiteral("phone 2"), QStringLiteral("evil"));
    QVERIFY(!memberchain::readVersion(edited).ok());
    // The id recomputed, the old signature kept.
    NostrEvent reId = edited;
    reId.id = reId.computeId();
    QVERIFY(!memberchain::readVersion(reId).ok());
    QVERIFY(!pairing::readMemberDocumentEvent(reId).ok());
    auto chain = memberchain::resolve(QStringLiteral("alice"), {e1, edited, reId});
    QCOMPARE(chain.value().latest().event.id, e1.id);
    QCOMPARE(chain->rejected.size(), 2);
    for (const QString& why : chain->rejected)
        QVERIFY2(why.contains(QStringLiteral("does not verify")), qPrintable(why));
}

void TestMemberChain::wrongNumberOrTagIsSetAside()
{
    const TestPair a = makePair();
    const NostrEvent e1 = signDoc(docOf(QStringLiteral("alice"), {a}), a);
    MemberDocument skip = memberchain::readVersion(e1).value().successor(e1.id);
    skip.version = 5;
    const NostrEvent e5 = signDoc(skip, a);
    MemberDocument two = memberchain::readVersion(e1).value().successor(e1.id);
    two.labels[a.pair] = QStringLiteral("x");
    NostrEvent otherTag = signDoc(two, a);
    otherTag.tags = {{QStringLiteral("m"), QStringLiteral("bob")}};
    QVERIFY(otherTag.sign(*a.secret).ok());
    const NostrEvent bobs = signDoc(docOf(QStringLiteral("bob"), {a}), a);
    auto chain = memberchain::resolve(QStringLiteral("alice"), {e1, e5, otherTag, bobs});
    QCOMPARE(chain.value().latest().event.id, e1.id);
    QCOMPARE(chain->rejected.size(), 3);
    QVERIFY(chain->rejected.join(QLatin1Char('\n')).contains(QStringLiteral("version 5 cannot follow version 1")));
    QVERIFY(chain->rejected.join(QLatin1Char('\n')).contains(QStringLiteral("m tag")));
    QVERIFY(chain->rejected.join(QLatin1Char('\n')).contains(QStringLiteral("another member")));
}

void TestMemberChain::nothingOrNoStartIsAClearError()
{
    QCOMPARE(memberchain::resolve(QStringLiteral("alice"), {}).error().code, QStringLiteral("member_not_found"));
    const TestPair a = makePair(), mallory = makePair();
    const NostrEvent e1 = signDoc(docOf(QStringLiteral("alice"), {a}), a);
    const NostrEvent e2 = signDoc(memberchain::readVersion(e1).value().successor(e1.id), a);
    // Version 2 without its version 1, and a version 1 signed by a key it does not list.
    const NostrEvent selfless = signDoc(docOf(QStringLiteral("alice"), {a}), mallory);
    auto broken = memberchain::resolve(QStringLiteral("alice"), {e2, selfless});
    QCOMPARE(broken.error().code, QStringLiteral("member_chain_broken"));
    QVERIFY(broken.error().message.contains(QStringLiteral("version 1")));
}

void TestMemberChain::prepareUpdateStartsOrFollowsTheChain()
{
    const TestPair a = makePair(), b = makePair();
    const KeyRing ring = makeRing({a});
    const auto rename = [&](const QString& label) {
        return [&ring, label](MemberDocument& d) { return memberchain::labelLocalPairs(d, ring, label); };
    };
    // Never published: a version 1 of the document as it is, then version 2.
    LocalMember fresh{docOf(QStringLiteral("alice"), {a, b}, {QStringLiteral("host"), QStringLiteral("phone")}),
                      std::nullopt};
    auto first = memberchain::prepareUpdate(fresh, rename(QStringLiteral("laptop")), ring, kNow);
    QVERIFY(first.ok());
    QCOMPARE(first->events.size(), 2);
    QCOMPARE(memberchain::readVersion(first->events[0]).value().version, 1);
    QCOMPARE(first->result.document.version, 2);
    QCOMPARE(first->result.document.previous, first->events[0].id);
    QCOMPARE(first->result.document.label(a.pair), QStringLiteral("laptop"));
    QCOMPARE(first->result.document.label(b.pair), QStringLiteral("phone")); // the other device's is kept
    QCOMPARE(first->result.event->pubkey, a.pubkey);
    auto chain = memberchain::resolve(QStringLiteral("alice"), first->events);
    QCOMPARE(chain.value().latest().document, first->result.document);
    // Following a published version: only the new one.
    auto next = memberchain::prepareUpdate(first->result, rename(QStringLiteral("desk")), ring, kNow + 1);
    QCOMPARE(next.value().events.size(), 1);
    QCOMPARE(next->result.document.version, 3);
    QCOMPARE(next->result.document.previous, first->result.event->id);
    QCOMPARE(memberchain::resolve(QStringLiteral("alice"), first->events + next->events).value().latest().event.id,
             next->result.event->id);
    // A device with no key of the member signs nothing.
    const KeyRing strangers = makeRing({makePair()});
    QCOMPARE(memberchain::prepareUpdate(fresh, {}, strangers, kNow).error().code,
             QStringLiteral("not_a_device_of_member"));
}

void TestMemberChain::removalRules()
{
    const TestPair a = makePair(), b = makePair(), c = makePair();
    const QList<PairRef> mine = memberchain::heldPairs(makeRing({a}));
    QCOMPARE(mine, (QList<PairRef>{PairRef{a.pair, a.pubkey}}));
    MemberDocument three = docOf(QStringLiteral("alice"), {a, b, c},
                                 {QStringLiteral("laptop"), QStringLiteral("phone"), QStringLiteral("tablet")});
    three.cardinaliteMinimale = 2;

    // Another device, by its pair id or its label: gone, with its label; the others kept in order.
    MemberDocument byLabel = three;
    QVERIFY(memberchain::removePair(byLabel, mine, QStringLiteral("phone")).ok());
    QCOMPARE(byLabel.pairs, (QList<PairRef>{PairRef{a.pair, a.pubkey}, PairRef{c.pair, c.pubkey}}));
    QVERIFY(!byLabel.labels.contains(b.pair));
    QCOMPARE(byLabel.label(c.pair), QStringLiteral("tablet"));
    MemberDocument byPair = three;
    QVERIFY(memberchain::removePair(byPair, mine, b.pair).ok());
    QCOMPARE(byPair, byLabel);

    const auto refusal = [&](const MemberDocument& doc, const QString& which) {
        MemberDocument copy = doc;
        auto r = memberchain::removePair(copy, mine, which);
        [&] { QCOMPARE(copy, doc); }(); // nothing changed
        return r ? QString() : r.error().code + QLatin1Char(':') + r.error().message;
    };
    // This device: refused, and told where to do it instead.
    QVERIFY(refusal(three, a.pair).startsWith(QStringLiteral("removing_this_device:")));
    QVERIFY(refusal(three, QStringLiteral("laptop")).contains(QStringLiteral("another of member")));
    // Below the cardinality: two devices must sign, so neither of two may go.
    QVERIFY(refusal(byLabel, c.pair).startsWith(QStringLiteral("would_lock_out:")));
    QVERIFY(refusal(byLabel, c.pair).contains(QStringLiteral("needs 2 devices")));
    // A member already short of devices (the others still to pair) loses none.
    MemberDocument waiting = three;
    waiting.cardinaliteMinimale = 3;
    QVERIFY(refusal(waiting, c.pair).startsWith(QStringLiteral("would_lock_out:")));
    // The last device, whoever holds it.
    const MemberDocument alone = docOf(QStringLiteral("alice"), {b}, {QStringLiteral("phone")});
    QVERIFY(refusal(alone, b.pair).startsWith(QStringLiteral("last_device:")));
    QVERIFY(refusal(docOf(QStringLiteral("alice"), {a}), a.pair).startsWith(QStringLiteral("last_device:")));
    // Unknown, and ambiguous labels: named by pair id instead.
    QVERIFY(refusal(three, QStringLiteral("watch")).startsWith(QStringLiteral("unknown_device:")));
    QVERIFY(refusal(three, makePair().pair).startsWith(QStringLiteral("unknown_device:")));
    MemberDocument twins = three;
    twins.labels[c.pair] = QStringLiteral("phone");
    const QString ambiguous = refusal(twins, QStringLiteral("phone"));
    QVERIFY(ambiguous.startsWith(QStringLiteral("ambiguous_device:")));
    QVERIFY(ambiguous.contains(b.pair) && ambiguous.contains(c.pair));
}

void TestMemberChain::aRemovedKeyNoLongerCounts()
{
    // alice: a (this device) and b, one signature per login. a removes b (version 2).
    const TestPair a = makePair(), b = makePair();
    const KeyRing ringA = makeRing({a});
    LocalMember start{docOf(QStringLiteral("alice"), {a, b}, {QStringLiteral("laptop"), QStringLiteral("phone")}),
                      std::nullopt};
    auto removal = memberchain::prepareUpdate(
        start, [&](MemberDocument& d) { return memberchain::removePair(d, memberchain::heldPairs(ringA), b.pair); },
        ringA, kNow);
    QVERIFY2(removal.ok(), qPrintable(removal.ok() ? QString() : removal.error().message));
    const QList<NostrEvent> events = removal->events;

    // b, still holding version 1, publishes a version 2 of its own: a fork it cannot win quietly, and
    // after the removal it cannot append: a version 3 signed by b is set aside.
    MemberDocument afterRemoval = removal->result.document.successor(removal->result.event->id);
    afterRemoval.pairs.append(PairRef{b.pair, b.pubkey});
    afterRemoval.labels.insert(b.pair, QStringLiteral("phone"));
    const NostrEvent comeback = signDoc(afterRemoval, b, kNow + 10);
    auto chain = memberchain::resolve(QStringLiteral("alice"), events + QList<NostrEvent>{comeback});
    QVERIFY(chain.ok());
    QCOMPARE(chain->latest().event.id, removal->result.event->id);
    QCOMPARE(chain->latest().document.pairs, (QList<PairRef>{PairRef{a.pair, a.pubkey}}));
    QVERIFY(chain->rejected.join(QLatin1Char('\n')).contains(comeback.id));
    QVERIFY(chain->rejected.join(QLatin1Char('\n')).contains(QStringLiteral("not a pair of version 2")));

    // A login built from the latest version: b's signature is not authorized, a's alone suffices.
    const Challenge login = makeChallenge({chain->latest().document.requirement()}, kNow);
    QVERIFY(!signChallenge(login, QStringLiteral("alice"), makeRing({b})).ok());
    const Bytes32 digest = loginSigningDigest(login.hash, login.nonce());
    const auto bSig = schnorr::sign(*b.secret, QByteArrayView(reinterpret_cast<const char*>(digest.data()), 32));
    QVERIFY(bSig.ok());
    const LoginSignature fromB{QStringLiteral("alice"), b.pair, b.pubkey, toHex(*bSig)};
    QVERIFY(mapMsgSignaturesToProofFormat(login, {fromB}).isEmpty());
    const ManualClock clock(kNow);
    Proof proof{login.message, login.hash, login.nonce(), {fromB}};
    QCOMPARE(ProofVerifier::verify(proof, clock).error().code, QStringLiteral("unauthorized_key"));
    proof.signatures = signChallenge(login, QStringLiteral("alice"), ringA).value();
    QVERIFY(ProofVerifier::verify(proof, clock).ok());
}

void TestMemberChain::aStrangersRemovalIsIgnored()
{
    // mallory (no pair of alice) publishes a "removal" of a, leaving only b: set aside.
    const TestPair a = makePair(), b = makePair(), mallory = makePair();
    const MemberDocument v1 =
        docOf(QStringLiteral("alice"), {a, b}, {QStringLiteral("laptop"), QStringLiteral("phone")});
    const NostrEvent e1 = signDoc(v1, a);
    MemberDocument drop = v1.successor(e1.id);
    drop.pairs.removeFirst();
    drop.labels.remove(a.pair);
    const NostrEvent forged = signDoc(drop, mallory, kNow + 1);
    auto chain = memberchain::resolve(QStringLiteral("alice"), {e1, forged}, e1);
    QVERIFY(chain.ok());
    QCOMPARE(chain->latest().event.id, e1.id);
    QCOMPARE(chain->latest().document.pairs.size(), 2);
    QVERIFY(chain->rejected.join(QLatin1Char('\n')).contains(forged.id));
    // The same removal signed by b, a pair of version 1, is a version like any other.
    const NostrEvent byB = signDoc(drop, b, kNow + 1);
    QCOMPARE(memberchain::resolve(QStringLiteral("alice"), {e1, forged, byB}, e1).value().latest().event.id, byB.id);
}

void TestMemberChain::localCopyRoundTrips()
{
    auto profile = Profile::resolve({}, m_dir.path() + QStringLiteral("/local"));
    QVERIFY(profile.ok());
    QVERIFY(profile->ensureExists().ok());
    const TestPair a = makePair();
    const KeyRing ring = makeRing({a});
    LocalMember fresh{docOf(QStringLiteral("alice"), {a}, {QStringLiteral("host")}), std::nullopt};
    QVERIFY(fresh.save(*profile).ok());
    QCOMPARE(LocalMember::load(*profile).value().document, fresh.document);
    QVERIFY(!LocalMember::load(*profile)->event);
    auto update = memberchain::prepareUpdate(
        fresh, [&](MemberDocument& d) { return memberchain::labelLocalPairs(d, ring, QStringLiteral("laptop")); }, ring,
        kNow);
    QVERIFY(update->result.save(*profile).ok());
    auto loaded = LocalMember::load(*profile);
    QCOMPARE(loaded.value().document, update->result.document);
    QCOMPARE(loaded->event->id, update->result.event->id);
    // An event that does not carry the document beside it is not kept (the next change starts anew).
    QVERIFY(fresh.document.save(profile->memberFile()).ok());
    QVERIFY(!LocalMember::load(*profile).value().event);
    // Nor is a file that is not an event.
    QFile junk(profile->memberEventFile());
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("{\"id\": 3}");
    junk.close();
    QVERIFY(!LocalMember::load(*profile).value().event);
}

void TestMemberChain::pairingPublishesANewVersion()
{
    // Device 1 already published version 2 of its member (a rename); pairing makes version 3.
    const TestPair a = makePair();
    auto keys1 = std::make_shared<KeyRing>(makeRing({a}));
    LocalMember local{docOf(QStringLiteral("carol"), {a}, {QStringLiteral("desk")}), std::nullopt};
    auto renamed = memberchain::prepareUpdate(
        local, [&](MemberDocument& d) { return memberchain::labelLocalPairs(d, *keys1, QStringLiteral("laptop")); },
        *keys1, kNow);
    QVERIFY(renamed.ok());

    RelayPool pool1({m_relay->url()}), pool2({m_relay->url()});
    pool1.start();
    pool2.start();
    for (const NostrEvent& e : renamed->events)
        pool1.publish(e);
    PairingOffer offer(&pool1, keys1, renamed->result.document, SystemClock::instance());
    offer.setBaseEvent(renamed->result.event);
    PairingJoin join(&pool2, SystemClock::instance());
    join.setLabel(QStringLiteral("phone"));
    QSignalSpy request(&offer, &PairingOffer::requestReceived);
    QSignalSpy paired(&offer, &PairingOffer::paired);
    QSignalSpy joined(&join, &PairingJoin::joined);
    join.start(offer.start(30000), 30000);
    QVERIFY(request.wait(20000));
    offer.confirm(true);
    QVERIFY(paired.wait(20000));
    QTRY_COMPARE_WITH_TIMEOUT(joined.size(), 1, 20000);

    const MemberDocument doc = offer.member();
    QCOMPARE(doc.version, 3);
    QCOMPARE(doc.previous, renamed->result.event->id);
    QCOMPARE(doc.label(a.pair), QStringLiteral("laptop"));
    QCOMPARE(doc.label(join.pair().pair), QStringLiteral("phone"));
    QCOMPARE(joined.at(0).at(0).value<MemberDocument>(), doc);
    QCOMPARE(join.documentEvent().id, offer.documentEvent().id);

    // What the relay now holds verifies as a chain of three, ending at the pairing's version.
    MemberFetch fetch(&pool2, QStringLiteral("carol"));
    QSignalSpy fetched(&fetch, &MemberFetch::finished);
    fetch.start(10000);
    QVERIFY(fetched.wait(15000));
    const auto events = fetched.at(0).at(0).value<QList<NostrEvent>>();
    QCOMPARE(fetched.at(0).at(1).toStringList(), QStringList{m_relay->url()});
    auto chain = memberchain::resolve(QStringLiteral("carol"), events);
    QVERIFY2(chain.ok(), qPrintable(chain ? QString() : chain.error().message));
    QCOMPARE(chain->versions.size(), 3);
    QCOMPARE(chain->latest().event.id, offer.documentEvent().id);
    pool1.stop();
    pool2.stop();
}

void TestMemberChain::renameFollowsAnotherDevicesVersion()
{
    // Two devices of dave at version 2; device 2 renames itself (version 3); device 1, still at
    // version 2, renames itself: it reads version 3 first and publishes version 4 after it.
    const TestPair a = makePair(), b = makePair();
    auto keys1 = std::make_shared<KeyRing>(makeRing({a}));
    auto keys2 = std::make_shared<KeyRing>(makeRing({b}));
    LocalMember start{docOf(QStringLiteral("dave"), {a, b}, {QStringLiteral("one"), QStringLiteral("two")}),
                      std::nullopt};
    auto v2 = memberchain::prepareUpdate(
        start, [](MemberDocument&) { return Result<void>(); }, *keys1, kNow);
    QVERIFY(v2.ok());
    RelayPool pool({m_relay->url()});
    pool.start();
    for (const NostrEvent& e : v2->events)
        pool.publish(e);

    MemberUpdater second(&pool, keys2, SystemClock::instance());
    QSignalSpy secondDone(&second, &MemberUpdater::updated);
    QSignalSpy secondFailed(&second, &MemberUpdater::failed);
    second.update(
        v2->result,
        [keys2](MemberDocument& d) { return memberchain::labelLocalPairs(d, *keys2, QStringLiteral("phone")); }, 10000);
    QVERIFY2(secondDone.wait(20000), qPrintable(secondFailed.value(0).value(0).toString()));
    const LocalMember v3 = secondDone.at(0).at(0).value<LocalMember>();
    QCOMPARE(v3.document.version, 3);
    QCOMPARE(v3.event->pubkey, b.pubkey);

    MemberUpdater first(&pool, keys1, SystemClock::instance());
    QSignalSpy firstDone(&first, &MemberUpdater::updated);
    QSignalSpy progress(&first, &MemberUpdater::progress);
    first.update(
        v2->result,
        [keys1](MemberDocument& d) { return memberchain::labelLocalPairs(d, *keys1, QStringLiteral("laptop")); },
        10000);
    QVERIFY(firstDone.wait(20000));
    const LocalMember v4 = firstDone.at(0).at(0).value<LocalMember>();
    QCOMPARE(v4.document.version, 4);
    QCOMPARE(v4.document.previous, v3.event->id);
    QCOMPARE(v4.document.label(a.pair), QStringLiteral("laptop"));
    QCOMPARE(v4.document.label(b.pair), QStringLiteral("phone")); // device 2's rename is kept
    QVERIFY(firstDone.at(0).at(1).value<PerRelay>().value(m_relay->url()));
    QVERIFY(progress.size() >= 2);

    // A reader only: brings a device still at version 2 up to date, publishes nothing.
    MemberUpdater reader(&pool, keys1, SystemClock::instance());
    QSignalSpy read(&reader, &MemberUpdater::updated);
    reader.update(v2->result, {}, 10000);
    QVERIFY(read.wait(20000));
    QCOMPARE(read.at(0).at(0).value<LocalMember>().event->id, v4.event->id);
    QVERIFY(read.at(0).at(1).value<PerRelay>().isEmpty());
    pool.stop();
}

void TestMemberChain::removalOverARelayIsWhatTheOtherDevicesLoad()
{
    // gail: a, b, c, two signatures per login, at version 2 on the relay. c renames itself
    // (version 3); a, still at version 2, removes b: it reads version 3 first, then publishes 4.
    const TestPair a = makePair(), b = makePair(), c = makePair();
    auto keysA = std::make_shared<KeyRing>(makeRing({a}));
    MemberDocument doc = docOf(QStringLiteral("gail"), {a, b, c},
                               {QStringLiteral("laptop"), QStringLiteral("phone"), QStringLiteral("tablet")});
    doc.cardinaliteMinimale = 2;
    auto v2 = memberchain::prepareUpdate(
        LocalMember{doc, std::nullopt}, [](MemberDocument&) { return Result<void>(); }, *keysA, kNow);
    QVERIFY(v2.ok());
    const KeyRing ringC = makeRing({c});
    auto v3 = memberchain::prepareUpdate(
        v2->result, [&](MemberDocument& d) { return memberchain::labelLocalPairs(d, ringC, QStringLiteral("pad")); },
        ringC, kNow + 1);
    RelayPool pool({m_relay->url()});
    pool.start();
    QSignalSpy published(&pool, &RelayPool::publishFinished);
    for (const NostrEvent& e : v2->events + v3->events)
        pool.publish(e);
    QTRY_COMPARE_WITH_TIMEOUT(published.size(), 3, 15000);

    MemberUpdater remover(&pool, keysA, SystemClock::instance());
    QSignalSpy done(&remover, &MemberUpdater::updated);
    QSignalSpy failed(&remover, &MemberUpdater::failed);
    remover.update(
        v2->result,
        [local = memberchain::heldPairs(*keysA), pair = b.pair](MemberDocument& d) {
            return memberchain::removePair(d, local, pair);
        },
        10000);
    QVERIFY2(done.wait(20000), qPrintable(failed.value(0).value(0).toString()));
    const LocalMember v4 = done.at(0).at(0).value<LocalMember>();
    QCOMPARE(v4.document.version, 4);
    QCOMPARE(v4.document.previous, v3->result.event->id);
    QCOMPARE(v4.document.pairs, (QList<PairRef>{PairRef{a.pair, a.pubkey}, PairRef{c.pair, c.pubkey}}));
    QCOMPARE(v4.document.label(c.pair), QStringLiteral("pad")); // c's rename is kept

    // c, still at version 3, loads version 4: b is gone for it too.
    MemberUpdater reader(&pool, std::make_shared<KeyRing>(makeRing({c})), SystemClock::instance());
    QSignalSpy read(&reader, &MemberUpdater::updated);
    reader.update(v3->result, {}, 10000);
    QVERIFY(read.wait(20000));
    QCOMPARE(read.at(0).at(0).value<LocalMember>().event->id, v4.event->id);

    // Now a removal of c would leave one device for a login that needs two: refused, nothing published.
    MemberUpdater second(&pool, keysA, SystemClock::instance());
    QSignalSpy secondFailed(&second, &MemberUpdater::failed);
    QSignalSpy secondDone(&second, &MemberUpdater::updated);
    second.update(
        v2->result,
        [local = memberchain::heldPairs(*keysA), pair = c.pair](MemberDocument& d) {
            return memberchain::removePair(d, local, pair);
        },
        10000);
    QVERIFY(secondFailed.wait(20000));
    QVERIFY(secondFailed.at(0).at(0).toString().contains(QStringLiteral("needs 2 devices")));
    QCOMPARE(secondDone.size(), 0);
    pool.stop();
}

void TestMemberChain::fetchThroughHostileRelayFindsTheHonestChain()
{
    const TestPair a = makePair(), mallory = makePair();
    const KeyRing ring = makeRing({a});
    LocalMember start{docOf(QStringLiteral("erin"), {a}, {QStringLiteral("laptop")}), std::nullopt};
    auto v2 = memberchain::prepareUpdate(
        start, [&](MemberDocument& d) { return memberchain::labelLocalPairs(d, ring, QStringLiteral("desk")); }, ring,
        kNow);
    QVERIFY(v2.ok());
    RelayPool honest({m_relay->url()});
    honest.start();
    QSignalSpy published(&honest, &RelayPool::publishFinished);
    for (const NostrEvent& e : v2->events)
        honest.publish(e);
    QTRY_COMPARE_WITH_TIMEOUT(published.size(), 2, 15000);

    // The hostile relay serves a stranger's version 3 after the honest version 2, the honest
    // version 2 with its labels edited (old signature), and its own forgeries and junk.
    HostileRelay hostile;
    QVERIFY(hostile.listen());
    MemberDocument grab = v2->result.document.successor(v2->result.event->id);
    grab.pairs.append(PairRef{mallory.pair, mallory.pubkey});
    grab.labels.insert(mallory.pair, QStringLiteral("laptop"));
    const NostrEvent appended = signDoc(grab, mallory);
    NostrEvent edited = *v2->result.event;
    edited.content.replace(QStringLiteral("desk"), QStringLiteral("evil"));
    edited.id = edited.computeId();
    hostile.replays = {appended, edited, v2->events[0]};
    hostile.floodFrames = 50;

    RelayPool pool({m_relay->url(), hostile.url()});
    pool.start();
    MemberFetch fetch(&pool, QStringLiteral("erin"));
    QSignalSpy fetched(&fetch, &MemberFetch::finished);
    fetch.start(15000);
    QVERIFY(fetched.wait(20000));
    QCOMPARE(fetched.at(0).at(1).toStringList().size(), 2); // both said they were done
    const auto events = fetched.at(0).at(0).value<QList<NostrEvent>>();
    auto chain = memberchain::resolve(QStringLiteral("erin"), events);
    QVERIFY2(chain.ok(), qPrintable(chain ? QString() : chain.error().message));
    QCOMPARE(chain->latest().event.id, v2->result.event->id);
    QCOMPARE(chain->latest().document.label(a.pair), QStringLiteral("desk"));
    QVERIFY(chain->rejected.join(QLatin1Char('\n')).contains(appended.id));

    // The same hostile relay with a squatter's version 1: a clear fork error, unless the start is pinned.
    const NostrEvent squat = signDoc(docOf(QStringLiteral("erin"), {mallory}, {QStringLiteral("laptop")}), mallory);
    hostile.replays.append(squat);
    MemberFetch again(&pool, QStringLiteral("erin"));
    QSignalSpy fetchedAgain(&again, &MemberFetch::finished);
    again.start(15000);
    QVERIFY(fetchedAgain.wait(20000));
    const auto all = fetchedAgain.at(0).at(0).value<QList<NostrEvent>>();
    QCOMPARE(memberchain::resolve(QStringLiteral("erin"), all).error().code, QStringLiteral("member_fork"));
    QCOMPARE(memberchain::resolve(QStringLiteral("erin"), all, v2->events[0]).value().latest().event.id,
             v2->result.event->id);
    pool.stop();
    honest.stop();
}

QTEST_GUILESS_MAIN(TestMemberChain)
#include "test_member_chain.moc"
