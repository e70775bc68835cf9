#include "identity/ProfileBackup.h"

#include "crypto/Sodium.h"
#include "identity/MemberDocument.h"
#include "store/SqliteConnection.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtEndian>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sodium.h>

Q_LOGGING_CATEGORY(lcBackup, "userwallet.backup", QtInfoMsg)

namespace uw {

namespace {

constexpr char kMagic[8] = {'U', 'W', 'B', 'A', 'C', 'K', 'U', 'P'};
constexpr char kArchiveMagic[8] = {'U', 'W', 'A', 'R', 'C', 'H', 'V', '1'};
constexpr quint16 kVersion = 1;
constexpr quint8 kKdfArgon2id13 = 1;
constexpr quint8 kAeadXChaCha20Poly1305 = 1;
constexpr qsizetype kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr qsizetype kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr qsizetype kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(kSaltBytes == 16 && kNonceBytes == 24, "the header layout of docs/PROTOCOL.md");
static_assert(8 + 2 + 1 + 1 + 4 + 8 + kSaltBytes + kNonceBytes + 8 == ProfileBackup::kHeaderBytes);
/// A profile holds a handful of files; a name is a short relative path.
constexpr quint32 kMaxEntries = 4096;
constexpr quint16 kMaxNameBytes = 255;

/// The profile's single files, in archive order; the SQLite stores are snapshotted.
const QStringList& plainFiles()
{
    static const QStringList files{QStringLiteral("member.json"), QStringLiteral("member.event.json"),
                                   QStringLiteral("settings.ini"), QStringLiteral("services.json"),
                                   QStringLiteral("anchor-wallet.key")};
    return files;
}
const QStringList& databases()
{
    static const QStringList files{QStringLiteral("wallet.sqlite"), QStringLiteral("anchor.sqlite")};
    return files;
}

bool isKeyEntry(const QString& name)
{
    static const QRegularExpression key(QStringLiteral("^keys/[A-Za-z0-9_-]{1,128}\\.key$"));
    return key.match(name).hasMatch();
}

/// Only the names a profile holds are restored: no "..", no absolute path, no other folder.
bool isAllowedEntry(const QString& name)
{
    return plainFiles().contains(name) || databases().contains(name) || isKeyEntry(name);
}

Error damaged(const QString& why)
{
    return makeError(QStringLiteral("corrupt_backup"), QStringLiteral("The backup is damaged: %1").arg(why));
}

Error ioError(const QString& what)
{
    return makeError(QStringLiteral("io"), what);
}

/// Reads a whole file of at most `max` bytes; a bigger one is refused before it is read.
Result<QByteArray> readBounded(const QString& path, qint64 max)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("Cannot read %1: %2").arg(path, f.errorString()));
    if (f.size() > max)
        return makeError(QStringLiteral("file_too_large"),
                         QStringLiteral("%1 is larger than %2 MiB.").arg(path).arg(max / (1024 * 1024)));
    QByteArray data = f.read(max + 1);
    if (data.size() > max)
        return makeError(QStringLiteral("file_too_large"),
                         QStringLiteral("%1 is larger than %2 MiB.").arg(path).arg(max / (1024 * 1024)));
    if (f.error() != QFileDevice::NoError)
        return ioError(QStringLiteral("Cannot read %1: %2").arg(path, f.errorString()));
    return data;
}

/// Writes `data` at `path` atomically, readable by its owner only (the mode is set before any byte).
Result<void> writePrivate(const QString& path, const QByteArray& data)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return ioError(QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (f.write(data) != data.size() || !f.commit())
        return ioError(QStringLiteral("Cannot write %1: %2").arg(path, f.errorString()));
    return {};
}

