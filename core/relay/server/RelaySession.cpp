#include "relay/server/RelaySession.h"

#include "relay/server/RelayServer.h"

#include "json/CanonicalJson.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QWebSocket>
#include <algorithm>

Q_LOGGING_CATEGORY(lcRelaySession, "userwallet.relay.session", QtInfoMsg)

namespace uw {

namespace {

QByteArray compact(const QJsonArray& a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

/// The cost bounds of a REQ, checked on its JSON before any filter is parsed or queried:
/// each value is one more condition in the store's query. Empty when within them.
QString costError(const QJsonArray& frame, const RelayLimits& limits)
{
    qint64 total = 0;
    for (qsizetype i = 2; i < frame.size(); ++i) {
        if (!frame.at(i).isObject())
            continue; // the parser says what is wrong
        const QJsonObject filter = frame.at(i).toObject();
        auto isTag = [](const QString& key) { return key.size() == 2 && key[0] == QLatin1Char('#'); };
        const QStringList keys = filter.keys();
        if (std::count_if(keys.cbegin(), keys.cend(), isTag) > limits.maxTagNamesPerFilter)
            return QStringLiteral("invalid: at most %1 tag conditions (\"#x\") per filter")
                .arg(limits.maxTagNamesPerFilter);
        for (auto it = filter.constBegin(); it != filter.constEnd(); ++it) {
            const QString& key = it.key();
            const qsizetype n = it.value().isArray() ? it.value().toArray().size() : 0;
            if (isTag(key)) {
                if (n > limits.maxValuesPerTag)
                    return QStringLiteral("invalid: \"%1\" may hold at most %2 values")
                        .arg(key)
                        .arg(limits.maxValuesPerTag);
            } else if (key == QLatin1String("ids") || key == QLatin1String("authors")) {
                if (n > limits.maxIdsPerFilter)
                    return QStringLiteral("invalid: \"%1\" may hold at most %2 values")
                        .arg(key)
                        .arg(limits.maxIdsPerFilter);
            } else if (key != QLatin1String("kinds")) {
                continue;
            }
            total += n;
        }
    }
    if (total > limits.maxValuesPerReq)
        return QStringLiteral(
                   "invalid: at most %1 values (ids, authors, kinds, tag values) in all the filters of a REQ")
            .arg(limits.maxValuesPerReq);
    return {};
}

} // namespace

RelaySession::RelaySession(QWebSocket* socket, QString peer, RelayServer* server)
    : QObject(server), m_socket(socket), m_peer(std::move(peer)), m_server(server)
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &RelaySession::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &RelaySession::onBinary);
    connect(m_socket, &QWebSocket::disconnected, this, [this] { Q_EMIT closed(this); });
    // Idle: no frame received for that long. Every frame counts, also one of a message in parts.
    m_idle.setSingleShot(true);
    m_idle.setInterval(m_server->limits().idleTimeoutSeconds * 1000);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        closeWith(QWebSocketProtocol::CloseCodeNormal,
                  QStringLiteral("idle: no frame received for %1 seconds").arg(m_server->limits().idleTimeoutSeconds));
    });
    auto active = [this] {
        if (!m_closing)
            m_idle.start();
    };
    connect(m_socket, &QWebSocket::textFrameReceived, this, active);
    connect(m_socket, &QWebSocket::binaryFrameReceived, this, active);
    connect(m_socket, &QWebSocket::pong, this, active);
    m_idle.start();
}

RelaySession::~RelaySession() = default;

void RelaySession::send(const QByteArray& json)
{
    if (m_closing)
        return;
    m_socket->sendTextMessage(QString::fromUtf8(json));
    // What the client has not taken yet stays in this process: over the cap, hand what the
    // system takes to it, and if that is not enough the client is not reading.
    const qint64 cap = m_server->limits().maxPendingOutputBytes;
    if (m_socket->bytesToWrite() > cap) {
        m_socket->flush();
        if (m_socket->bytesToWrite() > cap) {
            qCInfo(lcRelaySession) << "disconnecting a client of" << m_peer
                                   << "that does not read:" << m_socket->bytesToWrite() << "bytes waiting";
            closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                      QStringLiteral("blocked: more than %1 bytes of output waiting for the client").arg(cap));
        }
    }
}

void RelaySession::closeWith(QWebSocketProtocol::CloseCode code, const QString& reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_idle.stop();
    m_subscriptions.clear();
    // A client that does not read never completes the closing handshake: abort then, which
    // also frees what is queued for it.
    QTimer::singleShot(m_server->limits().closeGraceMs, this, [this] { m_socket->abort(); });
    m_socket->close(code, reason);
}

