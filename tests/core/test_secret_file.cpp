// readSecretFile (core/crypto/SecretFile): the API token and passphrase files of the daemons.
// Only a regular file that nobody else may read or write, reached without a symbolic link, with
// something in it, is accepted; each refusal says what is wrong and how to fix it.
#include "crypto/SecretFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace uw;

class TestSecretFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
};

namespace {

QString write(const QTemporaryDir& dir, const QByteArray& content, int mode)
{
    const QString path = dir.filePath(QStringLiteral("secret"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(content);
    f.close();
    ::chmod(QFile::encodeName(path).constData(), mode_t(mode));
    return path;
}

} // namespace

void TestSecretFile::accepted_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QByteArray>("secret");
    QTest::newRow("0600") << QByteArray("token") << 0600 << QByteArray("token");
    QTest::newRow("0400") << QByteArray("token") << 0400 << QByteArray("token");
    QTest::newRow("trailing LF") << QByteArray("token\n") << 0600 << QByteArray("token");
    QTest::newRow("trailing CRLF") << QByteArray("token\r\n") << 0600 << QByteArray("token");
    QTest::newRow("inner blanks kept") << QByteArray(" a b ") << 0600 << QByteArray(" a b ");
    QTest::newRow("4096 bytes") << QByteArray(4096, 'x') << 0600 << QByteArray(4096, 'x');
}

void TestSecretFile::accepted()
{
    QFETCH(QByteArray, content);
    QFETCH(int, mode);
    QFETCH(QByteArray, secret);
    QTemporaryDir dir;
    auto r = readSecretFile(write(dir, content, mode));
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
    QCOMPARE(r->bytes(), secret);
}

void TestSecretFile::refused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("says");
    QTest::newRow("0644") << "0644"
                          << "chmod 600";
    QTest::newRow("0640") << "0640"
                          << "mode 0640";
    QTest::newRow("0602") << "0602"
                          << "chmod 600";
    QTest::newRow("symbolic link to a 0600 file") << "symlink"
                                                  << "symbolic link";
    QTest::newRow("directory") << "directory"
                               << "not a regular file";
    QTest::newRow("FIFO") << "fifo"
                          << "not a regular file";
    QTest::newRow("empty") << "empty"
                           << "is empty";
    QTest::newRow("only a line break") << "newline"
                                       << "is empty";
    QTest::newRow("missing") << "missing"
                             << "Cannot read";
    QTest::newRow("too large") << "large"
                               << "larger than 4096 bytes";
}

void TestSecretFile::refused()
{
    QFETCH(QString, kind);
    QFETCH(QString, says);
    QTemporaryDir dir;
    QString path;
    if (kind == QLatin1String("0644"))
        path = write(dir, "token", 0644);
    else if (kind == QLatin1String("0640"))
        path = write(dir, "token", 0640);
    else if (kind == QLatin1String("0602"))
        path = write(dir, "token", 0602);
    else if (kind == QLatin1String("symlink")) {
        const QString target = write(dir, "token", 0600);
        path = dir.filePath(QStringLiteral("link"));
        QVERIFY(QFile::link(target, path));
    } else if (kind == QLatin1String("directory")) {
        path = dir.filePath(QStringLiteral("sub"));
        QVERIFY(QDir().mkdir(path));
        ::chmod(QFile::encodeName(path).constData(), 0700);
    } else if (kind == QLatin1String("fifo")) {
        path = dir.filePath(QStringLiteral("fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(path).constData(), 0600), 0);
    } else if (kind == QLatin1String("empty"))
        path = write(dir, "", 0600);
    else if (kind == QLatin1String("newline"))
        path = write(dir, "\n", 0600);
    else if (kind == QLatin1String("missing"))
        path = dir.filePath(QStringLiteral("absent"));
    else if (kind == QLatin1String("large"))
        path = write(dir, QByteArray(4097, 'x'), 0600);
    auto r = readSecretFile(path);
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("secret_file"));
    QVERIFY2(r.error().message.contains(says), qPrintable(r.error().message));
    QVERIFY2(r.error().message.contains(path), qPrintable(r.error().message));
}

QTEST_GUILESS_MAIN(TestSecretFile)
#include "test_secret_file.moc"
