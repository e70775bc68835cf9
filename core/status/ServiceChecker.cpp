#include "status/ServiceChecker.h"

#include "config/Settings.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>

namespace uw {

QList<ServiceSpec> ServiceSpec::defaults()
{
    auto s = [](const char* name, const char* url, QStringList deps) {
        return ServiceSpec{QString::fromLatin1(name), QUrl(QString::fromLatin1(url)), deps};
    };
    const QString tor = QStringLiteral("tor"), bitcoin = QStringLiteral("bitcoin-rpc"),
                  blindbit = QStringLiteral("blindbit"), storage = QStringLiteral("sdk_storage"),
                  relay = QStringLiteral("sdk_relay"), signer = QStringLiteral("sdk_signer"),
                  back = QStringLiteral("lecoffre-back");
    // Start order: tor, bitcoin, blindbit, sdk_storage, sdk_relay, sdk_signer, ihm_client; then
    // lecoffre-back and lecoffre-front, which the original order left out.
    return {
        s("tor", "tcp://127.0.0.1:9050", {}),
        s("bitcoin-rpc", "http://127.0.0.1:38332", {tor}),
        s("bitcoin-p2p", "tcp://127.0.0.1:38333", {tor}),
        s("bitcoin-zmq-hashblock", "tcp://127.0.0.1:29000", {bitcoin}),
        s("bitcoin-zmq-rawtx", "tcp://127.0.0.1:29001", {bitcoin}),
        s("blindbit", "http://127.0.0.1:8000", {bitcoin}),
        s("sdk_storage", "http://127.0.0.1:8081", {}),
        s("sdk_relay", "ws://127.0.0.1:8090", {bitcoin, blindbit}),
        s("sdk_relay-http", "http://127.0.0.1:8091", {relay}),
        s("sdk_signer", "http://127.0.0.1:3001", {relay, storage}),
        s("ihm_client", "http://127.0.0.1:3003", {signer}),
        s("lecoffre-back", "http://127.0.0.1:8080", {signer, storage}),
        s("lecoffre-front", "http://127.0.0.2:3004", {back}),
    };
}

QList<ServiceSpec> ServiceSpec::defaultsFor(const Settings& settings)
{
    QList<ServiceSpec> out = defaults();
    const std::pair<const char*, QUrl> external[] = {{"bootstrap-relay (external)", settings.bootstrapUrl},
                                                     {"signer-ws (external)", settings.signerWsUrl},
                                                     {"signer (external)", settings.signerBaseUrl},
                                                     {"storage (external)", settings.storageUrl},
                                                     {"mempool (external)", settings.mempoolApiUrl}};
    for (const auto& [name, url] : external)
        if (url.isValid() && !url.isEmpty())
            out.append(ServiceSpec{QString::fromLatin1(name), url, {}});
    return out;
}

Result<QList<ServiceSpec>> ServiceSpec::fromJson(const QJsonArray& json)
{
    QList<ServiceSpec> out;
    int i = 0;
    for (const QJsonValue& v : json) {
        const QJsonObject o = v.toObject();
        ServiceSpec s{o.value(QStringLiteral("name")).toString(),
                      QUrl(o.value(QStringLiteral("url")).toString(), QUrl::StrictMode),
                      {}};
        for (const QJsonValue& d : o.value(QStringLiteral("depends_on")).toArray())
            s.dependsOn.append(d.toString());
        static const QStringList schemes{QStringLiteral("tcp"), QStringLiteral("http"), QStringLiteral("https"),
                                         QStringLiteral("ws"), QStringLiteral("wss")};
        if (s.name.isEmpty() || !s.url.isValid() || s.url.host().isEmpty() || !schemes.contains(s.url.scheme()))
            return makeError(
                QStringLiteral("bad_services"),
                QStringLiteral("services[%1] needs a name and a tcp://, http(s):// or ws(s):// URL.").arg(i));
        out.append(s);
        ++i;
    }
    return out;
}

Result<QList<ServiceSpec>> ServiceSpec::fromFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(path));
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray())
        return makeError(QStringLiteral("bad_services"),
                         QStringLiteral("%1 must hold a JSON array of services.").arg(path));
    return fromJson(doc.array());
}

ServiceChecker::ServiceChecker(QObject* parent, int timeoutMs)
    : QObject(parent), m_nam(new QNetworkAccessManager(this)), m_timeoutMs(timeoutMs)
{
    qRegisterMetaType<ServiceStatus>();
}

