#!/usr/bin/env bash
# scripts/fresh-check.sh refuses clearly, and at once, what it cannot do: run without root, or run
# without network to the Debian archive. Usage: fresh_check_refusals.sh SOURCE_DIR
set -uo pipefail
script="$1/scripts/fresh-check.sh"
failures=0
expect() { # NAME WANT_TEXT COMMAND...
    local name=$1 want=$2; shift 2
    local out rc
    out=$("$@" 2>&1 </dev/null); rc=$?
    if [ "$rc" -eq 2 ] && grep -q "$want" <<<"$out"; then
        echo "PASS: $name (exit 2: $(grep -m1 "$want" <<<"$out"))"
    else
        echo "FAIL: $name: exit $rc, output: $out"
        failures=$((failures + 1))
    fi
}

if [ "$(id -u)" -ne 0 ]; then
    expect "not root" "needs root" bash "$script"
else
    if command -v setpriv >/dev/null; then
        expect "not root" "needs root" setpriv --reuid=65534 --regid=65534 --clear-groups bash "$script"
    fi
    # A network namespace of our own has no route anywhere: the archive cannot answer.
    if unshare -n true 2>/dev/null; then
        cache=$(mktemp -d)
        expect "no network" "cannot reach the Debian archive" env FRESH_CACHE="$cache" unshare -n bash "$script"
        rm -rf "$cache"
    else
        echo "SKIP: no network: cannot create a network namespace here"
    fi
fi
echo "$failures failed"
[ "$failures" -eq 0 ]
