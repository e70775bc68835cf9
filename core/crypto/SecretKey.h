#pragma once

#include "crypto/Bytes.h"

#include <cstdint>

namespace uw {

/// 32 secret bytes that are wiped (sodium_memzero) when they go away. Move-only:
/// a copy of a secret is a copy to forget to wipe.
class SecretKey
{
public:
    SecretKey();
    explicit SecretKey(const std::uint8_t* bytes);
    ~SecretKey();
    SecretKey(SecretKey&& other) noexcept;
    SecretKey& operator=(SecretKey&& other) noexcept;
    SecretKey(const SecretKey&) = delete;
    SecretKey& operator=(const SecretKey&) = delete;

    const std::uint8_t* data() const { return m_bytes.data(); }
    std::uint8_t* data() { return m_bytes.data(); }
    static constexpr std::size_t size() { return 32; }
    void wipe();

private:
    Bytes32 m_bytes{};
};

/// A growable secret byte string (passphrases, decrypted plaintext), wiped on destruction.
class SecretBytes
{
public:
    SecretBytes() = default;
    explicit SecretBytes(QByteArray&& bytes);
    ~SecretBytes();
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;

    const QByteArray& bytes() const { return m_bytes; }
    bool isEmpty() const { return m_bytes.isEmpty(); }
    void wipe();

private:
    QByteArray m_bytes;
};

/// Wipes the bytes of a QByteArray in place (detaching first so that no shared copy is left behind untouched).
void wipeBytes(QByteArray& bytes);
/// Wipes a QString's UTF-16 buffer in place (password fields, passphrases read from the environment).
void wipeString(QString& text);

} // namespace uw
