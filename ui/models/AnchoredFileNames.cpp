#include "models/AnchoredFileNames.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

namespace uw::ui {

namespace {

bool isDigest(const QString& s)
{
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    return hex64.match(s).hasMatch();
}

} // namespace

std::pair<QList<AnchoredFileNames::Entry>, QString> AnchoredFileNames::parse(const QByteArray& bytes)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        //: Why the anchored files' names could not be read: %1 the JSON parser's message, %2 the byte offset.
        const QString why = tr("it is not valid JSON (%1 at byte %2)").arg(error.errorString()).arg(error.offset);
        return {{}, why};
    }
    const QJsonObject root = doc.object();
    if (!doc.isObject() || root.value(QStringLiteral("version")).toInt() != 1 ||
        !root.value(QStringLiteral("files")).isArray()) {
        //: Why the anchored files' names could not be read.
        const QString why = tr("it is not a list of anchored files this version knows");
        return {{}, why};
    }
    QList<AnchoredFileNames::Entry> out;
    const QJsonArray files = root.value(QStringLiteral("files")).toArray();
    for (const QJsonValue& v : files) {
        const QJsonObject o = v.toObject();
        AnchoredFileNames::Entry e{o.value(QStringLiteral("digest")).toString(),
                                   o.value(QStringLiteral("name")).toString(),
                                   o.value(QStringLiteral("path")).toString(),
                                   QDateTime::fromString(o.value(QStringLiteral("added")).toString(), Qt::ISODate)};
        if (!isDigest(e.digest) || e.name.isEmpty() || !e.added.isValid()) {
            //: Why the anchored files' names could not be read: %1 the number of the entry that is wrong.
            const QString why = tr("entry %1 is malformed").arg(out.size() + 1);
            return {{}, why};
        }
        out.append(e);
    }
    return {out, {}};
}

QString AnchoredFileNames::fileIn(const QString& dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("anchored-files.json"));
}

QString AnchoredFileNames::setAsidePath(const QString& file)
{
    return file + QStringLiteral(".unreadable");
}

AnchoredFileNames::Loaded AnchoredFileNames::load(const QString& file)
{
    QFile f(file);
    if (!f.exists())
        return {};
    QString reason;
    if (!f.open(QIODevice::ReadOnly)) {
        reason = f.errorString();
    } else if (f.size() > kMaxBytes) {
        //: Why the anchored files' names could not be read: the file is far larger than such a list.
        reason = tr("it is larger than %1 MB").arg(kMaxBytes >> 20);
    } else {
        auto [entries, why] = parse(f.readAll());
        if (why.isEmpty())
            return {entries, {}};
        reason = why;
    }
    f.close();
    // Set aside, not deleted: the person may want it back. The page starts a new table.
    const QString aside = setAsidePath(file);
    QFile::remove(aside);
    const bool moved = QFile::rename(file, aside);
    return {
        {},
        moved
            //: The Anchoring page could not read its list of file names; %1 the file, %2 why, %3 where it was moved.
            ? tr("The names of the files anchored earlier could not be read from %1: %2. The anchors themselves "
                 "are safe; files added from now on are listed by name again. The old list was kept as %3.")
                  .arg(QDir::toNativeSeparators(file), reason, QDir::toNativeSeparators(aside))
            //: As above, when the unreadable list could not even be moved aside; %1 the file, %2 why.
            : tr("The names of the files anchored earlier could not be read from %1: %2. The anchors themselves "
                 "are safe; the unreadable list will be replaced once files are added.")
                  .arg(QDir::toNativeSeparators(file), reason)};
}

QString AnchoredFileNames::save(const QString& file, const QList<Entry>& entries)
{
    QJsonArray files;
    for (const Entry& e : entries)
        files.append(QJsonObject{{QStringLiteral("digest"), e.digest},
                                 {QStringLiteral("name"), e.name},
                                 {QStringLiteral("path"), e.path},
                                 {QStringLiteral("added"), e.added.toUTC().toString(Qt::ISODate)}});
    const QByteArray bytes =
        QJsonDocument(QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("files"), files}}).toJson();
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return f.errorString();
    return {};
}

} // namespace uw::ui
