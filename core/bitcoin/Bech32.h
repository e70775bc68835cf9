#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QString>

namespace uw::btc {

/// BIP173 (bech32) and BIP350 (bech32m) strings and segwit addresses.
namespace bech32 {

enum class Encoding
{
    Bech32,
    Bech32m
};

struct Decoded
{
    Encoding encoding;
    QString hrp;     ///< lowercase
    QByteArray data; ///< 5-bit groups
};

QString encode(Encoding encoding, const QString& hrp, const QByteArray& fiveBitData);
Result<Decoded> decode(const QString& text);

struct SegwitProgram
{
    int version;
    QByteArray program;
};

/// A segwit address for `hrp` (bech32 for v0, bech32m for v1+).
Result<QString> encodeAddress(const QString& hrp, int version, const QByteArray& program);
/// Decodes and checks an address for `hrp` (BIP173/BIP350 rules: version, lengths, encoding).
Result<SegwitProgram> decodeAddress(const QString& hrp, const QString& address);

} // namespace bech32
} // namespace uw::btc
