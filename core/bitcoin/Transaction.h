#pragma once

#include "crypto/Bytes.h"
#include "util/Result.h"

#include <QByteArray>
#include <QList>
#include <cstdint>

namespace uw::btc {

/// A transaction id in internal byte order (as hashed); hex() shows it reversed, as Bitcoin does.
struct Txid
{
    Bytes32 bytes{};
    QString hex() const;
    static std::optional<Txid> fromHex(QStringView displayHex);
    bool operator==(const Txid&) const = default;
};

struct OutPoint
{
    Txid txid;
    std::uint32_t vout = 0;
    bool operator==(const OutPoint&) const = default;
};

struct TxIn
{
    OutPoint prevout;
    QByteArray scriptSig;
    std::uint32_t sequence = 0xfffffffd; ///< RBF-signalling, final locktime
    QList<QByteArray> witness;
};

struct TxOut
{
    std::int64_t value = 0; ///< satoshis
    QByteArray script;
};

/// A Bitcoin transaction: serialization (BIP144 with witness), ids and size.
struct Transaction
{
    std::int32_t version = 2;
    QList<TxIn> inputs;
    QList<TxOut> outputs;
    std::uint32_t lockTime = 0;

    bool hasWitness() const;
    QByteArray serialize(bool withWitness = true) const;
    static Result<Transaction> deserialize(QByteArrayView bytes);

    Txid txid() const;
    Txid wtxid() const;
    std::int64_t weight() const;
    std::int64_t vsize() const { return (weight() + 3) / 4; }
};

/// Little helpers for the wire format.
void writeCompactSize(QByteArray& out, std::uint64_t n);
void writeLE32(QByteArray& out, std::uint32_t v);
void writeLE64(QByteArray& out, std::uint64_t v);

} // namespace uw::btc
