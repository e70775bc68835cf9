#!/usr/bin/env bash
# The core and relay tests, and the models destroyed while their work is in flight
# (test_model_lifetime), under ThreadSanitizer: a build of their own in build-tsan (-DUW_TSAN=ON).
# Not part of scripts/test.sh, which CI runs: a cold TSan build and run would take CI past its 40
# minutes (CONTRIBUTING.md). Ends with ctest's summary line; any race report fails the test it came from.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
if [ ! -d tests/tools/txcheck/node_modules/bitcoinjs-lib ]; then
    (cd tests/tools/txcheck && npm ci --no-audit --no-fund --loglevel=error)
fi
JOBS="${JOBS:-2}"
export QT_QPA_PLATFORM=offscreen
LABELS='^(core|threads)$'

cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DUW_TSAN=ON -DUW_BUILD_BENCH=OFF >/dev/null
# Only what these tests run: their executables and the programs they start.
mapfile -t TESTS < <(ctest --test-dir build-tsan -L "$LABELS" -N | sed -n 's/^ *Test *#[0-9]*: //p')
cmake --build build-tsan -j"$JOBS" --target "${TESTS[@]}" userwallet-relay userwallet-cli bitcoind-double

# Qt is not built with ThreadSanitizer: what happens inside it (its mutexes, its atomics) is
# ignored rather than misread; the few reports left that are Qt's own are listed, each with its
# reason, in scripts/tsan.supp. The programs the tests start (relay, CLI) run under it too.
# die_after_fork=0: QProcess forks a multi-threaded test to start the relay or the CLI, which execs at once.
export TSAN_OPTIONS="ignore_noninstrumented_modules=1 halt_on_error=1 die_after_fork=0 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan.supp"
ctest --test-dir build-tsan -j"$JOBS" -L "$LABELS" --output-on-failure
