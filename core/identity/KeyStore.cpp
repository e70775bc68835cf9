#include "identity/KeyStore.h"

#include "crypto/Schnorr.h"

#include <QDir>
#include <QUuid>

namespace uw {

KeyStore::KeyStore(QString keysDir, KdfParams params) : m_dir(std::move(keysDir)), m_params(params) {}

Result<PairRef> KeyStore::createPair(const QByteArray& passphrase) const
{
    const SecretKey secret = schnorr::generateSecretKey();
    return storeKey(secret, QUuid::createUuid().toString(QUuid::WithoutBraces), passphrase);
}

Result<PairRef> KeyStore::storeKey(const SecretKey& secret, const QString& pairId, const QByteArray& passphrase) const
{
    if (passphrase.isEmpty())
        return makeError(QStringLiteral("empty_passphrase"),
                         QStringLiteral("A passphrase is required to protect the key."));
    auto pub = schnorr::xOnlyPublicKey(secret);
    if (!pub)
        return pub.error();
    PairRef pair{pairId, toHex(*pub)};
    auto sealed = KeyFile::seal(secret, passphrase, pair.pair, pair.pubkey, m_params);
    if (!sealed)
        return sealed.error();
    if (!QDir().mkpath(m_dir))
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot create %1.").arg(m_dir));
    if (auto written = KeyFile::write(m_dir + QLatin1Char('/') + pair.pair + QStringLiteral(".key"), *sealed); !written)
        return written.error();
    return pair;
}

Result<KeyRing> KeyStore::unlock(const QByteArray& passphrase) const
{
    KeyRing ring;
    const QStringList files = QDir(m_dir).entryList({QStringLiteral("*.key")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return makeError(QStringLiteral("no_keys"), QStringLiteral("This profile holds no key (%1).").arg(m_dir));
    for (const QString& name : files) {
        const auto contents = KeyFile::read(m_dir + QLatin1Char('/') + name);
        if (!contents)
            return contents.error();
        auto header = KeyFile::readHeader(*contents);
        if (!header)
            return makeError(header.error().code, QStringLiteral("%1 (%2)").arg(header.error().message, name));
        auto secret = KeyFile::open(*contents, passphrase);
        if (!secret)
            return secret.error();
        ring.add(header->pairId, header->pubkeyHex, std::move(*secret));
    }
    return ring;
}

QList<PairRef> KeyStore::localPairs() const
{
    QList<PairRef> out;
    const QStringList files = QDir(m_dir).entryList({QStringLiteral("*.key")}, QDir::Files, QDir::Name);
    for (const QString& name : files) {
        const auto contents = KeyFile::read(m_dir + QLatin1Char('/') + name);
        if (!contents)
            continue; // unreadable: not listed (unlock() names it)
        if (auto header = KeyFile::readHeader(*contents))
            out.append(PairRef{header->pairId, header->pubkeyHex});
    }
    return out;
}

} // namespace uw
