#pragma once
// tests/tools/ots_check.py: the upstream OpenTimestamps library (Debian's python3-opentimestamps,
// installed by scripts/setup.sh) reading what the wallet writes.

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>

namespace uw::test {

/// Debian installs python3-opentimestamps for its own interpreter: that one first, so that
/// another python3 earlier on PATH (a pyenv, a virtualenv) does not hide the library.
inline QString systemPython()
{
    const QString debian = QStringLiteral("/usr/bin/python3");
    if (QFileInfo(debian).isExecutable())
        return debian;
    return QStandardPaths::findExecutable(QStringLiteral("python3"));
}

struct OtsCheckRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs ots_check.py with `args` (and `input` on its standard input) to completion.
inline OtsCheckRun runOtsCheck(const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(systemPython(), QStringList{QStringLiteral(UW_SOURCE_DIR "/tests/tools/ots_check.py")} + args);
    if (!p.waitForStarted(30000))
        return {};
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return OtsCheckRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                       p.readAllStandardError()};
}

} // namespace uw::test