/// A consistent copy of a live SQLite database (WAL included) through the store's own connection.
Result<QByteArray> snapshot(const QString& dbPath, const QString& scratchPath)
{
    QByteArray data;
    {
        auto conn = SqliteConnection::open(dbPath, QStringLiteral("backup"), {});
        if (!conn)
            return conn.error();
        QString quoted = scratchPath;
        quoted.replace(QLatin1Char('\''), QStringLiteral("''"));
        if (auto r = conn->exec(QStringLiteral("VACUUM INTO '%1'").arg(quoted)); !r)
            return r.error();
    }
    auto read = readBounded(scratchPath, ProfileBackup::kMaxFileBytes);
    QFile::remove(scratchPath);
    return read;
}

void appendU16(QByteArray& out, quint16 v)
{
    const quint16 be = qToBigEndian(v);
    out.append(reinterpret_cast<const char*>(&be), sizeof be);
}
void appendU32(QByteArray& out, quint32 v)
{
    const quint32 be = qToBigEndian(v);
    out.append(reinterpret_cast<const char*>(&be), sizeof be);
}
void appendU64(QByteArray& out, quint64 v)
{
    const quint64 be = qToBigEndian(v);
    out.append(reinterpret_cast<const char*>(&be), sizeof be);
}

/// A bounded big-endian reader over bytes that may be hostile.
class Reader
{
public:
    explicit Reader(const QByteArray& data) : m_data(data) {}
    bool take(qsizetype n, const char** out)
    {
        if (n < 0 || m_data.size() - m_pos < n)
            return false;
        *out = m_data.constData() + m_pos;
        m_pos += n;
        return true;
    }
    template <typename T> bool number(T* out)
    {
        const char* p = nullptr;
        if (!take(sizeof(T), &p))
            return false;
        *out = qFromBigEndian<T>(p);
        return true;
    }
    qsizetype remaining() const { return m_data.size() - m_pos; }

private:
    const QByteArray& m_data;
    qsizetype m_pos = 0;
};

struct Entry
{
    QString name;
    QByteArray data;
};

/// The archive: "UWARCHV1", the entry count, then per entry its name and contents, length-prefixed.
Result<QList<Entry>> parseArchive(const QByteArray& archive)
{
    Reader r(archive);
    const char* magic = nullptr;
    quint32 count = 0;
    if (!r.take(8, &magic) || std::memcmp(magic, kArchiveMagic, 8) != 0 || !r.number(&count))
        return damaged(QStringLiteral("no archive inside."));
    if (count == 0 || count > kMaxEntries)
        return damaged(QStringLiteral("%1 files.").arg(count));
    QList<Entry> entries;
    QSet<QString> seen;
    for (quint32 i = 0; i < count; ++i) {
        quint16 nameLen = 0;
        const char* name = nullptr;
        quint64 size = 0;
        const char* data = nullptr;
        if (!r.number(&nameLen) || nameLen == 0 || nameLen > kMaxNameBytes || !r.take(nameLen, &name) ||
            !r.number(&size) || size > quint64(r.remaining()) || !r.take(qsizetype(size), &data))
            return damaged(QStringLiteral("file %1 of %2 is cut.").arg(i + 1).arg(count));
        const QString n = QString::fromUtf8(name, nameLen);
        if (!isAllowedEntry(n))
            return damaged(QStringLiteral("it names a file a profile does not hold (%1).").arg(n.left(80)));
        if (seen.contains(n))
            return damaged(QStringLiteral("%1 twice.").arg(n));
        seen.insert(n);
        entries.append(Entry{n, QByteArray(data, qsizetype(size))});
    }
    if (r.remaining() != 0)
        return damaged(QStringLiteral("bytes after the last file."));
    if (!seen.contains(QStringLiteral("member.json")))
        return damaged(QStringLiteral("no member.json."));
    return entries;
}

struct DerivedKey
{
    unsigned char key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
    ~DerivedKey() { sodium_memzero(key, sizeof key); }
};

