#pragma once

#include "bitcoin/Transaction.h"

namespace uw::btc {

constexpr std::uint8_t SIGHASH_DEFAULT = 0x00;
constexpr std::uint8_t SIGHASH_ALL = 0x01;
constexpr std::uint8_t SIGHASH_NONE = 0x02;
constexpr std::uint8_t SIGHASH_SINGLE = 0x03;
constexpr std::uint8_t SIGHASH_ANYONECANPAY = 0x80;

/// BIP143 signature hash of a segwit v0 input.
Bytes32 sighashBip143(const Transaction& tx, int inputIndex, const QByteArray& scriptCode, std::int64_t amount,
                      std::uint32_t hashType);

/// BIP341 signature message (key path, no annex) — exposed for the test vectors.
Result<QByteArray> sigMsgBip341(const Transaction& tx, int inputIndex, const QList<TxOut>& spentOutputs,
                                std::uint8_t hashType);
/// BIP341 signature hash: TaggedHash("TapSighash", sigMsg).
Result<Bytes32> sighashBip341(const Transaction& tx, int inputIndex, const QList<TxOut>& spentOutputs,
                              std::uint8_t hashType);

} // namespace uw::btc
