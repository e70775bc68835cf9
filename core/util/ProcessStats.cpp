#include "util/ProcessStats.h"

#include <QFile>

namespace uw::processStats {

namespace {

QByteArray statusField(const char* name)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray prefix = QByteArray(name) + ':';
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').first();
    return {};
}

} // namespace

long rssKb()
{
    bool ok = false;
    const long v = statusField("VmRSS").toLong(&ok);
    return ok ? v : -1;
}

int threads()
{
    bool ok = false;
    const int v = statusField("Threads").toInt(&ok);
    return ok ? v : -1;
}

} // namespace uw::processStats
