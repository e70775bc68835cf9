#include "models/FileAnchorModel.h"

#include <QLocale>
#include <algorithm>

namespace uw::ui {

namespace {
constexpr int kShortDigest = 12; ///< hex digits of a digest shown in the table (the tooltip has all 64)
constexpr int kShortTxid = 16;   ///< hex digits of a txid shown in the table (the tooltip and Copy have all 64)
constexpr int kSettledDepth = 6; ///< confirmations after which a row is no longer refreshed

DigestStatus digestOnly(const QString& digest)
{
    DigestStatus s;
    s.digest = digest;
    return s;
}
} // namespace

FileAnchorModel::FileAnchorModel(QObject* parent)
    : RowTableModel(
          {
              //: Column title: the name of an anchored file.
              tr("File"),
              //: Column title: the file's SHA-256 fingerprint (shortened; the tooltip shows it whole).
              tr("SHA-256"),
              //: Column title: where a file's anchor stands (waiting, in the mempool, confirmed...).
              tr("State"),
              //: Column title: the Bitcoin transaction id of an anchor.
              tr("Transaction"),
          },
          parent)
{}

int FileAnchorModel::upsert(const QString& fileName, const QString& path, const DigestStatus& status,
                            const QDateTime& added)
{
    if (const int r = rowOf(status.digest); r >= 0) {
        m_rows[r].status = status;
        m_rows[r].standing = Standing::Live;
        Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
        return r;
    }
    const int r = int(m_rows.size());
    beginInsertRows({}, r, r);
    m_rows.append(Row{fileName, path, status, added, Standing::Live});
    endInsertRows();
    return r;
}

void FileAnchorModel::update(const DigestStatus& status)
{
    const int r = rowOf(status.digest);
    if (r < 0)
        return;
    const DigestStatus& old = m_rows[r].status;
    if (m_rows[r].standing == Standing::Live && old.state == status.state && old.round == status.round &&
        old.txid == status.txid && old.confirmations == status.confirmations && old.error == status.error)
        return;
    m_rows[r].status = status;
    m_rows[r].standing = Standing::Live;
    Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
}

void FileAnchorModel::markMissing(const QString& digest)
{
    const int r = rowOf(digest);
    if (r < 0 || m_rows[r].standing == Standing::Missing)
        return;
    m_rows[r].status = digestOnly(digest);
    m_rows[r].standing = Standing::Missing;
    Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
}

void FileAnchorModel::restore(const QList<AnchoredFileNames::Entry>& entries)
{
    QList<Row> fresh;
    for (const AnchoredFileNames::Entry& e : entries)
        if (rowOf(e.digest) < 0 &&
            std::none_of(fresh.cbegin(), fresh.cend(), [&e](const Row& r) { return r.status.digest == e.digest; }))
            fresh.append(Row{e.name, e.path, digestOnly(e.digest), e.added, Standing::Saved});
    if (fresh.isEmpty())
        return;
    // The rows of earlier sessions first, as they were added; this session's rows after them.
    beginInsertRows({}, 0, int(fresh.size()) - 1);
    m_rows = fresh + m_rows;
    endInsertRows();
}

QList<AnchoredFileNames::Entry> FileAnchorModel::entries() const
{
    QList<AnchoredFileNames::Entry> out;
    out.reserve(m_rows.size());
    for (const Row& r : m_rows)
        out.append({r.status.digest, r.fileName, r.path, r.added});
    return out;
}

int FileAnchorModel::rowOf(const QString& digest) const
{
    for (int r = 0; r < m_rows.size(); ++r)
        if (m_rows[r].status.digest == digest)
            return r;
    return -1;
}

bool FileAnchorModel::isLive(const DigestStatus& s)
{
    return s.state != AnchorState::Failed && !(s.state == AnchorState::Confirmed && s.confirmations >= kSettledDepth);
}

bool FileAnchorModel::needsRefresh(const Row& row)
{
    return row.standing == Standing::Saved || (row.standing == Standing::Live && isLive(row.status));
}

QString FileAnchorModel::stateWord(const DigestStatus& s)
{
    if (s.round == 0 && s.state == AnchorState::Queued)
        return QStringLiteral("waiting");
    return anchorStateToString(s.state);
}

QString FileAnchorModel::stateText(const DigestStatus& s)
{
    switch (s.state) {
    case AnchorState::Queued:
        if (s.round == 0)
            //: A file's digest waits for its round to close (a round gathers many digests into one transaction).
            return tr("waiting for its round");
        //: The round is closed; its transaction waits to be built.
        return tr("queued");
    case AnchorState::Signed:
        //: The anchor's transaction is signed but not yet accepted by the Bitcoin node.
        return tr("signed, not yet sent");
    case AnchorState::Broadcast:
        //: The anchor's transaction waits in the node's mempool for a block.
        return tr("broadcast, waiting for a block");
    case AnchorState::Confirmed:
        //: The anchor's transaction is in a block; %n is the number of confirmations.
        return tr("confirmed (%n confirmation(s))", nullptr, s.confirmations);
    case AnchorState::Failed:
        //: The anchor was given up; %1 is the reason.
        return s.error.isEmpty() ? tr("failed") : tr("failed: %1").arg(s.error);
    }
    return {};
}

QVariant FileAnchorModel::data(const QModelIndex& index, int role) const
{
    if (!isRow(index))
        return {};
    const Row& row = m_rows[index.row()];
    const DigestStatus& s = row.status;
    const auto column = Column(index.column());
    const bool live = row.standing == Standing::Live;
    if (role == Qt::UserRole) {
        if (column == State)
            return live                              ? stateWord(s)
                   : row.standing == Standing::Saved ? QStringLiteral("saved")
                                                     : QStringLiteral("missing");
        if (column == Digest)
            return s.digest;
        if (column == File)
            return row.path;
        if (column == Transaction)
            return s.txid;
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case File:
            return row.added.isValid()
                       //: Tooltip on an anchored file's name: %1 where the file was, %2 when it was added.
                       ? tr("%1\nAdded %2")
                             .arg(row.path, QLocale().toString(row.added.toLocalTime(), QLocale::ShortFormat))
                       : row.path;
        case Digest:
            return s.digest;
        case State:
            if (!live)
                return {};
            if (s.round != 0 && s.leaves > 1)
                //: Tooltip: the file's digest shares one transaction with %n other files' digests (a Merkle round).
                return tr("Anchored with %n other digest(s) in one transaction.", nullptr, s.leaves - 1);
            return s.error.isEmpty() ? QVariant() : QVariant(s.error);
        case Transaction:
            return s.blockHash.isEmpty() || !s.height
                       ? QVariant(s.txid)
                       //: Tooltip on a confirmed anchor's transaction: %1 the block height, %2 its hash.
                       : QVariant(s.txid + QLatin1Char('\n') + tr("In block %1 (%2)").arg(*s.height).arg(s.blockHash));
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::FontRole && (column == Digest || column == Transaction)) {
        QFont mono(QStringLiteral("monospace"));
        mono.setStyleHint(QFont::Monospace);
        return mono;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case File:
        return row.fileName;
    case Digest:
        return QString(s.digest.left(kShortDigest) + QStringLiteral("…"));
    case State:
        if (row.standing == Standing::Saved)
            //: A file listed from an earlier session; its anchor's state comes once the anchoring core runs.
            return tr("not known yet (the anchoring core is not running)");
        if (row.standing == Standing::Missing)
            //: A file listed from an earlier session whose digest the profile's anchor database does not hold.
            return tr("not in this profile's anchor database");
        return stateText(s);
    case Transaction:
        return s.txid.isEmpty() ? QString() : QString(s.txid.left(kShortTxid) + QStringLiteral("…"));
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace uw::ui
