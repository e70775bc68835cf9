#include "bitcoin/Script.h"

namespace uw::btc::script {

QByteArray p2wpkh(const QByteArray& keyHash20)
{
    return QByteArray("\x00\x14", 2) + keyHash20;
}

QByteArray p2tr(const Bytes32& outputKey)
{
    return QByteArray("\x51\x20", 2) + QByteArray(reinterpret_cast<const char*>(outputKey.data()), 32);
}

QByteArray opReturn(const QByteArray& data)
{
    QByteArray out(1, char(0x6a));
    out.append(char(data.size()));
    out.append(data);
    return out;
}

QByteArray p2pkhScriptCode(const QByteArray& keyHash20)
{
    return QByteArray("\x76\xa9\x14", 3) + keyHash20 + QByteArray("\x88\xac", 2);
}

bool isP2wpkh(const QByteArray& s)
{
    return s.size() == 22 && s[0] == 0 && s[1] == 0x14;
}

bool isP2tr(const QByteArray& s)
{
    return s.size() == 34 && s[0] == 0x51 && s[1] == 0x20;
}

bool isOpReturn(const QByteArray& s)
{
    return !s.isEmpty() && std::uint8_t(s[0]) == 0x6a;
}

std::int64_t dustThreshold(const QByteArray& s)
{
    if (isOpReturn(s))
        return 0;
    // Bitcoin Core's GetDustThreshold at 3 sat/vB: (output size + spending input size) × 3.
    const std::int64_t outSize = 8 + 1 + s.size();
    const bool witness = !s.isEmpty() && (s[0] == 0 || (std::uint8_t(s[0]) >= 0x51 && std::uint8_t(s[0]) <= 0x60));
    const std::int64_t inSize = witness ? 32 + 4 + 1 + (107 / 4) + 4 : 32 + 4 + 1 + 107 + 4;
    return (outSize + inSize) * 3;
}

} // namespace uw::btc::script
