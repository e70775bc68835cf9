#include "login/Challenge.h"

#include "crypto/Bytes.h"
#include "crypto/Sha256.h"
#include "crypto/Sodium.h"
#include "login/ProofVerifier.h"

namespace uw {

int loginNumber(const QString& hash)
{
    if (!isLowerHex(hash, 64))
        return -1;
    const QByteArray bytes = QByteArray::fromHex(hash.left(8).toLatin1());
    const quint32 value = (quint32(quint8(bytes[0])) << 24) | (quint32(quint8(bytes[1])) << 16) |
                          (quint32(quint8(bytes[2])) << 8) | quint32(quint8(bytes[3]));
    return int(value % 100);
}

Result<Challenge> Challenge::fromMessage(const LoginMessage& message)
{
    // Round-trip through the strict parser: what we build obeys the same rules as what we accept.
    auto parsed = LoginMessage::fromJson(message.toJson());
    if (!parsed)
        return parsed.error();
    auto canonical = parsed->canonical();
    if (!canonical)
        return canonical.error();
    Challenge c{std::move(*parsed), *canonical, QString()};
    c.hash = Sha256::hashHex(c.canonical);
    return c;
}

Result<Challenge> buildChallenge(const ChallengeRequest& request, const Clock& clock)
{
    // Never longer than a verifier accepts: a login that outlives its use is a standing credential.
    if (request.lifetimeSeconds <= 0 || request.lifetimeSeconds > ProofVerifier::kMaxValiditySeconds)
        return makeError(QStringLiteral("bad_lifetime"),
                         QStringLiteral("A challenge lives between 1 second and %1 minutes.")
                             .arg(ProofVerifier::kMaxValiditySeconds / 60));
    std::uint8_t nonce[16];
    randomBytes(nonce, sizeof nonce);
    LoginMessage m;
    m.service = request.service;
    m.callback = request.callback;
    m.members = request.members;
    m.strict = request.strict;
    m.nonce = toHex(nonce, sizeof nonce);
    m.createdAt = clock.nowSeconds();
    m.expiresAt = m.createdAt + request.lifetimeSeconds;
    return Challenge::fromMessage(m);
}

Bytes32 loginSigningDigest(const QString& hash, const QString& nonce)
{
    const QByteArray data = QString(hash + QLatin1Char('-') + nonce).toUtf8();
    return Sha256::hash(data);
}

} // namespace uw
