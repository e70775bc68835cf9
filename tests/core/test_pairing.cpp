// Pairing over relays nobody trusts: an answer or a request whose HMAC was not made with the
// link's one-time code is ignored on both sides (nothing joined, nothing stored), and a relay that
// lies changes nothing in the member the two devices end up with.
#include "crypto/Bytes.h"
#include "crypto/Hmac.h"
#include "crypto/Schnorr.h"
#include "crypto/Sha256.h"
#include "devices/Pairing.h"
#include "relay/RelayPool.h"
#include "support/HostileRelay.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include "json/CanonicalJson.h"
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace uw;
using namespace uw::test;

namespace {

/// A pairing event (kind 9242) as a device makes it, for the code hash `codeHash`; its `auth` is
/// HMAC-SHA-256 keyed by `key` over `fields` joined by '|' (docs/PROTOCOL.md, "Pairing").
NostrEvent pairingEvent(QJsonObject content, const QString& codeHash, const QByteArray& key, const QStringList& fields,
                        const SecretKey& signer)
{
    content.insert(QStringLiteral("auth"), toHex(hmacSha256(key, fields.join(QLatin1Char('|')).toUtf8())));
    NostrEvent e;
    e.kind = kinds::Pairing;
    e.createdAt = QDateTime::currentSecsSinceEpoch();
    e.tags = {{QStringLiteral("c"), codeHash}, {QStringLiteral("expiration"), QString::number(e.createdAt + 3600)}};
    e.content = QString::fromUtf8(json::canonicalize(content).value());
    if (!e.sign(signer))
        qFatal("test fixture: cannot sign");
    return e;
}

/// A one-time code that is not the link's: what an attacker who only sees the relays has.
QByteArray wrongCode()
{
    return QUuid::createUuid().toString(QUuid::Id128).toLatin1();
}

/// Publishes `e` through `pool` and waits for the relays' answer; true when one accepted it.
bool publish(RelayPool& pool, const NostrEvent& e)
{
    QSignalSpy finished(&pool, &RelayPool::publishFinished);
    pool.publish(e);
    if (!finished.wait(10000))
        return false;
    const auto perRelay = finished.first().at(1).value<QMap<QString, bool>>();
    return std::any_of(perRelay.cbegin(), perRelay.cend(), [](bool ok) { return ok; });
}

} // namespace

class TestPairing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestWithAWrongHmacIsIgnored();
    void acceptWithAWrongHmacJoinsNothing();
    void pairingOverAHostileRelay();

private:
    QTemporaryDir m_dir;
};

