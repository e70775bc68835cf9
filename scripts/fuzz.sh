#!/usr/bin/env bash
# Fuzzes every parser of untrusted bytes (fuzz/): builds the libFuzzer harnesses with clang,
# ASan and UBSan in build-fuzz, then runs each for SECONDS (default 60) over a copy of its corpus.
# What a run finds stays in build-fuzz/fuzz-run/, never in the repository. Stops at the first
# crash, naming the harness and the input that crashed it, and exits non-zero.
#   bash scripts/fuzz.sh [SECONDS] [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH="${1:-60}"
shift || true
JOBS="${JOBS:-2}"

if ! command -v clang++ >/dev/null 2>&1 || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    echo "fuzz: clang and its libFuzzer runtime are needed:" >&2
    echo "    sudo apt-get install --no-install-recommends clang libclang-rt-14-dev" >&2
    exit 1
fi

CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DUW_FUZZ=ON \
    -DUW_BUILD_TESTS=OFF -DUW_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$JOBS" --target fuzz

if [ $# -gt 0 ]; then
    HARNESSES=("$@")
else
    mapfile -t HARNESSES < <(cd fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

RUN="$PWD/build-fuzz/fuzz-run"
for h in "${HARNESSES[@]}"; do
    work="$RUN/$h"
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/crashes"
    cp -r "fuzz/corpus/$h/." "$work/corpus/"
    echo "fuzz: $h for ${SECONDS_EACH}s"
    if ! "build-fuzz/fuzz/$h" -max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$work/crashes/" "$work/corpus" >"$work/log" 2>&1; then
        tail -n 60 "$work/log"
        echo
        echo "fuzz: $h CRASHED; input: $(ls -d "$work"/crashes/* 2>/dev/null | head -n 1)"
        echo "fuzz: full log: $work/log; replay: build-fuzz/fuzz/$h <input>"
        exit 1
    fi
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$work/log" | tr '\n' ' ' | sed "s/^/fuzz: $h ok: /"
    echo "($(ls "$work/corpus" | wc -l) inputs in $work/corpus)"
done
echo "fuzz: ${#HARNESSES[@]} harnesses, no crash"
