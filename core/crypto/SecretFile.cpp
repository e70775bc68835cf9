#include "crypto/SecretFile.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace uw {

namespace {

Error refuse(const QString& message)
{
    return makeError(QStringLiteral("secret_file"), message);
}

} // namespace

Result<SecretBytes> readSecretFile(const QString& path, qsizetype maxBytes)
{
    const QByteArray native = QFile::encodeName(path);
    struct stat link = {};
    if (::lstat(native.constData(), &link) != 0)
        return refuse(QStringLiteral("Cannot read %1: %2.").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    if (S_ISLNK(link.st_mode))
        return refuse(QStringLiteral("%1 is a symbolic link: give the file itself (a link could be pointed elsewhere).")
                          .arg(path));
    if (!S_ISREG(link.st_mode)) // a FIFO would block the open, a directory cannot be read
        return refuse(QStringLiteral("%1 is not a regular file.").arg(path));
    // O_NOFOLLOW: the file checked below is the one opened, even if the path changed meanwhile
    // (O_NONBLOCK: and a FIFO put there meanwhile does not block the open).
    const int fd = ::open(native.constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return refuse(QStringLiteral("Cannot read %1: %2.").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    struct stat st = {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return refuse(QStringLiteral("%1 is not a regular file.").arg(path));
    }
    if ((st.st_mode & 077) != 0) {
        ::close(fd);
        return refuse(QStringLiteral("%1 can be read or written by others (mode %2): run chmod 600 %1.")
                          .arg(path, QString::number(st.st_mode & 0777, 8).rightJustified(4, QLatin1Char('0'))));
    }
    if (st.st_size > maxBytes) {
        ::close(fd);
        return refuse(QStringLiteral("%1 is larger than %2 bytes.").arg(path).arg(maxBytes));
    }
    QByteArray bytes(maxBytes + 1, '\0');
    qsizetype got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + got, std::size_t(bytes.size() - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const QString why = QString::fromLocal8Bit(std::strerror(errno));
            ::close(fd);
            wipeBytes(bytes);
            return refuse(QStringLiteral("Cannot read %1: %2.").arg(path, why));
        }
        if (n == 0)
            break;
        got += n;
    }
    ::close(fd);
    SecretBytes secret(std::move(bytes));
    if (got > maxBytes)
        return refuse(QStringLiteral("%1 is larger than %2 bytes.").arg(path).arg(maxBytes));
    QByteArray text = secret.bytes().left(got);
    while (text.endsWith('\n') || text.endsWith('\r'))
        text.chop(1);
    SecretBytes trimmed(std::move(text));
    if (trimmed.isEmpty())
        return refuse(QStringLiteral("%1 is empty.").arg(path));
    return trimmed;
}

} // namespace uw
