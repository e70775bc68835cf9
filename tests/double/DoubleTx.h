#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <cstdint>
#include <optional>

/// The Bitcoin Core double's own reading of transactions: parsing, txid, weight and vsize, dust,
/// the BIP143 (P2WPKH) and BIP341 (P2TR key path) signature hashes and the verification of those
/// inputs. None of it is the wallet's code (core/bitcoin): the double judges what the wallet
/// signs, so a bug there must not be a bug here too. SHA-256 is Qt's, RIPEMD-160 nettle's, the
/// curve libsecp256k1's; tests/core/test_double_tx.cpp checks it on the official vectors.
namespace uw::test::dtx {

struct Input
{
    QByteArray prevTxid; ///< 32 bytes, internal byte order
    std::uint32_t vout = 0;
    QByteArray scriptSig;
    std::uint32_t sequence = 0;
    QList<QByteArray> witness;
    QString prevTxidHex() const; ///< display order, as RPC shows it
};

struct Output
{
    std::int64_t value = 0;
    QByteArray script;
};

struct Tx
{
    std::int32_t version = 0;
    QList<Input> inputs;
    QList<Output> outputs;
    std::uint32_t lockTime = 0;

    QByteArray serialize(bool withWitness) const;
    bool hasWitness() const;
    QByteArray txid() const; ///< internal order
    QString txidHex() const; ///< display order
    std::int64_t weight() const;
    std::int64_t vsize() const { return (weight() + 3) / 4; }
};

/// Bitcoin Core's deserialization (segwit marker and flag, canonical compact sizes, no
/// superfluous witness, nothing after the lock time); the reason when it fails.
struct Parsed
{
    std::optional<Tx> tx;
    QString error;
};
Parsed parse(QByteArrayView raw);

QByteArray sha256(QByteArrayView data);
QByteArray hash256(QByteArrayView data);
QByteArray hash160(QByteArrayView data);
QByteArray taggedHash(QByteArrayView tag, QByteArrayView data);

/// GetDustThreshold at `dustRelayFeePerKvb` (Bitcoin Core's default: 3000 sat/kvB).
std::int64_t dustThreshold(const QByteArray& script, std::int64_t dustRelayFeePerKvb = 3000);
bool isOpReturn(const QByteArray& script);

/// BIP143's message (the preimage) and its double SHA-256, for one input.
QByteArray bip143Preimage(const Tx& tx, int index, const QByteArray& scriptCode, std::int64_t amount,
                          std::uint32_t hashType);
QByteArray bip143Sighash(const Tx& tx, int index, const QByteArray& scriptCode, std::int64_t amount,
                         std::uint32_t hashType);

/// BIP341's SigMsg for a key-path spend, with its leading epoch byte (as the BIP's vectors
/// show it), and TapSighash of it; nullopt for an undefined hash type or SIGHASH_SINGLE
/// without its output.
std::optional<QByteArray> bip341SigMsg(const Tx& tx, int index, const QList<Output>& spent, std::uint8_t hashType,
                                       const std::optional<QByteArray>& annex = std::nullopt);
std::optional<QByteArray> bip341Sighash(const Tx& tx, int index, const QList<Output>& spent, std::uint8_t hashType,
                                        const std::optional<QByteArray>& annex = std::nullopt);

/// The script check of input `index` spending `spent[index]` with standard flags (P2WPKH and
/// P2TR key path only): empty when valid, else Bitcoin Core's reason.
QString verifyInput(const Tx& tx, int index, const QList<Output>& spent);

} // namespace uw::test::dtx