Result<void> derive(DerivedKey& dk, const QByteArray& passphrase, const unsigned char* salt, KdfParams params)
{
    if (crypto_pwhash(dk.key, sizeof dk.key, passphrase.constData(), static_cast<unsigned long long>(passphrase.size()),
                      salt, params.opsLimit, params.memLimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return makeError(QStringLiteral("out_of_memory"),
                         QStringLiteral("Not enough memory to derive the key from the passphrase."));
    return {};
}

/// Target checks shared by the start and the end of a restore.
Result<void> checkTarget(const QString& dir)
{
    const QFileInfo info(dir);
    if (info.isSymLink())
        return makeError(QStringLiteral("symlinked_profile"),
                         QStringLiteral("%1 is a symbolic link; a profile folder must be a real folder.").arg(dir));
    if (!info.exists())
        return {};
    if (!info.isDir() || !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System))
        return makeError(QStringLiteral("profile_not_empty"),
                         QStringLiteral("%1 is not empty: a backup is only restored into a new profile. Nothing was "
                                        "changed.")
                             .arg(dir));
    return {};
}

/// Checks what was written before it is put in place: the member document loads, every key file
/// is one (its header names the pair of its file name), every SQLite file passes quick_check.
Result<void> checkRestored(const QString& dir, const QList<Entry>& entries)
{
    auto member = MemberDocument::load(dir + QStringLiteral("/member.json"));
    if (!member)
        return damaged(QStringLiteral("its member document does not load: %1").arg(member.error().message));
    for (const Entry& e : entries) {
        const QString path = dir + QLatin1Char('/') + e.name;
        if (isKeyEntry(e.name) || e.name == QLatin1String("anchor-wallet.key")) {
            auto bytes = KeyFile::read(path);
            if (!bytes)
                return bytes.error();
            auto header = KeyFile::readHeader(*bytes);
            if (!header)
                return damaged(QStringLiteral("%1: %2").arg(e.name, header.error().message));
            if (isKeyEntry(e.name) && QStringLiteral("keys/") + header->pairId + QStringLiteral(".key") != e.name)
                return damaged(QStringLiteral("%1 holds the key of another pair.").arg(e.name));
        } else if (databases().contains(e.name)) {
            auto conn = SqliteConnection::openReadOnly(path, QStringLiteral("restore-check"));
            if (!conn)
                return damaged(QStringLiteral("%1: %2").arg(e.name, conn.error().message));
            QSqlQuery q(conn->db());
            if (!q.exec(QStringLiteral("PRAGMA quick_check")) || !q.next() ||
                q.value(0).toString() != QLatin1String("ok"))
                return damaged(QStringLiteral("%1 fails SQLite's integrity check.").arg(e.name));
        }
    }
    return {};
}

} // namespace

Result<QByteArray> ProfileBackup::seal(const QByteArray& archive, const QByteArray& passphrase, KdfParams params)
{
    ensureSodium();
    if (archive.size() > kMaxFileBytes - kHeaderBytes - kTagBytes)
        return makeError(
            QStringLiteral("backup_too_large"),
            QStringLiteral("The profile is larger than a backup may be (%1 MiB).").arg(kMaxFileBytes / (1024 * 1024)));
    unsigned char salt[kSaltBytes];
    unsigned char nonce[kNonceBytes];
    randomBytes(salt, sizeof salt);
    randomBytes(nonce, sizeof nonce);

    QByteArray out;
    out.reserve(kHeaderBytes + archive.size() + kTagBytes);
    out.append(kMagic, 8);
    appendU16(out, kVersion);
    out.append(char(kKdfArgon2id13));
    out.append(char(kAeadXChaCha20Poly1305));
    appendU32(out, quint32(params.opsLimit));
    appendU64(out, quint64(params.memLimit));
    out.append(reinterpret_cast<const char*>(salt), kSaltBytes);
    out.append(reinterpret_cast<const char*>(nonce), kNonceBytes);
    appendU64(out, quint64(archive.size() + kTagBytes));
    Q_ASSERT(out.size() == kHeaderBytes);

    DerivedKey dk;
    if (auto r = derive(dk, passphrase, salt, params); !r)
        return r.error();
    out.resize(kHeaderBytes + archive.size() + kTagBytes);
    unsigned long long ctLen = 0;
    auto* ct = reinterpret_cast<unsigned char*>(out.data()) + kHeaderBytes;
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &ctLen, reinterpret_cast<const unsigned char*>(archive.constData()),
                                               static_cast<unsigned long long>(archive.size()),
                                               reinterpret_cast<const unsigned char*>(out.constData()),
                                               static_cast<unsigned long long>(kHeaderBytes), nullptr, nonce, dk.key);
    Q_ASSERT(qsizetype(ctLen) == archive.size() + kTagBytes);
    return out;
}