void ServiceChecker::check(const QList<ServiceSpec>& services)
{
    const quint64 round = ++m_round;
    m_specs = services;
    m_results = QList<ServiceStatus>(services.size());
    m_pending = int(services.size());
    if (services.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT finished({}); }, Qt::QueuedConnection);
        return;
    }
    for (int i = 0; i < services.size(); ++i) {
        const ServiceSpec& s = services[i];
        ServiceStatus& r = m_results[i];
        r.name = s.name;
        r.url = s.url.toString();
        const QString scheme = s.url.scheme();
        r.protocol = scheme.startsWith(QLatin1String("http")) ? QStringLiteral("http")
                     : scheme.startsWith(QLatin1String("ws")) ? QStringLiteral("ws")
                                                              : QStringLiteral("tcp");
        r.checkedAt = QDateTime::currentDateTimeUtc(); // the latency runs from here to the answer
        auto finishOnce = [this, i, round](bool up, const QString& detail) {
            if (round == m_round && m_results[i].latencyMs < 0)
                done(i, up, detail);
        };
        if (r.protocol == QLatin1String("tcp")) {
            auto* socket = new QTcpSocket(this);
            connect(socket, &QTcpSocket::connected, this, [socket, finishOnce] {
                finishOnce(true, tr("accepts connections"));
                socket->abort();
                socket->deleteLater();
            });
            connect(socket, &QTcpSocket::errorOccurred, this, [socket, finishOnce](QAbstractSocket::SocketError e) {
                finishOnce(false, e == QAbstractSocket::ConnectionRefusedError ? tr("connection refused")
                                                                               : socket->errorString());
                socket->deleteLater();
            });
            QTimer::singleShot(m_timeoutMs, socket, [socket, finishOnce] {
                finishOnce(false, tr("no answer in time"));
                socket->abort();
            });
            socket->connectToHost(s.url.host(), quint16(s.url.port()));
        } else if (r.protocol == QLatin1String("http")) {
            QNetworkRequest req(s.url);
            req.setTransferTimeout(m_timeoutMs);
            QNetworkReply* reply = m_nam->get(req);
            connect(reply, &QNetworkReply::finished, this, [reply, finishOnce] {
                reply->deleteLater();
                const int code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (code == 0)
                    finishOnce(false, reply->error() == QNetworkReply::ConnectionRefusedError ? tr("connection refused")
                                                                                              : reply->errorString());
                else // a service that answers below 500 is running, even with 404 on its root
                    finishOnce(code < 500, QStringLiteral("HTTP %1").arg(code));
            });
        } else {
            auto* ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
            connect(ws, &QWebSocket::connected, this, [ws, finishOnce] {
                finishOnce(true, tr("WebSocket handshake done"));
                ws->close();
                ws->deleteLater();
            });
            connect(ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
                    [ws, finishOnce](QAbstractSocket::SocketError e) {
                        finishOnce(false, e == QAbstractSocket::ConnectionRefusedError ? tr("connection refused")
                                                                                       : ws->errorString());
                        ws->deleteLater();
                    });
            QTimer::singleShot(m_timeoutMs, ws, [ws, finishOnce] {
                finishOnce(false, tr("no answer in time"));
                ws->abort();
            });
            ws->open(s.url);
        }
    }
}

void ServiceChecker::done(int index, bool up, const QString& detail)
{
    ServiceStatus& r = m_results[index];
    r.up = up;
    r.detail = detail;
    r.latencyMs =
        int(std::max<qint64>(0, QDateTime::currentDateTimeUtc().toMSecsSinceEpoch() - r.checkedAt.toMSecsSinceEpoch()));
    if (--m_pending > 0)
        return;
    // A service running while one it depends on is down is flagged.
    for (int i = 0; i < m_specs.size(); ++i) {
        if (!m_results[i].up)
            continue;
        for (const QString& dep : m_specs[i].dependsOn) {
            for (const ServiceStatus& other : std::as_const(m_results)) {
                if (other.name == dep && !other.up) {
                    m_results[i].dependencyDown = true;
                    m_results[i].detail = tr("depends on %1, which is down").arg(dep);
                }
            }
        }
    }
    Q_EMIT finished(m_results);
}

} // namespace uw
