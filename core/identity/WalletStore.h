#pragma once

#include "identity/DeviceAct.h"
#include "store/SqliteConnection.h"

#include <QDateTime>
#include <cstdint>

namespace uw {

/// One line of the login history.
struct LoginRecord
{
    std::int64_t at = 0;
    QString service;
    QString hash;
    QString outcome; ///< "success" or "failure"
    QString reason;
};

/// The profile's own SQLite file (wallet.sqlite): used nonces and the login
/// history. One instance per thread; several processes may share the file.
class WalletStore
{
public:
    static Result<WalletStore> open(const QString& path);

    /// Records `nonce` as used, durably, exactly once across processes: the
    /// second attempt (here or in another process) gets "nonce_used".
    Result<void> markNonceUsed(const QString& nonce, const QString& hash, std::int64_t now);
    bool isNonceUsed(const QString& nonce) const;

    Result<void> recordLogin(const LoginRecord& record);
    QList<LoginRecord> history(int limit = 100) const;

    /// Keeps each act as its device's latest unless a later one is already recorded (relays forget
    /// login events once they expire; this profile remembers what it saw).
    Result<void> recordActivity(const QList<DeviceAct>& acts);
    /// The latest act recorded for each device key.
    QList<DeviceAct> activity() const;

private:
    explicit WalletStore(SqliteConnection conn) : m_conn(std::move(conn)) {}
    SqliteConnection m_conn;
};

} // namespace uw
