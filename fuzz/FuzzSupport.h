#pragma once
// Shared by the libFuzzer harnesses: a quiet Qt, an invariant check that stops the fuzzer, and
// the ways the harnesses turn raw bytes into the shapes the parsers take.

#include "json/CanonicalJson.h"
#include <QByteArray>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace uw::fuzz {

/// A QCoreApplication (Qt SQL loads its driver through it) and no log output: a harness runs
/// millions of inputs and the parsers' qCInfo lines would cost more than the parsing.
inline void init()
{
    static int argc = 1;
    static char name[] = "uwfuzz";
    static char* argv[] = {name, nullptr};
    static QCoreApplication* app = nullptr;
    if (!app)
        app = new QCoreApplication(argc, argv); // lives until exit, on purpose
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
        if (type == QtFatalMsg) // Qt aborts right after: say why
            std::fprintf(stderr, "qFatal: %s\n", message.toUtf8().constData());
    });
}

/// An invariant of the code under test that does not hold: print it and stop like a crash, so
/// that libFuzzer keeps the input.
[[noreturn]] inline void fail(const char* harness, const char* what, const QString& detail = {})
{
    std::fprintf(stderr, "\n== %s: invariant broken: %s\n%s\n", harness, what, detail.toUtf8().constData());
    std::fflush(stderr);
    std::abort();
}

inline QByteArray bytes(const std::uint8_t* data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char*>(data), qsizetype(size));
}

inline QString text(const std::uint8_t* data, std::size_t size)
{
    return QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
}

/// The JSON objects an input holds for a parser that takes a QJsonObject: the input itself when it
/// is an object, each object element when it is an array (so one input can mix several shapes).
inline QList<QJsonObject> objects(const QByteArray& input)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(input, &err);
    QList<QJsonObject> out;
    if (err.error != QJsonParseError::NoError)
        return out;
    if (doc.isObject()) {
        out.append(doc.object());
    } else if (doc.isArray()) {
        for (const QJsonValue& v : doc.array()) {
            if (v.isObject())
                out.append(v.toObject());
            if (out.size() >= 16)
                break;
        }
    }
    return out;
}

/// The same through the strict parser the protocol's documents go through (json::parse).
inline QList<QJsonObject> strictObjects(const QByteArray& input, qsizetype maxBytes)
{
    QList<QJsonObject> out;
    auto parsed = json::parse(input, maxBytes);
    if (!parsed)
        return out;
    if (parsed->isObject()) {
        out.append(parsed->toObject());
    } else {
        for (const QJsonValue& v : parsed->toArray()) {
            if (v.isObject())
                out.append(v.toObject());
            if (out.size() >= 16)
                break;
        }
    }
    return out;
}

inline QString compact(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace uw::fuzz
