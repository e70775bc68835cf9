#pragma once

#include "bitcoin/Transaction.h"

#include <QList>
#include <QString>

namespace uw::test {

/// bitcoinjs-lib (tests/tools/txcheck) as the judge of the transactions a test signs without
/// handing them to the Bitcoin Core double (which judges the ones it accepts itself): each is
/// recorded with the outputs it spends, and verifyAll() hands them to the checker in one batch.
class TxJudge
{
public:
    void add(const btc::Transaction& tx, const QList<btc::TxOut>& prevouts);
    int count() const { return int(m_txs.size()); }
    /// Empty when bitcoinjs-lib accepts every transaction recorded (and reads the same txid and
    /// virtual size as our code); otherwise why not. The record is kept: verifyAll() may run again.
    QString verifyAll() const;

private:
    struct Entry
    {
        QByteArray raw;
        QString txid;
        int vsize = 0;
        QList<btc::TxOut> prevouts;
    };
    QList<Entry> m_txs;
};

} // namespace uw::test