void RelaySession::notice(const QString& text)
{
    send(compact(QJsonArray{QStringLiteral("NOTICE"), text}));
}

void RelaySession::ok(const QString& id, bool accepted, const QString& message)
{
    send(compact(QJsonArray{QStringLiteral("OK"), id, accepted, message}));
}

void RelaySession::onBinary(const QByteArray&)
{
    if (m_closing)
        return;
    notice(QStringLiteral("invalid: binary frames are not supported; send JSON text frames"));
}

void RelaySession::onText(const QString& message)
{
    if (m_closing) // nothing more is done for a connection being closed
        return;
    const QByteArray bytes = message.toUtf8();
    if (bytes.size() > m_server->limits().maxMessageBytes) {
        notice(QStringLiteral("invalid: message of %1 bytes exceeds the limit of %2 bytes")
                   .arg(bytes.size())
                   .arg(m_server->limits().maxMessageBytes));
        return;
    }
    // Strict (json/CanonicalJson.h): a key twice, a float where NIP-01 has integers (created_at
    // 1.0), invalid UTF-8 are refused, and a string keeps a leading U+FEFF, so the event we verify
    // is the event every other client reads.
    const auto parsed = json::parse(bytes, m_server->limits().maxMessageBytes);
    if (!parsed) {
        notice(QStringLiteral("invalid: %1").arg(parsed.error().message.left(200)));
        return;
    }
    const QJsonArray frame = parsed->toArray();
    if (!parsed->isArray() || frame.isEmpty() || !frame.at(0).isString()) {
        notice(QStringLiteral("invalid: expected a JSON array starting with a message type"));
        return;
    }
    const QString verb = frame.at(0).toString();
    if (verb == QLatin1String("EVENT"))
        handleEvent(frame);
    else if (verb == QLatin1String("REQ"))
        handleReq(frame);
    else if (verb == QLatin1String("CLOSE"))
        handleClose(frame);
    else
        notice(QStringLiteral("invalid: unknown message type \"%1\"").arg(verb.left(32)));
}

void RelaySession::handleEvent(const QJsonArray& frame)
{
    const QJsonObject obj = frame.at(1).toObject();
    const QString rawId = obj.value(QStringLiteral("id")).toString();
    if (frame.size() != 2 || !frame.at(1).isObject()) {
        notice(QStringLiteral("invalid: EVENT takes exactly one event object"));
        return;
    }
    if (!m_server->takeEventToken(m_peer)) {
        ok(rawId, false,
           QStringLiteral("rate-limited: at most %1 events per second per IP address")
               .arg(m_server->limits().eventsPerSecond));
        return;
    }
    auto event = NostrEvent::fromJson(obj);
    if (!event) {
        ok(rawId, false, event.error().message);
        return;
    }
    if (!event->verify()) {
        ok(event->id, false, QStringLiteral("invalid: the id or the signature does not verify"));
        return;
    }
    const std::int64_t now = m_server->clock().nowSeconds();
    if (const auto exp = event->expiration(); exp && *exp <= now) {
        ok(event->id, false, QStringLiteral("invalid: event has expired"));
        return;
    }
    if (event->createdAt > now + m_server->limits().maxFutureSeconds) {
        ok(event->id, false, QStringLiteral("invalid: created_at is too far in the future"));
        return;
    }
    const QByteArray json = QJsonDocument(event->toJson()).toJson(QJsonDocument::Compact);
    auto stored = m_server->store().insert(*event, json, now);
    if (!stored) {
        ok(event->id, false, QStringLiteral("error: could not store the event"));
        return;
    }
    if (*stored == RelayStore::Insert::Duplicate) {
        ok(event->id, true, QStringLiteral("duplicate: already have this event"));
        return;
    }
    if (*stored == RelayStore::Insert::Superseded) {
        // NIP-01: only the newest event of a replaceable or addressable address is kept.
        ok(event->id, true, QStringLiteral("duplicate: a newer event with the same kind and author is stored"));
        return;
    }
    ok(event->id, true, QString());
    m_server->broadcast(*event, json);
}

