#pragma once

#include "util/Result.h"

#include <QDateTime>
#include <QJsonArray>
#include <QList>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

namespace uw {

struct Settings;

/// A service of the node, as the dashboard watches it. The URL scheme chooses the check:
/// tcp:// (connect), http(s):// (GET, status code), ws(s):// (WebSocket handshake).
struct ServiceSpec
{
    QString name;
    QUrl url;
    QStringList dependsOn;

    /// The node's services with their default endpoints, in their start order (and
    /// docs/node-architecture.md).
    static QList<ServiceSpec> defaults();
    /// The defaults plus the external services the settings name (bootstrap relay, signer,
    /// storage, mempool API), checked only when configured.
    static QList<ServiceSpec> defaultsFor(const Settings& settings);
    /// `[{"name","url","depends_on":[...]}]`; the error names the bad entry.
    static Result<QList<ServiceSpec>> fromJson(const QJsonArray& json);
    /// A services file (a JSON array as fromJson() reads it); the error names the file.
    static Result<QList<ServiceSpec>> fromFile(const QString& path);
};

struct ServiceStatus
{
    QString name;
    QString url;
    QString protocol; ///< tcp, http, ws
    bool up = false;
    int latencyMs = -1;
    QDateTime checkedAt;
    QString detail; ///< "HTTP 200", "connection refused", "depends on storage, which is down", ...
    bool dependencyDown = false;
};

/// Checks every service at once, each with its own timeout; answers with finished().
class ServiceChecker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceChecker)
public:
    explicit ServiceChecker(QObject* parent = nullptr, int timeoutMs = 3000);
    void check(const QList<ServiceSpec>& services);

Q_SIGNALS:
    void finished(const QList<uw::ServiceStatus>& statuses);

private:
    void done(int index, bool up, const QString& detail);
    QNetworkAccessManager* m_nam;
    int m_timeoutMs;
    QList<ServiceSpec> m_specs;
    QList<ServiceStatus> m_results;
    int m_pending = 0;
    quint64 m_round = 0;
};

} // namespace uw

Q_DECLARE_METATYPE(uw::ServiceStatus)
