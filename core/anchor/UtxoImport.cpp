#include "anchor/UtxoImport.h"

#include "crypto/Bytes.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace uw::utxoImport {

namespace {

constexpr qint64 kMaxMoney = 21'000'000LL * 100'000'000LL;

Error badLine(int lineNumber, const QString& why)
{
    return makeError(QStringLiteral("bad_import"),
                     QStringLiteral("line %1: %2; expected {\"txid\",\"vout\",\"value\",\"script\",\"height\"}; "
                                    "nothing was imported.")
                         .arg(lineNumber)
                         .arg(why));
}

} // namespace

Result<Utxo> parseLine(const QByteArray& line, int lineNumber, const QByteArray& walletScript,
                       const QString& walletAddress)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return badLine(lineNumber, QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    Utxo u;
    u.txid = o.value(QStringLiteral("txid")).toString();
    if (!isLowerHex(u.txid, 64))
        return badLine(lineNumber, QStringLiteral("\"txid\" must be 64 lowercase hex digits"));
    // toInt() and toInteger() give the fallback for anything but a whole number in range.
    const int vout = o.value(QStringLiteral("vout")).toInt(-1);
    if (vout < 0)
        return badLine(lineNumber, QStringLiteral("\"vout\" must be a whole number ≥ 0"));
    u.vout = std::uint32_t(vout);
    u.value = o.value(QStringLiteral("value")).toInteger(-1);
    if (u.value <= 0)
        return badLine(lineNumber, QStringLiteral("\"value\" must be a whole number of satoshis > 0"));
    if (u.value > kMaxMoney)
        return badLine(lineNumber, QStringLiteral("\"value\" is above 21,000,000 BTC (%1 sat)").arg(kMaxMoney));
    if (const QJsonValue height = o.value(QStringLiteral("height")); !height.isUndefined() && !height.isNull()) {
        const int h = height.toInt(-1);
        if (h < 0)
            return badLine(lineNumber, QStringLiteral("\"height\" must be a whole number ≥ 0, or null"));
        u.height = h;
    }
    // QByteArray::fromHex() skips what is not hex: checked first, so "0014…zz" is not taken.
    const QString scriptHex = o.value(QStringLiteral("script")).toString();
    if (scriptHex.isEmpty() || scriptHex.size() % 2 != 0 || !fromHexAnyCase(scriptHex))
        return badLine(lineNumber, QStringLiteral("\"script\" must be hex digits"));
    u.script = *fromHexAnyCase(scriptHex);
    if (u.script != walletScript)
        return makeError(QStringLiteral("bad_import"),
                         QStringLiteral("line %1: the script is not this wallet's (%2); nothing was imported.")
                             .arg(lineNumber)
                             .arg(walletAddress));
    return u;
}

Result<QList<Utxo>> parse(QIODevice& in, const QByteArray& walletScript, const QString& walletAddress)
{
    QList<Utxo> out;
    QSet<QString> seen;
    int lineNumber = 0;
    while (!in.atEnd()) {
        ++lineNumber;
        const QByteArray line = in.readLine().trimmed();
        if (line.isEmpty())
            continue;
        auto utxo = parseLine(line, lineNumber, walletScript, walletAddress);
        if (!utxo)
            return utxo.error();
        const QString outpoint = utxo->txid + QLatin1Char(':') + QString::number(utxo->vout);
        if (seen.contains(outpoint))
            return badLine(lineNumber, QStringLiteral("%1 is listed twice").arg(outpoint));
        seen.insert(outpoint);
        out.append(*utxo);
    }
    return out;
}

} // namespace uw::utxoImport
