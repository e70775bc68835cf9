#include "relay/server/RelayStore.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

namespace uw {

namespace {

const QList<Migration>& migrations()
{
    static const QList<Migration> m{
        {1,
         {QStringLiteral(
              "CREATE TABLE events (id TEXT PRIMARY KEY NOT NULL, pubkey TEXT NOT NULL, created_at INTEGER NOT NULL, "
              "kind INTEGER NOT NULL, expires_at INTEGER, received_at INTEGER NOT NULL, json TEXT NOT NULL)"),
          QStringLiteral("CREATE INDEX events_kind_created ON events(kind, created_at)"),
          QStringLiteral("CREATE INDEX events_pubkey_created ON events(pubkey, created_at)"),
          QStringLiteral("CREATE INDEX events_created ON events(created_at)"),
          QStringLiteral("CREATE INDEX events_received ON events(received_at)"),
          QStringLiteral("CREATE INDEX events_expires ON events(expires_at) WHERE expires_at IS NOT NULL"),
          QStringLiteral("CREATE TABLE tags (event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE, "
                         "name TEXT NOT NULL, value TEXT NOT NULL)"),
          QStringLiteral("CREATE INDEX tags_name_value ON tags(name, value)"),
          QStringLiteral("CREATE INDEX tags_event ON tags(event_id)")}},
        // NIP-01 replaceable and addressable events: one row per (pubkey, kind[, d]).
        {2,
         {QStringLiteral("ALTER TABLE events ADD COLUMN d_tag TEXT"),
          QStringLiteral("UPDATE events SET d_tag = COALESCE((SELECT value FROM tags WHERE tags.event_id = events.id "
                         "AND tags.name = 'd' ORDER BY tags.rowid LIMIT 1), '') WHERE kind BETWEEN 30000 AND 39999"),
          QStringLiteral("CREATE INDEX events_replaceable ON events(pubkey, kind, d_tag)")}},
    };
    return m;
}

QString placeholders(qsizetype n)
{
    QString s;
    for (qsizetype i = 0; i < n; ++i)
        s += i ? QStringLiteral(",?") : QStringLiteral("?");
    return s;
}

} // namespace

Result<RelayStore> RelayStore::open(const QString& path)
{
    auto conn = SqliteConnection::open(path, QStringLiteral("relay"), migrations());
    if (!conn)
        return conn.error();
    // WAL with synchronous=NORMAL: a committed event survives a crash of the process
    // (kill -9); only a power loss can drop the last transactions.
    if (auto r = conn->exec(QStringLiteral("PRAGMA synchronous=NORMAL")); !r)
        return r.error();
    return RelayStore(std::move(*conn), path);
}

RelayStore::KindClass RelayStore::classify(int kind)
{
    if (kind == 0 || kind == 3 || (kind >= 10000 && kind < 20000))
        return KindClass::Replaceable;
    if (kind >= 20000 && kind < 30000)
        return KindClass::Ephemeral;
    if (kind >= 30000 && kind < 40000)
        return KindClass::Addressable;
    return KindClass::Regular;
}

Result<RelayStore::Insert> RelayStore::insert(const NostrEvent& e, const QByteArray& json, std::int64_t now)
{
    const KindClass kindClass = classify(e.kind);
    if (kindClass == KindClass::Ephemeral)
        return Insert::Ephemeral; // delivered to live subscriptions, never stored
    QSqlDatabase db = m_conn.db();
    if (!db.transaction())
        return makeError(QStringLiteral("database"), db.lastError().text());
    QVariant dTag(QMetaType::fromType<QString>()); // SQL NULL: not an addressable kind
    if (kindClass == KindClass::Addressable) {
        QString d = QStringLiteral(""); // an addressable event without a "d" tag has the address ""
        for (const QStringList& tag : e.tags)
            if (tag.size() >= 2 && tag[0] == QLatin1String("d")) {
                if (!tag[1].isNull())
                    d = tag[1];
                break;
            }
        dTag = d;
    }
    if (kindClass != KindClass::Regular) {
        // NIP-01: keep only the newest of a (pubkey, kind[, d]); on equal created_at the lowest id.
        QSqlQuery newer(db);
        newer.prepare(QStringLiteral("SELECT COUNT(*) FROM events WHERE pubkey = ? AND kind = ? AND d_tag IS ? AND "
                                     "(created_at > ? OR (created_at = ? AND id <= ?))"));
        newer.addBindValue(e.pubkey);
        newer.addBindValue(e.kind);
        newer.addBindValue(dTag);
        newer.addBindValue(qint64(e.createdAt));
        newer.addBindValue(qint64(e.createdAt));
        newer.addBindValue(e.id);
        if (!newer.exec() || !newer.next()) {
            db.rollback();
            return makeError(QStringLiteral("database"), newer.lastError().text());
        }
        if (newer.value(0).toLongLong() > 0) {
            db.rollback();
            return Insert::Superseded;
        }
        QSqlQuery older(db);
        older.prepare(QStringLiteral("DELETE FROM events WHERE pubkey = ? AND kind = ? AND d_tag IS ?"));
        older.addBindValue(e.pubkey);
        older.addBindValue(e.kind);
        older.addBindValue(dTag);
        if (!older.exec()) {
            db.rollback();
            return makeError(QStringLiteral("database"), older.lastError().text());
        }
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT OR IGNORE INTO events (id, pubkey, created_at, kind, expires_at, received_at, json, d_tag) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(e.id);
    q.addBindValue(e.pubkey);
    q.addBindValue(qint64(e.createdAt));
    q.addBindValue(e.kind);
    const auto exp = e.expiration();
    q.addBindValue(exp ? QVariant(qint64(*exp)) : QVariant(QMetaType::fromType<qint64>()));
    q.addBindValue(qint64(now));
    q.addBindValue(QString::fromUtf8(json));
    q.addBindValue(dTag);
    if (!q.exec()) {
        db.rollback();
        return makeError(QStringLiteral("database"), q.lastError().text());
    }
    if (q.numRowsAffected() == 0) {
        db.rollback();
        return Insert::Duplicate;
    }
    QSqlQuery t(db);
    t.prepare(QStringLiteral("INSERT INTO tags (event_id, name, value) VALUES (?, ?, ?)"));
    for (const QStringList& tag : e.tags) {
        if (tag.size() < 2 || tag[0].size() != 1)
            continue; // only single-letter tags are queryable (NIP-01)
        t.addBindValue(e.id);
        t.addBindValue(tag[0]);
        t.addBindValue(tag[1].isNull() ? QStringLiteral("") : tag[1]); // a null QString would bind SQL NULL
        if (!t.exec()) {
            db.rollback();
            return makeError(QStringLiteral("database"), t.lastError().text());
        }
    }
    if (!db.commit())
        return makeError(QStringLiteral("database"), db.lastError().text());
    return Insert::Stored;
}

QList<QByteArray> RelayStore::query(const NostrFilter& f, int defaultLimit, std::int64_t now) const
{
    QString sql = QStringLiteral("SELECT json FROM events WHERE (expires_at IS NULL OR expires_at > ?)");
    QVariantList binds{qint64(now)};
    auto addIn = [&](const QString& column, const QVariantList& values) {
        sql += QStringLiteral(" AND %1 IN (%2)").arg(column, placeholders(values.size()));
        binds += values;
    };
    if (!f.ids.isEmpty())
        addIn(QStringLiteral("id"), QVariantList(f.ids.cbegin(), f.ids.cend()));
    if (!f.authors.isEmpty())
        addIn(QStringLiteral("pubkey"), QVariantList(f.authors.cbegin(), f.authors.cend()));
    if (!f.kinds.isEmpty()) {
        QVariantList k;
        for (int v : f.kinds)
            k.append(v);
        addIn(QStringLiteral("kind"), k);
    }
    if (f.since) {
        sql += QStringLiteral(" AND created_at >= ?");
        binds.append(qint64(*f.since));
    }
    if (f.until) {
        sql += QStringLiteral(" AND created_at <= ?");
        binds.append(qint64(*f.until));
    }
    for (auto it = f.tags.cbegin(); it != f.tags.cend(); ++it) {
        sql += QStringLiteral(" AND id IN (SELECT event_id FROM tags WHERE name = ? AND value IN (%1))")
                   .arg(placeholders(it.value().size()));
        binds.append(it.key());
        for (const QString& v : it.value())
            binds.append(v);
    }
    sql += QStringLiteral(" ORDER BY created_at DESC, id LIMIT ?");
    binds.append(f.limit ? *f.limit : defaultLimit);

    QList<QByteArray> out;
    QSqlQuery q(m_conn.db());
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant& b : std::as_const(binds))
        q.addBindValue(b);
    if (!q.exec())
        return out;
    while (q.next())
        out.append(q.value(0).toString().toUtf8());
    return out;
}

int RelayStore::purge(std::int64_t now, std::int64_t retentionSeconds)
{
    QSqlQuery q(m_conn.db());
    q.prepare(
        QStringLiteral("DELETE FROM events WHERE (expires_at IS NOT NULL AND expires_at <= ?) OR received_at < ?"));
    q.addBindValue(qint64(now));
    q.addBindValue(qint64(now - retentionSeconds));
    if (!q.exec())
        return 0;
    return q.numRowsAffected();
}

qint64 RelayStore::count() const
{
    QSqlQuery q(m_conn.db());
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM events")) && q.next())
        return q.value(0).toLongLong();
    return -1;
}

} // namespace uw
