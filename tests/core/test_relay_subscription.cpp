// The relay client hands out only what its subscription asked for: a relay that answers with
// genuine, well-signed events of another kind, another tag or another author gets them dropped.
#include "crypto/Schnorr.h"
#include "relay/RelayPool.h"
#include "support/HostileRelay.h"

#include <QSignalSpy>
#include <QTest>

using namespace uw;
using namespace uw::test;

class TestRelaySubscription : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eventsOutsideTheSubscriptionAreDropped();
};

void TestRelaySubscription::eventsOutsideTheSubscriptionAreDropped()
{
    const SecretKey author = schnorr::generateSecretKey();
    auto signedEvent = [](int kind, const QString& tag, const SecretKey& key) {
        NostrEvent e;
        e.kind = kind;
        e.createdAt = QDateTime::currentSecsSinceEpoch();
        e.tags = {{QStringLiteral("h"), tag}};
        e.content = QStringLiteral("kind %1, tag %2").arg(kind).arg(tag);
        if (!e.sign(key))
            qFatal("cannot sign");
        return e;
    };
    const NostrEvent wanted = signedEvent(1, QStringLiteral("pool"), author);
    HostileRelay hostile;
    QVERIFY(hostile.listen());
    hostile.floodFrames = 0;
    hostile.replays = {signedEvent(2, QStringLiteral("pool"), author), signedEvent(1, QStringLiteral("other"), author),
                       signedEvent(1, QStringLiteral("pool"), schnorr::generateSecretKey()), wanted};

    RelayPool reader({hostile.url()});
    QSignalSpy received(&reader, &RelayPool::eventReceived);
    QSignalSpy eose(&reader, &RelayPool::endOfStoredEvents);
    reader.start();
    NostrFilter f;
    f.kinds = {1};
    f.authors = {wanted.pubkey};
    f.tags.insert(QStringLiteral("h"), {QStringLiteral("pool")});
    reader.subscribe(QStringLiteral("s"), {f});
    QVERIFY(eose.wait(10000));

    // The hostile relay's own forgeries never verify or match; of its replays, only `wanted` does.
    QStringList contents;
    for (const QList<QVariant>& args : std::as_const(received))
        contents.append(args.at(1).value<NostrEvent>().content);
    QCOMPARE(contents, QStringList{wanted.content});
}

QTEST_GUILESS_MAIN(TestRelaySubscription)
#include "test_relay_subscription.moc"
