#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite twice: a normal
# build, then one under AddressSanitizer + UndefinedBehaviorSanitizer. Ends with
# ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# bitcoinjs-lib, the independent judge of our signed transactions (tests only).
if [ ! -d tests/tools/txcheck/node_modules/bitcoinjs-lib ]; then
    (cd tests/tools/txcheck && npm ci --no-audit --no-fund --loglevel=error)
fi
JOBS="${JOBS:-2}"
export QT_QPA_PLATFORM=offscreen

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$JOBS"
ctest --test-dir build -j"$JOBS" --output-on-failure

# Sanitized run. LeakSanitizer stays on; Qt's own one-time allocations are listed in the suppressions.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DUW_SANITIZE=ON -DUW_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$JOBS"
ctest --test-dir build-asan -j"$JOBS" --output-on-failure
