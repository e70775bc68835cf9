#include "login/LoginSignature.h"

namespace uw {

QJsonObject LoginSignature::toJson() const
{
    return QJsonObject{{QStringLiteral("member"), member},
                       {QStringLiteral("pair"), pair},
                       {QStringLiteral("pubkey"), pubkey},
                       {QStringLiteral("sig"), sig}};
}

} // namespace uw