Result<SecretBytes> ProfileBackup::open(const QByteArray& file, const QByteArray& passphrase)
{
    ensureSodium();
    if (file.size() < 8 || std::memcmp(file.constData(), kMagic, 8) != 0)
        return makeError(QStringLiteral("not_a_backup"), QStringLiteral("This file is not a UserWallet backup."));
    Reader r(file);
    const char* skip = nullptr;
    quint16 version = 0;
    quint8 kdf = 0, aead = 0;
    quint32 ops = 0;
    quint64 mem = 0, ctLen = 0;
    const char* salt = nullptr;
    const char* nonce = nullptr;
    if (!r.take(8, &skip) || !r.number(&version))
        return makeError(QStringLiteral("backup_truncated"),
                         QStringLiteral("The backup file is incomplete (cut short). Nothing was written."));
    if (version != kVersion)
        return makeError(QStringLiteral("backup_version"),
                         QStringLiteral("This backup was written in format %1; this version of UserWallet reads "
                                        "format %2.")
                             .arg(version)
                             .arg(kVersion));
    if (!r.number(&kdf) || !r.number(&aead) || !r.number(&ops) || !r.number(&mem) || !r.take(kSaltBytes, &salt) ||
        !r.take(kNonceBytes, &nonce) || !r.number(&ctLen))
        return makeError(QStringLiteral("backup_truncated"),
                         QStringLiteral("The backup file is incomplete (cut short). Nothing was written."));
    if (kdf != kKdfArgon2id13 || aead != kAeadXChaCha20Poly1305)
        return makeError(QStringLiteral("not_a_backup"),
                         QStringLiteral("The backup names algorithms this version does not know (damaged?)."));
    // The header is only authenticated after the key is derived, so its cost is bounded first,
    // as KeyFile does: never more than 4x the writer's default, never the attacker's 2 GiB.
    const KdfParams writer = KdfParams::standard();
    if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > 4 * writer.opsLimit || mem < crypto_pwhash_MEMLIMIT_MIN ||
        mem > 4 * quint64(writer.memLimit))
        return makeError(QStringLiteral("kdf_params_out_of_range"),
                         QStringLiteral("The backup's key derivation parameters are out of range (edited?). Nothing "
                                        "was written."));
    if (ctLen < quint64(kTagBytes) || ctLen > quint64(kMaxFileBytes))
        return damaged(QStringLiteral("its length field is impossible."));
    if (quint64(r.remaining()) < ctLen)
        return makeError(QStringLiteral("backup_truncated"),
                         QStringLiteral("The backup file is incomplete: %1 of its %2 bytes. Nothing was written.")
                             .arg(kHeaderBytes + r.remaining())
                             .arg(quint64(kHeaderBytes) + ctLen));
    if (quint64(r.remaining()) > ctLen)
        return damaged(QStringLiteral("bytes after its end."));

    DerivedKey dk;
    if (auto d = derive(dk, passphrase, reinterpret_cast<const unsigned char*>(salt), KdfParams{ops, std::size_t(mem)});
        !d)
        return d.error();
    // The tag is checked before any plaintext is written; the plaintext is wiped with its SecretBytes.
    QByteArray plain(qsizetype(ctLen) - kTagBytes, Qt::Uninitialized);
    unsigned long long len = 0;
    const int failed = crypto_aead_xchacha20poly1305_ietf_decrypt(
        reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr,
        reinterpret_cast<const unsigned char*>(file.constData()) + kHeaderBytes, ctLen,
        reinterpret_cast<const unsigned char*>(file.constData()), static_cast<unsigned long long>(kHeaderBytes),
        reinterpret_cast<const unsigned char*>(nonce), dk.key);
    SecretBytes result(std::move(plain));
    if (failed != 0)
        return makeError(QStringLiteral("wrong_passphrase"),
                         QStringLiteral("Wrong passphrase, or the backup file was altered or damaged. Nothing was "
                                        "written."));
    return result;
}

