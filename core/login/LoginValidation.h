#pragma once

#include "identity/KeyRing.h"
#include "login/Challenge.h"
#include "login/LoginSignature.h"

#include <QHash>
#include <QList>
#include <QSet>

namespace uw {

/// Signs the challenge with every local pair *of `memberId` only*.
/// Errors when the member is not in the message or none of its pairs is local.
Result<QList<LoginSignature>> signChallenge(const Challenge& challenge, const QString& memberId, const KeyRing& keys);

/// Member id -> cardinalite_minimale, for every member of the login path.
QHash<QString, int> requiredSigsPerMember(const LoginMessage& message);

/// Public key (hex) -> pair UUID over all members.
QHash<QString, QString> buildPubkeyToPair(const LoginMessage& message);

/// Pair UUID -> the members that authorize it.
QHash<QString, QStringList> buildPairToMembers(const LoginMessage& message);

/// Turns signatures of any origin (local, or relayed and untrusted) into proof
/// entries: keeps only those whose key is an authorized pair of the claimed
/// member and whose BIP340 signature over hash-nonce verifies, one per
/// (member, pair), in a stable order.
QList<LoginSignature> mapMsgSignaturesToProofFormat(const Challenge& challenge,
                                                    const QList<LoginSignature>& candidates);

/// True when every member reaches its cardinalite_minimale with distinct pairs
/// among `signatures` (which must already be verified).
bool hasEnoughSignatures(const LoginMessage& message, const QList<LoginSignature>& signatures);

/// True when at least one signature comes from a pair that is not local.
bool hasRemoteSignatures(const QList<LoginSignature>& signatures, const QSet<QString>& localPairs);

/// Verifies one signature's BIP340 over hash-nonce (format errors count as invalid).
bool verifyLoginSignature(const QString& hash, const QString& nonce, const LoginSignature& signature);

} // namespace uw
