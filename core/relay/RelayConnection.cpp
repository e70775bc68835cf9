#include "relay/RelayConnection.h"

#include "json/CanonicalJson.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcRelay, "userwallet.relay", QtInfoMsg)

namespace uw {

namespace {
/// Beyond this many invalid frames in one session the relay is dropped and retried later.
constexpr int kMaxInvalidFrames = 200;
constexpr qint64 kMaxIncomingBytes = 1024 * 1024;
} // namespace

RelayConnection::RelayConnection(const QUrl& url, Backoff backoff, QObject* parent)
    : QObject(parent), m_url(url), m_backoff(backoff),
      m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
{
    m_socket->setMaxAllowedIncomingMessageSize(kMaxIncomingBytes);
    m_socket->setMaxAllowedIncomingFrameSize(kMaxIncomingBytes);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RelayConnection::open);
    connect(m_socket, &QWebSocket::connected, this, &RelayConnection::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &RelayConnection::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &RelayConnection::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
            [this](const QByteArray&) { misbehaved(QStringLiteral("binary frame")); });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) { m_lastError = m_socket->errorString(); });
}

RelayConnection::~RelayConnection()
{
    m_wanted = false;
    m_socket->disconnect(this);
    m_socket->abort();
}

void RelayConnection::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void RelayConnection::open()
{
    m_wanted = true;
    if (m_state == State::Connecting || m_state == State::Connected)
        return;
    setState(State::Connecting);
    m_socket->open(m_url);
}

void RelayConnection::close()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    m_socket->close();
    setState(State::Disconnected);
}

void RelayConnection::onConnected()
{
    // Small frames, sent one by one: without TCP_NODELAY, Nagle's algorithm and the peer's
    // delayed ACK add ~40 ms to a frame that follows another. A client QWebSocket keeps its
    // QTcpSocket as a child, the only way to reach it in Qt 6.4.
    if (auto* tcp = m_socket->findChild<QAbstractSocket*>())
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_attempt = 0;
    m_invalidFrames = 0;
    m_lastError.clear();
    setState(State::Connected);
    qCDebug(lcRelay) << "connected to" << m_url.toString();
    for (auto it = m_subscriptions.cbegin(); it != m_subscriptions.cend(); ++it)
        sendReq(it.key());
    for (const QByteArray& frame : std::as_const(m_pendingPublishes))
        m_socket->sendTextMessage(QString::fromUtf8(frame));
}

void RelayConnection::onDisconnected()
{
    if (m_lastError.isEmpty())
        m_lastError = m_socket->closeReason().isEmpty() ? tr("connection closed") : m_socket->closeReason();
    qCDebug(lcRelay) << "disconnected from" << m_url.toString() << m_lastError;
    if (m_wanted)
        scheduleReconnect();
    else
        setState(State::Disconnected);
}

qint64 RelayConnection::reconnectDelayMs(int attempt, Backoff backoff, quint32 random)
{
    const int exp = std::clamp(attempt, 0, 16);
    const qint64 ceiling = std::min<qint64>(backoff.maxMs, qint64(backoff.initialMs) << exp);
    return ceiling / 2 + qint64(random % quint32(ceiling / 2 + 1));
}

void RelayConnection::scheduleReconnect()
{
    const qint64 delay = reconnectDelayMs(m_attempt, m_backoff, QRandomGenerator::global()->generate());
    ++m_attempt;
    setState(State::WaitingToReconnect);
    m_reconnectTimer.start(int(delay));
}

void RelayConnection::sendReq(const QString& subId)
{
    QJsonArray frame{QStringLiteral("REQ"), subId};
    for (const NostrFilter& f : m_subscriptions.value(subId))
        frame.append(f.toJson());
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void RelayConnection::subscribe(const QString& subId, const QList<NostrFilter>& filters)
{
    m_subscriptions.insert(subId, filters);
    if (m_state == State::Connected)
        sendReq(subId);
}

void RelayConnection::unsubscribe(const QString& subId)
{
    if (!m_subscriptions.remove(subId))
        return;
    if (m_state == State::Connected)
        m_socket->sendTextMessage(QString::fromUtf8(
            QJsonDocument(QJsonArray{QStringLiteral("CLOSE"), subId}).toJson(QJsonDocument::Compact)));
}

void RelayConnection::publish(const NostrEvent& event)
{
    const QByteArray frame =
        QJsonDocument(QJsonArray{QStringLiteral("EVENT"), event.toJson()}).toJson(QJsonDocument::Compact);
    m_pendingPublishes.insert(event.id, frame);
    if (m_state == State::Connected)
        m_socket->sendTextMessage(QString::fromUtf8(frame));
}

void RelayConnection::misbehaved(const QString& what)
{
    ++m_invalidFrames;
    qCDebug(lcRelay) << m_url.toString() << "sent" << what;
    if (m_invalidFrames > kMaxInvalidFrames) {
        qCWarning(lcRelay) << m_url.toString() << "sent too many invalid frames; dropping it for a while";
        m_lastError = tr("dropped: too many invalid frames");
        m_attempt = std::max(m_attempt, 4);
        m_socket->abort();
    }
}

void RelayConnection::onText(const QString& message)
{
    // Strict: a duplicate key or a float where an integer belongs is a malformed frame, and a
    // string keeps a leading U+FEFF (Qt's reader would drop it and the event would not verify).
    const auto parsed = json::parse(message.toUtf8(), kMaxIncomingBytes);
    const QJsonArray frame = parsed ? parsed->toArray() : QJsonArray();
    const QString verb = frame.at(0).toString();
    if (!parsed || !parsed->isArray() || verb.isEmpty()) {
        misbehaved(QStringLiteral("malformed frame"));
        return;
    }
    if (verb == QLatin1String("EVENT")) {
        const QString subId = frame.at(1).toString();
        const auto sub = m_subscriptions.constFind(subId);
        if (frame.size() != 3 || sub == m_subscriptions.constEnd() || !frame.at(2).isObject()) {
            misbehaved(QStringLiteral("an event for no subscription"));
            return;
        }
        auto event = NostrEvent::fromJson(frame.at(2).toObject());
        if (!event || !event->verify()) {
            misbehaved(QStringLiteral("an event that does not verify"));
            return;
        }
        const bool wanted =
            std::any_of(sub->cbegin(), sub->cend(), [&](const NostrFilter& f) { return f.matches(*event); });
        if (!wanted) {
            misbehaved(QStringLiteral("an event outside its subscription"));
            return;
        }
        Q_EMIT eventReceived(subId, *event);
    } else if (verb == QLatin1String("EOSE")) {
        Q_EMIT endOfStoredEvents(frame.at(1).toString());
    } else if (verb == QLatin1String("OK")) {
        const QString id = frame.at(1).toString();
        if (!m_pendingPublishes.remove(id)) {
            misbehaved(QStringLiteral("an OK for an event we did not send"));
            return;
        }
        Q_EMIT okReceived(id, frame.at(2).toBool(false), frame.at(3).toString());
    } else if (verb == QLatin1String("CLOSED")) {
        const QString subId = frame.at(1).toString();
        if (m_subscriptions.remove(subId))
            Q_EMIT subscriptionClosed(subId, frame.at(2).toString());
    } else if (verb == QLatin1String("NOTICE")) {
        qCInfo(lcRelay) << m_url.toString() << "NOTICE" << frame.at(1).toString().left(200);
        Q_EMIT noticeReceived(frame.at(1).toString().left(500));
    } else {
        misbehaved(QStringLiteral("an unknown frame"));
    }
}

} // namespace uw
