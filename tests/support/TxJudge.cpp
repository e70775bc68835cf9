#include "support/TxJudge.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace uw::test {

namespace {
constexpr int kCheckerTimeoutMs = 60'000;
}

void TxJudge::add(const btc::Transaction& tx, const QList<btc::TxOut>& prevouts)
{
    m_txs.append(Entry{tx.serialize(), tx.txid().hex(), int(tx.vsize()), prevouts});
}

QString TxJudge::verifyAll() const
{
    if (m_txs.isEmpty())
        return {};
    const QString dir = QStringLiteral(UW_SOURCE_DIR "/tests/tools/txcheck");
    if (!QFileInfo::exists(dir + QStringLiteral("/node_modules/bitcoinjs-lib")))
        return QStringLiteral("bitcoinjs-lib is missing: run `npm ci` in tests/tools/txcheck (scripts/test.sh does)");
    QJsonArray txs;
    for (const Entry& e : m_txs) {
        QJsonArray prev;
        for (const btc::TxOut& o : e.prevouts)
            prev.append(QJsonObject{{QStringLiteral("script"), QString::fromLatin1(o.script.toHex())},
                                    {QStringLiteral("value"), qint64(o.value)}});
        txs.append(QJsonObject{{QStringLiteral("hex"), QString::fromLatin1(e.raw.toHex())},
                               {QStringLiteral("prevouts"), prev},
                               {QStringLiteral("txid"), e.txid},
                               {QStringLiteral("vsize"), e.vsize}});
    }
    QProcess node;
    node.setWorkingDirectory(dir);
    node.start(QStringLiteral("node"), {QStringLiteral("verify_tx.mjs"), QStringLiteral("--lines")});
    if (!node.waitForStarted())
        return QStringLiteral("node could not start: ") + node.errorString();
    node.write(QJsonDocument(QJsonObject{{QStringLiteral("txs"), txs}}).toJson(QJsonDocument::Compact) + '\n');
    node.closeWriteChannel();
    if (!node.waitForFinished(kCheckerTimeoutMs)) {
        node.kill();
        node.waitForFinished();
        return QStringLiteral("the checker did not answer in time");
    }
    const QByteArray out = node.readAllStandardOutput();
    const QJsonObject answer = QJsonDocument::fromJson(out.trimmed()).object();
    if (node.exitCode() != 0 || !answer.value(QStringLiteral("valid")).toBool() ||
        answer.value(QStringLiteral("checked")).toInt() != int(m_txs.size()))
        return QString::fromUtf8(out + node.readAllStandardError());
    return {};
}

} // namespace uw::test
