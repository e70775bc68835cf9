#include "identity/WalletStore.h"

#include <QSqlError>
#include <QSqlQuery>

namespace uw {

namespace {

const QList<Migration>& migrations()
{
    static const QList<Migration> m{
        {1,
         {QStringLiteral("CREATE TABLE used_nonces (nonce TEXT PRIMARY KEY NOT NULL, hash TEXT NOT NULL, used_at "
                         "INTEGER NOT NULL)"),
          QStringLiteral("CREATE TABLE login_history (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, "
                         "service TEXT NOT NULL, hash TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL)"),
          QStringLiteral("CREATE INDEX login_history_at ON login_history(at)")}},
        {2,
         {QStringLiteral("CREATE TABLE device_activity (pubkey TEXT PRIMARY KEY NOT NULL, at INTEGER NOT NULL, "
                         "kind INTEGER NOT NULL, event_id TEXT NOT NULL)")}},
    };
    return m;
}

} // namespace

Result<WalletStore> WalletStore::open(const QString& path)
{
    auto conn = SqliteConnection::open(path, QStringLiteral("wallet"), migrations());
    if (!conn)
        return conn.error();
    return WalletStore(std::move(*conn));
}

Result<void> WalletStore::markNonceUsed(const QString& nonce, const QString& hash, std::int64_t now)
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("INSERT INTO used_nonces (nonce, hash, used_at) VALUES (?, ?, ?)"));
    q.addBindValue(nonce);
    q.addBindValue(hash);
    q.addBindValue(qint64(now));
    if (q.exec())
        return {};
    if (isNonceUsed(nonce))
        return makeError(QStringLiteral("nonce_used"),
                         QStringLiteral("This login's nonce was already used: it is a replay."));
    return makeError(QStringLiteral("database"),
                     QStringLiteral("Cannot record the nonce: %1").arg(q.lastError().text()));
}

bool WalletStore::isNonceUsed(const QString& nonce) const
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT 1 FROM used_nonces WHERE nonce = ?"));
    q.addBindValue(nonce);
    return q.exec() && q.next();
}

Result<void> WalletStore::recordLogin(const LoginRecord& r)
{
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("INSERT INTO login_history (at, service, hash, outcome, reason) VALUES (?, COALESCE(?, "
                             "''), COALESCE(?, ''), ?, COALESCE(?, ''))"));
    q.addBindValue(qint64(r.at));
    q.addBindValue(r.service);
    q.addBindValue(r.hash);
    q.addBindValue(r.outcome);
    q.addBindValue(r.reason);
    if (!q.exec())
        return makeError(QStringLiteral("database"),
                         QStringLiteral("Cannot record the login: %1").arg(q.lastError().text()));
    return {};
}

QList<LoginRecord> WalletStore::history(int limit) const
{
    QList<LoginRecord> out;
    QSqlQuery q(m_conn.db());
    q.prepare(QStringLiteral("SELECT at, service, hash, outcome, reason FROM login_history ORDER BY id DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(LoginRecord{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                               q.value(3).toString(), q.value(4).toString()});
    return out;
}

Result<void> WalletStore::recordActivity(const QList<DeviceAct>& acts)
{
    QSqlDatabase db = m_conn.db();
    if (!db.transaction())
        return makeError(QStringLiteral("database"),
                         QStringLiteral("Cannot record the devices' activity: %1").arg(db.lastError().text()));
    QSqlQuery q(db);
    // The same rule as DeviceAct::isLaterThan: a later time, or the same time and a smaller event id.
    q.prepare(QStringLiteral("INSERT INTO device_activity (pubkey, at, kind, event_id) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT(pubkey) DO UPDATE SET at = excluded.at, kind = excluded.kind, "
                             "event_id = excluded.event_id WHERE excluded.at > device_activity.at OR "
                             "(excluded.at = device_activity.at AND excluded.event_id < device_activity.event_id)"));
    for (const DeviceAct& a : acts) {
        q.addBindValue(a.pubkey);
        q.addBindValue(qint64(a.at));
        q.addBindValue(a.kind);
        q.addBindValue(a.eventId);
        if (!q.exec()) {
            const QString why = q.lastError().text();
            db.rollback();
            return makeError(QStringLiteral("database"),
                             QStringLiteral("Cannot record the devices' activity: %1").arg(why));
        }
    }
    if (!db.commit())
        return makeError(QStringLiteral("database"),
                         QStringLiteral("Cannot record the devices' activity: %1").arg(db.lastError().text()));
    return {};
}

QList<DeviceAct> WalletStore::activity() const
{
    QList<DeviceAct> out;
    QSqlQuery q(m_conn.db());
    if (!q.exec(QStringLiteral("SELECT pubkey, at, kind, event_id FROM device_activity")))
        return out;
    while (q.next())
        out.append(
            DeviceAct{q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toInt(), q.value(3).toString()});
    return out;
}

} // namespace uw
