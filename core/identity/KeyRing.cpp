#include "identity/KeyRing.h"

namespace uw {

void KeyRing::add(const QString& pair, const QString& pubkeyHex, SecretKey key)
{
    m_keys.insert(pair, std::make_shared<SecretKey>(std::move(key)));
    m_pubkeys.insert(pair, pubkeyHex);
}

const SecretKey* KeyRing::secret(const QString& pair) const
{
    const auto it = m_keys.constFind(pair);
    return it == m_keys.constEnd() ? nullptr : it->get();
}

void KeyRing::clear()
{
    m_keys.clear(); // each SecretKey wipes itself
    m_pubkeys.clear();
}

} // namespace uw
