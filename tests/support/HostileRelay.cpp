#include "support/HostileRelay.h"

#include "crypto/Bytes.h"
#include "crypto/Schnorr.h"

#include "json/CanonicalJson.h"
#include <QJsonDocument>
#include <QUuid>
#include <QWebSocket>

namespace uw::test {

namespace {

QString frame(const QJsonArray& a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

} // namespace

HostileRelay::HostileRelay(QObject* parent)
    : QObject(parent), m_server(QStringLiteral("hostile"), QWebSocketServer::NonSecureMode)
{
    connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket* s = m_server.nextPendingConnection()) {
            s->setParent(this);
            connect(s, &QWebSocket::disconnected, s, &QObject::deleteLater);
            connect(s, &QWebSocket::textMessageReceived, this, [this, s](const QString& text) {
                const QJsonArray f = QJsonDocument::fromJson(text.toUtf8()).array();
                const QString verb = f.at(0).toString();
                if (verb == QLatin1String("EVENT")) {
                    // Lies: acknowledges and drops.
                    s->sendTextMessage(
                        frame({QStringLiteral("OK"), f.at(1).toObject().value(QStringLiteral("id")), true, QString()}));
                } else if (verb == QLatin1String("REQ")) {
                    ++m_reqs;
                    attack(s, f.at(1).toString(), f.at(2).toObject());
                }
            });
        }
    });
}

bool HostileRelay::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QString HostileRelay::url() const
{
    return QStringLiteral("ws://127.0.0.1:%1").arg(m_server.serverPort());
}

void HostileRelay::attack(QWebSocket* s, const QString& subId, const QJsonObject& filter)
{
    const QString h = filter.value(QStringLiteral("#h")).toArray().at(0).toString();
    const int kind = filter.value(QStringLiteral("kinds")).toArray().at(0).toInt();
    auto send = [&](const NostrEvent& e) { s->sendTextMessage(frame({QStringLiteral("EVENT"), subId, e.toJson()})); };
    const QString content =
        QString::fromUtf8(json::canonicalize(QJsonObject{{QStringLiteral("member"), claimedMember},
                                                         {QStringLiteral("pair"), claimedPair},
                                                         {QStringLiteral("sig"), QString(128, QLatin1Char('7'))}})
                              .value());
    // 1. A stranger's validly signed event claiming the member's pair, with a junk login signature.
    NostrEvent stranger;
    stranger.kind = kind;
    stranger.createdAt = QDateTime::currentSecsSinceEpoch();
    stranger.tags = {{QStringLiteral("h"), h}};
    stranger.content = content;
    (void)stranger.sign(schnorr::generateSecretKey());
    send(stranger);
    // 2. The same with its signature forged (id recomputed, signature not).
    NostrEvent forged = stranger;
    forged.content = content + QLatin1Char(' ');
    forged.id = forged.computeId();
    send(forged);
    // 3. An event claiming to be from the claimed pair's... any key, with a broken id.
    NostrEvent badId = stranger;
    badId.id = QString(64, QLatin1Char('0'));
    send(badId);
    // 4. Genuine events of other logins, replayed.
    for (const NostrEvent& e : std::as_const(replays))
        send(e);
    // 5. Malformed and binary frames, an OK for nothing, an event for an unknown subscription.
    s->sendTextMessage(QStringLiteral("{{{ not json"));
    s->sendTextMessage(frame({QStringLiteral("OK"), QString(64, QLatin1Char('1')), true, QString()}));
    s->sendTextMessage(frame({QStringLiteral("EVENT"), QStringLiteral("no-such-sub"), stranger.toJson()}));
    s->sendBinaryMessage(QByteArray(64, '\0'));
    // 6. A flood of junk.
    for (int i = 0; i < floodFrames; ++i)
        s->sendTextMessage(frame({QStringLiteral("EVENT"), subId, QJsonObject{{QStringLiteral("junk"), i}}}));
    s->sendTextMessage(frame({QStringLiteral("EOSE"), subId}));
}

} // namespace uw::test
