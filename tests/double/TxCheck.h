#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <cstdint>

namespace uw::test {

/// bitcoinjs-lib's verdict on the transactions the double accepted (tests/tools/txcheck,
/// verify_tx.mjs --lines): one node process for the whole test process, started at the first
/// batch, one JSON line per batch each way. Synchronous: the double waits for the answer.
class TxCheck
{
public:
    struct Item
    {
        QByteArray raw;
        QList<std::pair<std::int64_t, QByteArray>> prevouts; ///< value and script of each input's coin
        QString txid;                                        ///< as the double read it
        std::int64_t vsize = 0;                              ///< as the double counted it
    };
    /// Why `dir` cannot check (bitcoinjs-lib not installed), or empty.
    static QString missing(const QString& dir);
    /// Empty when bitcoinjs-lib finds every transaction of `batch` validly signed, with the
    /// double's txid and vsize; else why not (or why it could not tell).
    static QString check(const QString& dir, const QList<Item>& batch);
};

} // namespace uw::test
