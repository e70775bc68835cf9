#include "double/TxCheck.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace uw::test {

namespace {

QProcess* g_node = nullptr;
QString g_dir;

void stopNode()
{
    if (!g_node)
        return;
    g_node->closeWriteChannel(); // verify_tx.mjs ends at the end of its input
    if (!g_node->waitForFinished(5000))
        g_node->kill();
    g_node->waitForFinished(1000);
    delete g_node;
    g_node = nullptr;
}

} // namespace

QString TxCheck::missing(const QString& dir)
{
    if (!QFileInfo::exists(dir + QStringLiteral("/verify_tx.mjs")) ||
        !QFileInfo::exists(dir + QStringLiteral("/node_modules/bitcoinjs-lib")))
        return QStringLiteral("bitcoinjs-lib is missing: run `npm ci` in %1 (scripts/test.sh does)").arg(dir);
    return {};
}

QString TxCheck::check(const QString& dir, const QList<Item>& batch)
{
    if (batch.isEmpty())
        return {};
    if (const QString why = missing(dir); !why.isEmpty())
        return why;
    if (g_node && (g_dir != dir || g_node->state() != QProcess::Running))
        stopNode();
    if (!g_node) {
        static const bool cleanupAdded = (qAddPostRoutine(stopNode), true);
        Q_UNUSED(cleanupAdded);
        g_node = new QProcess;
        g_dir = dir;
        g_node->setWorkingDirectory(dir);
        g_node->setProcessChannelMode(QProcess::SeparateChannels);
        g_node->start(QStringLiteral("node"), {QStringLiteral("verify_tx.mjs"), QStringLiteral("--lines")});
        if (!g_node->waitForStarted(30000)) {
            const QString why = g_node->errorString();
            stopNode();
            return QStringLiteral("bitcoinjs-lib's checker did not start (node: %1)").arg(why);
        }
    }
    QJsonArray txs;
    for (const Item& item : batch) {
        QJsonArray prevouts;
        for (const auto& [value, script] : item.prevouts)
            prevouts.append(QJsonObject{{QStringLiteral("value"), qint64(value)},
                                        {QStringLiteral("script"), QString::fromLatin1(script.toHex())}});
        txs.append(QJsonObject{{QStringLiteral("hex"), QString::fromLatin1(item.raw.toHex())},
                               {QStringLiteral("prevouts"), prevouts},
                               {QStringLiteral("txid"), item.txid},
                               {QStringLiteral("vsize"), qint64(item.vsize)}});
    }
    g_node->write(QJsonDocument(QJsonObject{{QStringLiteral("txs"), txs}}).toJson(QJsonDocument::Compact) + '\n');
    while (!g_node->canReadLine()) {
        if (!g_node->waitForReadyRead(60000)) {
            const QString err = QString::fromUtf8(g_node->readAllStandardError());
            stopNode();
            return QStringLiteral("bitcoinjs-lib's checker gave no answer: %1").arg(err.trimmed());
        }
    }
    const QJsonObject answer = QJsonDocument::fromJson(g_node->readLine()).object();
    if (answer.value(QStringLiteral("valid")).toBool() &&
        answer.value(QStringLiteral("checked")).toInt(-1) == batch.size())
        return {};
    const int index = answer.value(QStringLiteral("index")).toInt(-1);
    return QStringLiteral("bitcoinjs-lib rejects transaction %1 (%2): %3")
        .arg(index >= 0 && index < batch.size() ? batch[index].txid : QStringLiteral("?"),
             index >= 0 && index < batch.size() ? QString::fromLatin1(batch[index].raw.toHex()) : QString(),
             answer.value(QStringLiteral("reason")).toString(QStringLiteral("an unreadable answer")));
}

} // namespace uw::test
