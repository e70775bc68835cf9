#include "identity/KeyStore.h"

#include "crypto/Schnorr.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QUuid>
#include <optional>

Q_LOGGING_CATEGORY(lcKeyStore, "userwallet.keys", QtInfoMsg)

namespace uw {

namespace {

Result<void> refuseSymlink(const QString& dir)
{
    if (QFileInfo(dir).isSymLink())
        return makeError(
            QStringLiteral("symlinked_profile"),
            QStringLiteral("%1 is a symbolic link; a profile folder and its keys/ must be real folders.").arg(dir));
    return {};
}

} // namespace

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
    if (auto r = refuseSymlink(m_dir); !r)
        return r.error();
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
    if (auto r = refuseSymlink(m_dir); !r)
        return r.error();
    KeyRing ring;
    const QStringList files = QDir(m_dir).entryList({QStringLiteral("*.key")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return makeError(QStringLiteral("no_keys"), QStringLiteral("This profile holds no key (%1).").arg(m_dir));
    std::optional<Error> skipped;
    for (const QString& name : files) {
        const auto contents = KeyFile::read(m_dir + QLatin1Char('/') + name);
        if (!contents)
            return contents.error();
        auto header = KeyFile::readHeader(*contents);
        if (!header) {
            const Error e{header.error().code, QStringLiteral("%1 (%2)").arg(header.error().message, name)};
            // Edited cost parameters are an attack on this profile: refused outright.
            if (e.code == QLatin1String("kdf_params_out_of_range"))
                return e;
            // A stray or truncated file is not a key: skipped, so the real keys still unlock.
            qCWarning(lcKeyStore, "skipping %s: %s", qUtf8Printable(name), qUtf8Printable(e.message));
            if (!skipped)
                skipped = e;
            continue;
        }
        auto secret = KeyFile::open(*contents, passphrase);
        if (!secret)
            return secret.error();
        ring.add(header->pairId, header->pubkeyHex, std::move(*secret));
    }
    if (ring.isEmpty() && skipped)
        return *skipped;
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
