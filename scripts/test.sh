#!/usr/bin/env bash
# Installs what is missing, runs the fuzz harnesses briefly (clang, fuzz/), builds, and
# runs the whole test suite twice: a normal build, then the mutation gate (scripts/mutate.sh),
# then the suite under AddressSanitizer + UndefinedBehaviorSanitizer. Ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
# bitcoinjs-lib, the independent judge of our signed transactions (tests only).
if [ ! -d tests/tools/txcheck/node_modules/bitcoinjs-lib ]; then
    (cd tests/tools/txcheck && npm ci --no-audit --no-fund --loglevel=error)
fi
JOBS="${JOBS:-2}"
export QT_QPA_PLATFORM=offscreen

# Fuzzing (CONTRIBUTING.md, "Fuzzing"): the core and the harnesses built with clang under ASan +
# UBSan; each harness replays its corpus, then fuzzes for UW_FUZZ_SECONDS (10 s). A crash fails here.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DUW_FUZZ=ON \
    -DUW_BUILD_TESTS=OFF -DUW_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$JOBS" --target fuzz
ctest --test-dir build-fuzz -j"$JOBS" --output-on-failure

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$JOBS"
ctest --test-dir build -j"$JOBS" --output-on-failure

# The mutation gate (CONTRIBUTING.md): each deliberate bug of scripts/mutations.txt must fail a test.
bash scripts/mutate.sh

# Sanitized run. LeakSanitizer stays on; Qt's own one-time allocations are listed in the suppressions.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DUW_SANITIZE=ON -DUW_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$JOBS"
# The reruns under older Bitcoin Core policies (label "policy") ran in the normal pass: the same code
# under another policy of the double adds nothing for the sanitizers, and CI has 40 minutes.
ctest --test-dir build-asan -j"$JOBS" --output-on-failure -LE policy