void RelaySession::handleReq(const QJsonArray& frame)
{
    if (frame.size() < 3 || !frame.at(1).isString()) {
        notice(QStringLiteral("invalid: REQ takes a subscription id and at least one filter"));
        return;
    }
    const QString subId = frame.at(1).toString();
    auto closedWith = [&](const QString& why) { send(compact(QJsonArray{QStringLiteral("CLOSED"), subId, why})); };
    if (subId.isEmpty() || subId.size() > 64) {
        closedWith(QStringLiteral("invalid: subscription ids are 1 to 64 characters"));
        return;
    }
    const RelayLimits& limits = m_server->limits();
    if (!m_server->takeReqToken(m_peer)) {
        m_subscriptions.remove(subId);
        closedWith(QStringLiteral("rate-limited: at most %1 REQs per second per IP address").arg(limits.reqsPerSecond));
        return;
    }
    if (!m_subscriptions.contains(subId) && m_subscriptions.size() >= limits.maxSubscriptionsPerConnection) {
        closedWith(QStringLiteral("blocked: at most %1 subscriptions per connection")
                       .arg(limits.maxSubscriptionsPerConnection));
        return;
    }
    if (frame.size() - 2 > limits.maxFiltersPerSubscription) {
        closedWith(
            QStringLiteral("invalid: at most %1 filters per subscription").arg(limits.maxFiltersPerSubscription));
        return;
    }
    if (const QString error = costError(frame, limits); !error.isEmpty()) {
        m_subscriptions.remove(subId);
        closedWith(error);
        return;
    }
    QList<NostrFilter> filters;
    for (qsizetype i = 2; i < frame.size(); ++i) {
        auto f = frame.at(i).isObject()
                     ? NostrFilter::fromJson(frame.at(i).toObject())
                     : Result<NostrFilter>(
                           makeError(QStringLiteral("invalid_filter"), QStringLiteral("invalid: filters are objects")));
        if (!f) {
            m_subscriptions.remove(subId);
            closedWith(f.error().message);
            return;
        }
        filters.append(*f);
    }
    // The stored events are queried off the event loop, one query of this connection at a time;
    // a few more wait their turn, beyond that the REQ is refused. So is any REQ while the relay
    // as a whole has too many queries waiting.
    if (m_waitingQueries.size() >= kMaxWaitingQueriesPerConnection ||
        m_server->queries().pending() >= kMaxPendingQueries) {
        m_subscriptions.remove(subId);
        closedWith(QStringLiteral("rate-limited: the relay is busy with earlier REQs; try again shortly"));
        return;
    }
    // A REQ with an existing id replaces that subscription (NIP-01): a query still running for
    // the old one is not answered.
    m_subscriptions.insert(subId, filters);
    const quint64 generation = ++m_lastGeneration;
    m_generation.insert(subId, generation);
    m_waitingQueries.append({subId, generation});
    if (!m_queryRunning)
        startNextQuery();
}

void RelaySession::startNextQuery()
{
    while (!m_waitingQueries.isEmpty()) {
        const auto next = m_waitingQueries.takeFirst();
        const QString subId = next.first;
        const quint64 generation = next.second;
        const auto filters = m_subscriptions.constFind(subId);
        if (filters == m_subscriptions.constEnd() || m_generation.value(subId) != generation)
            continue; // closed or replaced while it waited
        m_queryRunning = true;
        m_server->queries().run(this, *filters, m_server->limits().defaultQueryLimit, m_server->clock().nowSeconds(),
                                [this, subId, generation](const QList<QByteArray>& events) {
                                    m_queryRunning = false;
                                    answerQuery(subId, generation, events);
                                    if (!m_closing)
                                        startNextQuery();
                                });
        return;
    }
}

void RelaySession::answerQuery(const QString& subId, quint64 generation, const QList<QByteArray>& events)
{
    if (m_closing || !m_subscriptions.contains(subId) || m_generation.value(subId) != generation)
        return;
    const QByteArray prefix = "[\"EVENT\"," + compact(QJsonArray{subId}).mid(1).chopped(1) + ',';
    for (const QByteArray& json : events) {
        send(prefix + json + ']');
        if (m_closing) // the client stopped reading: nothing more for it
            return;
    }
    send(compact(QJsonArray{QStringLiteral("EOSE"), subId}));
}

void RelaySession::handleClose(const QJsonArray& frame)
{
    if (frame.size() != 2 || !frame.at(1).isString()) {
        notice(QStringLiteral("invalid: CLOSE takes a subscription id"));
        return;
    }
    m_subscriptions.remove(frame.at(1).toString());
    m_generation.remove(frame.at(1).toString());
}

void RelaySession::deliver(const NostrEvent& event, const QByteArray& json)
{
    if (m_closing)
        return;
    for (auto it = m_subscriptions.cbegin(); it != m_subscriptions.cend(); ++it) {
        for (const NostrFilter& f : it.value()) {
            if (f.matches(event)) {
                send("[\"EVENT\"," +
                     QJsonDocument(QJsonArray{it.key()}).toJson(QJsonDocument::Compact).mid(1).chopped(1) + ',' + json +
                     ']');
                if (m_closing) // closed while sending: m_subscriptions is gone
                    return;
                break;
            }
        }
    }
}

} // namespace uw