Result<BackupSummary> ProfileBackup::exportTo(const Profile& profile, const QString& backupPath,
                                              const QByteArray& passphrase, KdfParams params)
{
    if (!profile.isInitialized())
        return makeError(QStringLiteral("no_identity"),
                         QStringLiteral("The profile in %1 has no identity to back up.").arg(profile.dataDir()));
    if (passphrase.isEmpty())
        return makeError(QStringLiteral("no_passphrase"), QStringLiteral("A backup needs a passphrase."));
    const QString dir = profile.dataDir();

    // Scratch space for the database snapshots, inside the profile's own 0700 folder.
    QTemporaryDir scratch(dir + QStringLiteral("/.backup-XXXXXX"));
    if (!scratch.isValid())
        return ioError(QStringLiteral("Cannot make a temporary folder in %1: %2").arg(dir, scratch.errorString()));

    QList<Entry> entries;
    for (const QString& name : plainFiles()) {
        if (!QFileInfo(dir + QLatin1Char('/') + name).isFile())
            continue;
        auto data = readBounded(dir + QLatin1Char('/') + name, kMaxFileBytes);
        if (!data)
            return data.error();
        entries.append(Entry{name, std::move(*data)});
    }
    const QStringList keys = QDir(profile.keysDir()).entryList({QStringLiteral("*.key")}, QDir::Files, QDir::Name);
    for (const QString& key : keys) {
        const QString name = QStringLiteral("keys/") + key;
        if (!isKeyEntry(name)) {
            qCWarning(lcBackup) << "not backed up, not a key file name:" << name;
            continue;
        }
        auto data = readBounded(dir + QLatin1Char('/') + name, KeyFile::kMaxBytes);
        if (!data)
            return data.error();
        entries.append(Entry{name, std::move(*data)});
    }
    for (const QString& name : databases()) {
        if (!QFileInfo(dir + QLatin1Char('/') + name).isFile())
            continue;
        auto data = snapshot(dir + QLatin1Char('/') + name, scratch.filePath(name));
        if (!data)
            return data.error();
        entries.append(Entry{name, std::move(*data)});
    }

    qint64 total = 12;
    for (const Entry& e : entries)
        total += 2 + e.name.toUtf8().size() + 8 + e.data.size();
    if (total > kMaxFileBytes - kHeaderBytes - kTagBytes)
        return makeError(
            QStringLiteral("backup_too_large"),
            QStringLiteral("The profile is larger than a backup may be (%1 MiB).").arg(kMaxFileBytes / (1024 * 1024)));
    QByteArray bytes;
    bytes.reserve(total); // one allocation: no stale copy left unwiped
    bytes.append(kArchiveMagic, 8);
    appendU32(bytes, quint32(entries.size()));
    BackupSummary summary;
    for (const Entry& e : entries) {
        const QByteArray name = e.name.toUtf8();
        appendU16(bytes, quint16(name.size()));
        bytes.append(name);
        appendU64(bytes, quint64(e.data.size()));
        bytes.append(e.data);
        summary.files.append(e.name);
    }
    const SecretBytes archive(std::move(bytes));

    auto sealed = seal(archive.bytes(), passphrase, params);
    if (!sealed)
        return sealed.error();
    if (auto w = writePrivate(backupPath, *sealed); !w)
        return w.error();
    summary.bytes = sealed->size();

    // Read back what is on disk and open it: a backup is reported only once it restores.
    auto back = readBounded(backupPath, kMaxFileBytes);
    if (!back)
        return back.error();
    auto reopened = open(*back, passphrase);
    if (!reopened || reopened->bytes() != archive.bytes())
        return makeError(
            QStringLiteral("backup_unreadable"),
            QStringLiteral("The backup written to %1 does not read back; do not rely on it.").arg(backupPath));
    return summary;
}

