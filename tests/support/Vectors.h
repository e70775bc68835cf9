#pragma once

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace uw::test {

/// An official test vector file of tests/data/vectors (BIP143, BIP341, ...), as JSON. A missing
/// file stops the test run: a vector test without its vectors must not pass.
inline QJsonObject loadVectors(const char* name)
{
    QFile f(QStringLiteral(UW_TEST_DATA "/vectors/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing vector file %s", name);
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace uw::test
