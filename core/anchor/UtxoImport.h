#pragma once

#include "chain/ChainTypes.h"
#include "util/Result.h"

class QIODevice;

/// The JSON-lines import of the anchoring wallet's UTXOs (`userwallet-cli utxo import FILE`):
/// one object a line, {"txid","vout","value","script","height"}, value in satoshis, height
/// null or absent while unconfirmed; blank lines are skipped, other fields ignored. All or
/// nothing: the first bad line is an error ("bad_import") that names it, and nothing is returned.
namespace uw::utxoImport {

/// Reads every line of `in`. `walletScript` is the only script accepted; `walletAddress` is
/// named in the error when a line pays another script.
Result<QList<Utxo>> parse(QIODevice& in, const QByteArray& walletScript, const QString& walletAddress);

/// One line (already known not to be blank), numbered `lineNumber` in the errors.
Result<Utxo> parseLine(const QByteArray& line, int lineNumber, const QByteArray& walletScript,
                       const QString& walletAddress);

} // namespace uw::utxoImport