Result<BackupSummary> ProfileBackup::restore(const QString& backupPath, const QByteArray& passphrase,
                                             const Profile& target)
{
    const QString dir = target.dataDir();
    if (auto t = checkTarget(dir); !t)
        return t.error();

    const QFileInfo info(backupPath);
    if (!info.isFile())
        return makeError(QStringLiteral("not_found"), QStringLiteral("No backup file at %1.").arg(backupPath));
    if (info.size() > kMaxFileBytes)
        return makeError(QStringLiteral("backup_too_large"),
                         QStringLiteral("%1 is larger than any backup (%2 MiB): not a UserWallet backup.")
                             .arg(backupPath)
                             .arg(kMaxFileBytes / (1024 * 1024)));
    auto file = readBounded(backupPath, kMaxFileBytes);
    if (!file)
        return file.error();
    auto archive = open(*file, passphrase);
    if (!archive)
        return archive.error();
    auto entries = parseArchive(archive->bytes());
    if (!entries)
        return entries.error();

    // Everything is written beside the target, checked, then renamed into place in one step.
    const QFileInfo targetInfo(dir);
    const QString parent = targetInfo.absolutePath();
    if (!QDir().mkpath(parent))
        return ioError(QStringLiteral("Cannot create %1.").arg(parent));
    QTemporaryDir staging(parent + QStringLiteral("/.") + targetInfo.fileName() + QStringLiteral(".restore-XXXXXX"));
    if (!staging.isValid())
        return ioError(QStringLiteral("Cannot make a temporary folder in %1: %2").arg(parent, staging.errorString()));
    const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
    QFile::setPermissions(staging.path(), ownerOnly);
    if (!QDir(staging.path()).mkdir(QStringLiteral("keys")))
        return ioError(QStringLiteral("Cannot create %1/keys.").arg(staging.path()));
    QFile::setPermissions(staging.filePath(QStringLiteral("keys")), ownerOnly);

    BackupSummary summary;
    summary.bytes = file->size();
    for (const Entry& e : *entries) {
        if (auto w = writePrivate(staging.filePath(e.name), e.data); !w)
            return w.error();
        summary.files.append(e.name);
    }
    if (auto c = checkRestored(staging.path(), *entries); !c)
        return c.error();

    // rename(2) replaces an empty folder and refuses a non-empty one, atomically: a profile that
    // appeared meanwhile is never overwritten.
    if (auto t = checkTarget(dir); !t)
        return t.error();
    if (std::rename(QFile::encodeName(staging.path()).constData(), QFile::encodeName(dir).constData()) != 0) {
        const int err = errno;
        if (err == ENOTEMPTY || err == EEXIST)
            return checkTarget(dir).ok() ? ioError(QStringLiteral("Cannot put the profile in place at %1.").arg(dir))
                                         : checkTarget(dir).error();
        return ioError(QStringLiteral("Cannot put the profile in place at %1: %2")
                           .arg(dir, QString::fromLocal8Bit(strerror(err))));
    }
    staging.setAutoRemove(false);
    return summary;
}

} // namespace uw
