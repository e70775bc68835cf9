#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <utility>

namespace uw::ui {

/// The Anchoring page's own table of names: which file each digest came from, and when it was
/// added, so that the page lists the anchored files by name again after a restart (the anchor
/// database holds digests only). A JSON file in the profile, `anchored-files.json`:
/// {"version":1,"files":[{"digest","name","path","added"}]}, replaced whole and atomically
/// (QSaveFile) at each change. It holds no secret. Both functions touch the disk: call them on a
/// worker, never on the GUI thread.
struct AnchoredFileNames
{
    Q_DECLARE_TR_FUNCTIONS(uw::ui::AnchoredFileNames)
public:
    struct Entry
    {
        QString digest; ///< 64 lowercase hex digits
        QString name;   ///< the file's name when it was added
        QString path;   ///< where it was then
        QDateTime added;
        bool operator==(const Entry&) const = default;
    };

    struct Loaded
    {
        QList<Entry> entries;
        /// Empty when the file was read (or did not exist yet). Otherwise why it could not be
        /// read, in a sentence for the person; the unreadable file is then moved aside (see
        /// setAsidePath()) so that the names added from now on are kept.
        QString warning;
    };

    static constexpr qint64 kMaxBytes = 16 << 20; ///< a larger file is not read (entries are ~200 bytes)

    static QString fileIn(const QString& dataDir);
    /// Where an unreadable table is moved: beside it, for the person (or support) to look at.
    static QString setAsidePath(const QString& file);
    static Loaded load(const QString& file);
    /// An empty string once the table is on disk, else the reason.
    static QString save(const QString& file, const QList<Entry>& entries);

private:
    /// The entries of a table's JSON, or why it is not one.
    static std::pair<QList<Entry>, QString> parse(const QByteArray& bytes);
};

} // namespace uw::ui
