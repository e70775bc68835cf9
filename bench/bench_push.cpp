// Push latency (issue #13), not a test: device 1 publishes a login message to three relay
// daemons on loopback; device 2 (the GUI's own stack: RelayRuntime thread, PushModel, the review
// window with its co-signer) shows it for review. Measures publish -> review window showing the
// login, over N logins one after the other (10 a second), and prints p50, p90, p99 and max.
//   QT_QPA_PLATFORM=offscreen build/bench/bench_push [logins]
#include "devices/LoginEvents.h"
#include "models/PushModel.h"
#include "models/RelayRuntime.h"
#include "models/SigningModel.h"
#include "relay/RelayPool.h"
#include "screens/ReviewWindow.h"
#include "support/Processes.h"
#include "support/TestIdentity.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>

using namespace uw;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const int logins = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
    QTemporaryDir dir;
    QList<test::RelayProcess*> relays;
    QStringList urls;
    for (int i = 0; i < 3; ++i) {
        auto* r = new test::RelayProcess(dir.path() + QStringLiteral("/relay%1.sqlite").arg(i));
        if (!r->start())
            return 2;
        relays.append(r);
        urls.append(r->url());
    }
    const test::TestPair d1 = test::makePair(), d2 = test::makePair();
    MemberDocument alice;
    alice.id = QStringLiteral("alice");
    alice.cardinaliteMinimale = 2;
    alice.pairs = {{d1.pair, d1.pubkey}, {d2.pair, d2.pubkey}};
    const Clock& clock = SystemClock::instance();

    // Device 2, as the desktop builds it.
    ui::RelayRuntime runtime(urls);
    auto keys = std::make_shared<const KeyRing>(test::makeRing({d2}));
    ui::PushModel push(&runtime, keys, CoSignPolicy{alice}, clock);
    ui::SigningModel signing(&runtime, keys, CoSignPolicy{alice}, clock);
    ui::ReviewWindow review(&push, &signing);
    review.show();
    push.start();

    // Device 1.
    RelayPool pool(urls);
    pool.start();
    QSignalSpy accepted(&pool, &RelayPool::publishFinished);

    QList<double> ms;
    QElapsedTimer clockMs;
    bool shown = false;
    QObject::connect(&signing, &ui::SigningModel::requestReady, &app, [&] { shown = true; });
    for (int i = 0; i < logins; ++i) {
        Challenge c = test::makeChallenge({alice.requirement()}, clock.nowSeconds());
        c.message.nonce = QStringLiteral("%1").arg(i + 1, 32, 16, QLatin1Char('0'));
        c.message.service = QStringLiteral("bench-%1").arg(i);
        c = Challenge::fromMessage(c.message).value();
        const NostrEvent event = loginEvents::messageEvent(c, *d1.secret, clock.nowSeconds()).value();
        shown = false;
        clockMs.start();
        pool.publish(event);
        while (!shown && clockMs.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        if (!shown) {
            std::fprintf(stderr, "login %d was not shown within 10 s\n", i);
            return 1;
        }
        ms.append(double(clockMs.nsecsElapsed()) / 1e6);
        push.answerCurrent();
        // One login every 100 ms at most: the relays' per-address event rate (50/s, shared by
        // device 1's and device 2's connections on loopback) is not what is measured.
        while (clockMs.elapsed() < 100)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    }
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) { return ms.at(std::min<qsizetype>(ms.size() - 1, qsizetype(p * double(ms.size())))); };
    std::printf("{\"logins\":%d,\"relays\":3,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
                logins, pct(0.50), pct(0.90), pct(0.99), ms.last());
    pool.stop();
    qDeleteAll(relays);
    return 0;
}
