#pragma once

#include "crypto/Bytes.h"

#include <QByteArray>

namespace uw::btc::script {

/// OP_0 <20-byte key hash>
QByteArray p2wpkh(const QByteArray& keyHash20);
/// OP_1 <32-byte x-only output key>
QByteArray p2tr(const Bytes32& outputKey);
/// OP_RETURN <data> (one push; data ≤ 75 bytes here).
QByteArray opReturn(const QByteArray& data);
/// OP_DUP OP_HASH160 <hash> OP_EQUALVERIFY OP_CHECKSIG: the BIP143 scriptCode of a P2WPKH input.
QByteArray p2pkhScriptCode(const QByteArray& keyHash20);

bool isP2wpkh(const QByteArray& script);
bool isP2tr(const QByteArray& script);
bool isOpReturn(const QByteArray& script);

/// The smallest output value Bitcoin Core relays for this script at the default dust relay fee
/// (294 sat for P2WPKH, 330 for P2TR).
std::int64_t dustThreshold(const QByteArray& script);

} // namespace uw::btc::script
