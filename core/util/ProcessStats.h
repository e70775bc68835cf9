#pragma once

namespace uw::processStats {

/// This process's resident memory in kB (/proc/self/status VmRSS), -1 if unknown.
long rssKb();
/// Threads of this process (/proc/self/status Threads), -1 if unknown.
int threads();

} // namespace uw::processStats