void TestPairing::requestWithAWrongHmacIsIgnored()
{
    // Device 1 offers; an attacker who sees the code's hash on the relay (not the code) answers
    // first with its own key. Device 1 must only ever hear of the genuine device.
    RelayProcess relay(m_dir.filePath(QStringLiteral("request.sqlite")));
    QVERIFY(relay.start());
    const TestPair d1 = makePair();
    RelayPool pool1({relay.url()}), pool2({relay.url()}), attackerPool({relay.url()});
    const MemberDocument alice{QStringLiteral("alice"), QStringLiteral("Alice"), 1, {PairRef{d1.pair, d1.pubkey}}};
    PairingOffer offer(&pool1, std::make_shared<KeyRing>(makeRing({d1})), alice, SystemClock::instance());
    QSignalSpy request(&offer, &PairingOffer::requestReceived);
    QSignalSpy paired(&offer, &PairingOffer::paired);
    QSignalSpy subscribed(&pool1, &RelayPool::endOfStoredEvents);
    pool1.start();
    pool2.start();
    attackerPool.start();
    const QString link = offer.start(30000);
    QVERIFY(subscribed.wait(10000)); // device 1 listens: what follows reaches it live, in order

    const QString codeHash = Sha256::hashHex(pairing::parseLink(link).value().toUtf8());
    const SecretKey attacker = schnorr::generateSecretKey();
    const QString attackerPub = toHex(schnorr::xOnlyPublicKey(attacker).value());
    const QString attackerPair = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QVERIFY(publish(attackerPool, pairingEvent({{QStringLiteral("type"), QStringLiteral("request")},
                                                {QStringLiteral("pair"), attackerPair},
                                                {QStringLiteral("label"), QStringLiteral("attacker")}},
                                               codeHash, wrongCode(),
                                               {QStringLiteral("request"), attackerPair, attackerPub}, attacker)));

    PairingJoin join(&pool2, SystemClock::instance());
    QSignalSpy joined(&join, &PairingJoin::joined);
    join.start(link, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!request.isEmpty(), 10000); // the attacker's came first, if it was heard at all
    QCOMPARE(request.first().at(0).toString(), pairing::fingerprint(join.pair().pubkey));
    QCOMPARE(request.count(), 1);
    QCOMPARE(request.first().at(1).toString(), join.pair().pair);
    offer.confirm(true);
    QVERIFY(paired.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(joined.count(), 1, 10000);
    QCOMPARE(offer.member().pairs, (QList<PairRef>{PairRef{d1.pair, d1.pubkey}, join.pair()}));
}

void TestPairing::acceptWithAWrongHmacJoinsNothing()
{
    // Device 2 has published its request; an attacker answers "accept" with a member document of
    // its own that lists device 2's pair, but cannot make the HMAC without the code. Device 2 must
    // not join that member: it waits for device 1 and gives up, having joined (and stored) nothing.
    RelayProcess relay(m_dir.filePath(QStringLiteral("accept.sqlite")));
    QVERIFY(relay.start());
    RelayPool pool2({relay.url()}), attackerPool({relay.url()});
    pool2.start();
    attackerPool.start();
    const QString code = QString::fromLatin1(wrongCode()); // the link's code, which the attacker lacks
    const QString codeHash = Sha256::hashHex(code.toUtf8());
    PairingJoin join(&pool2, SystemClock::instance());
    QSignalSpy joined(&join, &PairingJoin::joined);
    QSignalSpy failed(&join, &PairingJoin::failed);
    QSignalSpy attackerSaw(&attackerPool, &RelayPool::eventReceived);
    NostrFilter f;
    f.kinds = {kinds::Pairing};
    f.tags.insert(QStringLiteral("c"), {codeHash});
    attackerPool.subscribe(QStringLiteral("watch"), {f});
    join.start(pairing::makeLink(code), 4000);
    QVERIFY(attackerSaw.wait(10000)); // device 2's request, as the attacker reads it on the relay
    QCOMPARE(attackerSaw.first().at(1).value<NostrEvent>().pubkey, join.pair().pubkey);

    const SecretKey attacker = schnorr::generateSecretKey();
    const PairRef attackerPair{QUuid::createUuid().toString(QUuid::WithoutBraces),
                               toHex(schnorr::xOnlyPublicKey(attacker).value())};
    const MemberDocument theirs{QStringLiteral("mallory"), QStringLiteral("Mallory"), 1, {attackerPair, join.pair()}};
    const NostrEvent document =
        pairing::memberDocumentEvent(theirs, attacker, QDateTime::currentSecsSinceEpoch()).value();
    QVERIFY(pairing::readMemberDocumentEvent(document).ok()); // on its own, a valid document for device 2
    QVERIFY(publish(attackerPool, document));
    QVERIFY(publish(attackerPool,
                    pairingEvent({{QStringLiteral("type"), QStringLiteral("accept")},
                                  {QStringLiteral("member"), theirs.id},
                                  {QStringLiteral("pair"), join.pair().pair},
                                  {QStringLiteral("document"), document.id}},
                                 codeHash, wrongCode(),
                                 {QStringLiteral("accept"), theirs.id, join.pair().pair, document.id}, attacker)));
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty() || !joined.isEmpty(), 10000);
    QVERIFY2(joined.isEmpty(), "joined the attacker's member");
    QCOMPARE(failed.first().at(0).toString(), QStringLiteral("Device 1 did not confirm the pairing in time."));
}

void TestPairing::pairingOverAHostileRelay()
{
    // Both devices also use a relay that lies (acknowledges and drops, forges, replays, floods):
    // the pairing goes through the honest one, and the member holds exactly the two devices.
    HostileRelay hostile;
    QVERIFY(hostile.listen());
    hostile.claimedMember = QStringLiteral("alice");
    hostile.claimedPair = makePair().pair;
    RelayProcess relay(m_dir.filePath(QStringLiteral("hostile.sqlite")));
    QVERIFY(relay.start());
    const TestPair d1 = makePair();
    RelayPool pool1({hostile.url(), relay.url()}), pool2({hostile.url(), relay.url()});
    const MemberDocument alice{QStringLiteral("alice"), QStringLiteral("Alice"), 1, {PairRef{d1.pair, d1.pubkey}}};
    PairingOffer offer(&pool1, std::make_shared<KeyRing>(makeRing({d1})), alice, SystemClock::instance());
    PairingJoin join(&pool2, SystemClock::instance());
    QSignalSpy request(&offer, &PairingOffer::requestReceived);
    QSignalSpy paired(&offer, &PairingOffer::paired);
    QSignalSpy joined(&join, &PairingJoin::joined);
    QSignalSpy offerFailed(&offer, &PairingOffer::failed);
    QSignalSpy joinFailed(&join, &PairingJoin::failed);
    pool1.start();
    pool2.start();
    join.start(offer.start(30000), 30000);
    QVERIFY(request.wait(10000));
    QCOMPARE(request.first().at(0).toString(), pairing::fingerprint(join.pair().pubkey));
    offer.confirm(true);
    QVERIFY2(paired.wait(10000), qPrintable(offerFailed.value(0).value(0).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(joined.count(), 1, 10000);
    QVERIFY(hostile.reqCount() > 0); // the hostile relay was asked, and answered with its attack
    const QList<PairRef> both{PairRef{d1.pair, d1.pubkey}, join.pair()};
    QCOMPARE(offer.member().pairs, both);
    QCOMPARE(joined.first().at(0).value<MemberDocument>().pairs, both);
    QCOMPARE(joined.first().at(0).value<MemberDocument>(), offer.member());
    QCOMPARE(request.count(), 1);
    QVERIFY(offerFailed.isEmpty() && joinFailed.isEmpty());
}

QTEST_GUILESS_MAIN(TestPairing)
#include "test_pairing.moc"
