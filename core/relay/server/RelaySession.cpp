#include "relay/server/RelaySession.h"

#include "relay/server/RelayServer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QWebSocket>

namespace uw {

namespace {

QByteArray compact(const QJsonArray& a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

} // namespace

RelaySession::RelaySession(QWebSocket* socket, RelayServer* server)
    : QObject(server), m_socket(socket), m_server(server), m_tokens(server->limits().eventBurst),
      m_lastRefillMs(QDateTime::currentMSecsSinceEpoch())
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &RelaySession::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &RelaySession::onBinary);
    connect(m_socket, &QWebSocket::disconnected, this, [this] { Q_EMIT closed(this); });
}

RelaySession::~RelaySession() = default;

void RelaySession::send(const QByteArray& json)
{
    m_socket->sendTextMessage(QString::fromUtf8(json));
}

void RelaySession::notice(const QString& text)
{
    send(compact(QJsonArray{QStringLiteral("NOTICE"), text}));
}

void RelaySession::ok(const QString& id, bool accepted, const QString& message)
{
    send(compact(QJsonArray{QStringLiteral("OK"), id, accepted, message}));
}

bool RelaySession::takeEventToken()
{
    const RelayLimits& l = m_server->limits();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_tokens = std::min(l.eventBurst, m_tokens + (now - m_lastRefillMs) / 1000.0 * l.eventsPerSecond);
    m_lastRefillMs = now;
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

void RelaySession::onBinary(const QByteArray&)
{
    notice(QStringLiteral("invalid: binary frames are not supported; send JSON text frames"));
}

void RelaySession::onText(const QString& message)
{
    const QByteArray bytes = message.toUtf8();
    if (bytes.size() > m_server->limits().maxMessageBytes) {
        notice(QStringLiteral("invalid: message of %1 bytes exceeds the limit of %2 bytes")
                   .arg(bytes.size())
                   .arg(m_server->limits().maxMessageBytes));
        return;
    }
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray() || doc.array().isEmpty() ||
        !doc.array().at(0).isString()) {
        notice(QStringLiteral("invalid: expected a JSON array starting with a message type"));
        return;
    }
    const QJsonArray frame = doc.array();
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
    if (!takeEventToken()) {
        ok(rawId, false,
           QStringLiteral("rate-limited: at most %1 events per second per connection")
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
    // A REQ with an existing id replaces that subscription (NIP-01).
    m_subscriptions.insert(subId, filters);
    QSet<QByteArray> sent;
    const std::int64_t now = m_server->clock().nowSeconds();
    const QByteArray prefix = "[\"EVENT\"," + compact(QJsonArray{subId}).mid(1).chopped(1) + ',';
    for (const NostrFilter& f : std::as_const(filters)) {
        for (const QByteArray& json : m_server->store().query(f, limits.defaultQueryLimit, now)) {
            if (sent.contains(json))
                continue;
            sent.insert(json);
            send(prefix + json + ']');
        }
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
}

void RelaySession::deliver(const NostrEvent& event, const QByteArray& json)
{
    for (auto it = m_subscriptions.cbegin(); it != m_subscriptions.cend(); ++it) {
        for (const NostrFilter& f : it.value()) {
            if (f.matches(event)) {
                send("[\"EVENT\"," +
                     QJsonDocument(QJsonArray{it.key()}).toJson(QJsonDocument::Compact).mid(1).chopped(1) + ',' + json +
                     ']');
                break;
            }
        }
    }
}

} // namespace uw
