#include "crypto/KeyFile.h"

#include "crypto/Schnorr.h"
#include "crypto/Sodium.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <sodium.h>

namespace uw {

namespace {

constexpr int kVersion = 1;
const QString kKdfName = QStringLiteral("argon2id13");

Error corrupt(const QString& why)
{
    return makeError(QStringLiteral("corrupt_key_file"), QStringLiteral("The key file is damaged: %1").arg(why));
}

/// The authenticated header, serialized deterministically.
QByteArray headerBytes(const QJsonObject& header)
{
    return QJsonDocument(header).toJson(QJsonDocument::Compact);
}

struct DerivedKey
{
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    ~DerivedKey() { sodium_memzero(key, sizeof key); }
};

struct Parsed
{
    QJsonObject header;
    QByteArray salt, nonce, ciphertext;
    KdfParams params{};
};

Result<Parsed> parse(const QByteArray& contents)
{
    QJsonParseError perr{};
    const QJsonDocument doc = QJsonDocument::fromJson(contents, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject())
        return corrupt(QStringLiteral("not a key file"));
    QJsonObject obj = doc.object();
    if (obj.value(QStringLiteral("v")).toInt() != kVersion || obj.value(QStringLiteral("kdf")).toString() != kKdfName)
        return corrupt(QStringLiteral("unknown format version"));
    Parsed p;
    const auto salt = fromHexAnyCase(obj.value(QStringLiteral("salt")).toString());
    const auto nonce = fromHexAnyCase(obj.value(QStringLiteral("nonce")).toString());
    const auto ct = fromHexAnyCase(obj.value(QStringLiteral("ciphertext")).toString());
    if (!salt || salt->size() != crypto_pwhash_SALTBYTES || !nonce ||
        nonce->size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES || !ct ||
        ct->size() != qsizetype(SecretKey::size() + crypto_aead_xchacha20poly1305_ietf_ABYTES))
        return corrupt(QStringLiteral("bad field sizes"));
    const double ops = obj.value(QStringLiteral("opslimit")).toDouble();
    const double mem = obj.value(QStringLiteral("memlimit")).toDouble();
    // The header is only authenticated after the key is derived, so its cost parameters are bounded
    // first: at most 4x what the writer uses (KdfParams::standard()), never the attacker's 2 GiB.
    const KdfParams writer = KdfParams::standard();
    if (!(ops >= crypto_pwhash_OPSLIMIT_MIN && ops <= 4.0 * double(writer.opsLimit) &&
          mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= 4.0 * double(writer.memLimit)))
        return makeError(QStringLiteral("kdf_params_out_of_range"),
                         QStringLiteral("The key file's parameters are out of range (edited?)."));
    p.params = KdfParams{static_cast<unsigned long long>(ops), static_cast<std::size_t>(mem)};
    p.salt = *salt;
    p.nonce = *nonce;
    p.ciphertext = *ct;
    obj.remove(QStringLiteral("ciphertext"));
    p.header = obj;
    return p;
}

} // namespace

KdfParams KdfParams::standard()
{
    return KdfParams{3, 64ull * 1024 * 1024};
}

Result<QByteArray> KeyFile::seal(const SecretKey& secret, const QByteArray& passphrase, const QString& pairId,
                                 const QString& pubkeyHex, KdfParams params)
{
    ensureSodium();
    unsigned char salt[crypto_pwhash_SALTBYTES];
    unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    randomBytes(salt, sizeof salt);
    randomBytes(nonce, sizeof nonce);

    QJsonObject header{
        {QStringLiteral("v"), kVersion},
        {QStringLiteral("kdf"), kKdfName},
        {QStringLiteral("opslimit"), double(params.opsLimit)},
        {QStringLiteral("memlimit"), double(params.memLimit)},
        {QStringLiteral("salt"), toHex(salt, sizeof salt)},
        {QStringLiteral("nonce"), toHex(nonce, sizeof nonce)},
        {QStringLiteral("pair"), pairId},
        {QStringLiteral("pubkey"), pubkeyHex},
    };
    const QByteArray ad = headerBytes(header);

    DerivedKey dk;
    if (crypto_pwhash(dk.key, sizeof dk.key, passphrase.constData(), static_cast<unsigned long long>(passphrase.size()),
                      salt, params.opsLimit, params.memLimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return makeError(QStringLiteral("out_of_memory"),
                         QStringLiteral("Not enough memory to derive the key from the passphrase."));

    unsigned char ct[32 + crypto_aead_xchacha20poly1305_ietf_ABYTES];
    unsigned long long ctLen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &ctLen, secret.data(), secret.size(),
                                               reinterpret_cast<const unsigned char*>(ad.constData()),
                                               static_cast<unsigned long long>(ad.size()), nullptr, nonce, dk.key);
    header.insert(QStringLiteral("ciphertext"), toHex(ct, std::size_t(ctLen)));
    return QJsonDocument(header).toJson(QJsonDocument::Indented);
}

Result<SecretKey> KeyFile::open(const QByteArray& fileContents, const QByteArray& passphrase)
{
    ensureSodium();
    auto parsed = parse(fileContents);
    if (!parsed)
        return parsed.error();
    const Parsed& p = *parsed;
    const QByteArray ad = headerBytes(p.header);

    DerivedKey dk;
    if (crypto_pwhash(dk.key, sizeof dk.key, passphrase.constData(), static_cast<unsigned long long>(passphrase.size()),
                      reinterpret_cast<const unsigned char*>(p.salt.constData()), p.params.opsLimit, p.params.memLimit,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return makeError(QStringLiteral("out_of_memory"),
                         QStringLiteral("Not enough memory to derive the key from the passphrase."));

    SecretKey secret;
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            secret.data(), &len, nullptr, reinterpret_cast<const unsigned char*>(p.ciphertext.constData()),
            static_cast<unsigned long long>(p.ciphertext.size()),
            reinterpret_cast<const unsigned char*>(ad.constData()), static_cast<unsigned long long>(ad.size()),
            reinterpret_cast<const unsigned char*>(p.nonce.constData()), dk.key) != 0 ||
        len != SecretKey::size())
        return makeError(QStringLiteral("wrong_passphrase"),
                         QStringLiteral("Wrong passphrase (or the key file was altered). Nothing was changed."));

    const auto pub = schnorr::xOnlyPublicKey(secret);
    if (!pub || toHex(*pub) != p.header.value(QStringLiteral("pubkey")).toString())
        return corrupt(QStringLiteral("the decrypted key does not match its public key"));
    return secret;
}

Result<KeyFile::Header> KeyFile::readHeader(const QByteArray& fileContents)
{
    auto parsed = parse(fileContents);
    if (!parsed)
        return parsed.error();
    return Header{parsed->header.value(QStringLiteral("pair")).toString(),
                  parsed->header.value(QStringLiteral("pubkey")).toString()};
}

Result<void> KeyFile::write(const QString& path, const QByteArray& sealed)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (f.write(sealed) != sealed.size() || !f.commit())
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

Result<QByteArray> KeyFile::read(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("io"), QStringLiteral("Cannot read %1.").arg(path));
    return f.read(kMaxBytes);
}

} // namespace uw
