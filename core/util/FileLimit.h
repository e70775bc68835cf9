#pragma once

#include <sys/resource.h>

namespace uw {

/// Daemons hold one descriptor per connection: raise the soft limit on open files to the hard
/// limit the system allows, rather than the default 1024.
inline void raiseOpenFileLimit()
{
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
}

} // namespace uw
