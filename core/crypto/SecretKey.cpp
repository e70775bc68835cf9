#include "crypto/SecretKey.h"

#include <cstring>
#include <sodium.h>
#include <utility>

namespace uw {

SecretKey::SecretKey() = default;

SecretKey::SecretKey(const std::uint8_t* bytes)
{
    std::memcpy(m_bytes.data(), bytes, m_bytes.size());
}

SecretKey::~SecretKey()
{
    wipe();
}

SecretKey::SecretKey(SecretKey&& other) noexcept : m_bytes(other.m_bytes)
{
    other.wipe();
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept
{
    if (this != &other) {
        m_bytes = other.m_bytes;
        other.wipe();
    }
    return *this;
}

void SecretKey::wipe()
{
    sodium_memzero(m_bytes.data(), m_bytes.size());
}

SecretBytes::SecretBytes(QByteArray&& bytes) : m_bytes(std::move(bytes)) {}

SecretBytes::~SecretBytes()
{
    wipe();
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : m_bytes(std::exchange(other.m_bytes, QByteArray())) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        wipe();
        m_bytes = std::exchange(other.m_bytes, QByteArray());
    }
    return *this;
}

void SecretBytes::wipe()
{
    wipeBytes(m_bytes);
    m_bytes.clear();
}

void wipeBytes(QByteArray& bytes)
{
    if (bytes.isEmpty())
        return;
    char* p = bytes.data(); // detaches: we only ever wipe our own copy
    sodium_memzero(p, std::size_t(bytes.size()));
}

void wipeString(QString& text)
{
    if (text.isEmpty())
        return;
    QChar* p = text.data();
    sodium_memzero(p, std::size_t(text.size()) * sizeof(QChar));
    text.clear();
}

} // namespace uw
