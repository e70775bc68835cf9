// What the relay daemon reads from a client (core/relay/server/RelaySession::onText, private):
// EVENT (NostrEvent::fromJson, verify, expiration, the store's insert), REQ (NostrFilter::fromJson,
// then RelayStore::query, which turns the filter into SQL, and matches), CLOSE. The harness
// follows onText with the public parts it calls, against a real RelayStore in a temporary folder
// that holds a few signed events.
// Round trips: an event gives the same event back from toJson(), a filter the same toJson().
#include "FuzzSupport.h"
#include "crypto/Schnorr.h"
#include "relay/server/RelayLimits.h"
#include "relay/server/RelayStore.h"

#include <QTemporaryDir>
#include <optional>

using namespace uw;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

struct World
{
    QTemporaryDir dir;
    std::optional<RelayStore> store;
    QList<NostrEvent> events;
};

World& world()
{
    static World* w = [] {
        auto* w = new World; // lives until exit
        auto store = RelayStore::open(w->dir.filePath(QStringLiteral("relay.sqlite")));
        if (!store)
            fuzz::fail("fuzz_relay_server", "cannot open the relay store", store.error().message);
        w->store.emplace(std::move(*store));
        const SecretKey key = schnorr::generateSecretKey();
        const QList<QList<QStringList>> tagSets = {{{QStringLiteral("h"), QString(64, QLatin1Char('a'))},
                                                    {QStringLiteral("expiration"), QString::number(kNow + 600)}},
                                                   {{QStringLiteral("c"), QString(64, QLatin1Char('b'))}},
                                                   {{QStringLiteral("m"), QStringLiteral("alice")}},
                                                   {}};
        int kind = 9240;
        for (const auto& tags : tagSets) {
            NostrEvent e;
            e.createdAt = kNow - 10 + kind % 10;
            e.kind = kind++;
            e.tags = tags;
            e.content = QStringLiteral("{\"seed\":%1}").arg(kind);
            if (!e.sign(key))
                fuzz::fail("fuzz_relay_server", "cannot sign a seed event");
            const QByteArray json = QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact);
            if (!w->store->insert(e, json, kNow))
                fuzz::fail("fuzz_relay_server", "cannot store a seed event");
            w->events.append(e);
        }
        return w;
    }();
    return *w;
}

void handleEvent(const QJsonArray& frame)
{
    const QJsonObject obj = frame.at(1).toObject();
    (void)obj.value(QStringLiteral("id")).toString();
    if (frame.size() != 2 || !frame.at(1).isObject())
        return;
    auto event = NostrEvent::fromJson(obj);
    if (!event)
        return;
    auto back = NostrEvent::fromJson(event->toJson());
    if (!back || !(*back == *event))
        fuzz::fail("fuzz_relay_server", "toJson round trip changes the event", fuzz::compact(event->toJson()));
    if (!event->verify())
        return;
    if (const auto exp = event->expiration(); exp && *exp <= kNow)
        return;
    if (event->createdAt > kNow + RelayLimits{}.maxFutureSeconds)
        return;
    const QByteArray json = QJsonDocument(event->toJson()).toJson(QJsonDocument::Compact);
    if (auto stored = world().store->insert(*event, json, kNow); !stored)
        fuzz::fail("fuzz_relay_server", "a verified event cannot be stored", stored.error().message);
}

void handleReq(const QJsonArray& frame)
{
    const RelayLimits limits;
    if (frame.size() < 3 || !frame.at(1).isString())
        return;
    const QString subId = frame.at(1).toString();
    if (subId.isEmpty() || subId.size() > 64 || frame.size() - 2 > limits.maxFiltersPerSubscription)
        return;
    QList<NostrFilter> filters;
    for (qsizetype i = 2; i < frame.size(); ++i) {
        if (!frame.at(i).isObject())
            return;
        auto f = NostrFilter::fromJson(frame.at(i).toObject());
        if (!f)
            return;
        auto back = NostrFilter::fromJson(f->toJson());
        if (!back || back->toJson() != f->toJson())
            fuzz::fail("fuzz_relay_server", "toJson round trip changes the filter", fuzz::compact(f->toJson()));
        filters.append(*f);
    }
    for (const NostrFilter& f : std::as_const(filters)) {
        const QList<QByteArray> rows = world().store->query(f, limits.defaultQueryLimit, kNow);
        // What the store answers, the filter accepts (the store's SQL and matches() agree).
        for (const QByteArray& json : rows) {
            auto e = NostrEvent::fromJson(QJsonDocument::fromJson(json).object());
            if (!e)
                fuzz::fail("fuzz_relay_server", "the store returned an event that does not parse",
                           QString::fromUtf8(json));
            if (!f.matches(*e))
                fuzz::fail("fuzz_relay_server", "the store returned an event the filter does not match",
                           fuzz::compact(f.toJson()) + QLatin1Char('\n') + QString::fromUtf8(json));
        }
        for (const NostrEvent& e : std::as_const(world().events))
            (void)f.matches(e);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    fuzz::init();
    (void)world();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes = fuzz::text(data, size).toUtf8();
    if (bytes.size() > RelayLimits{}.maxMessageBytes)
        return 0;
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray() || doc.array().isEmpty() ||
        !doc.array().at(0).isString())
        return 0;
    const QJsonArray frame = doc.array();
    const QString verb = frame.at(0).toString();
    if (verb == QLatin1String("EVENT"))
        handleEvent(frame);
    else if (verb == QLatin1String("REQ"))
        handleReq(frame);
    return 0;
}
