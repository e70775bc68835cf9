#!/usr/bin/env bash
# The embedded default, played with the CLI: two device profiles and a verified proof.
set -euo pipefail
BUILD="${1:-build}"
CLI="$BUILD/app/cli/userwallet-cli"
DEMO="$(mktemp -d -t userwallet-demo.XXXXXX)"
export USERWALLET_PASSPHRASE="demo passphrase"   # demo only: real use prompts for it

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Device 1: create the member \"alice\" (2 devices required to log in)"
"$CLI" --data-dir "$DEMO/device1" init --member alice --name "Alice Martin" --cardinality 2
step "Device 2: create its own key"
"$CLI" --data-dir "$DEMO/device2" init --member alice --name "Alice Martin" --cardinality 2
step "Device 1: the member document"
"$CLI" --data-dir "$DEMO/device1" member show

step "A service checks a proof made by an independent implementation (Python, BIP340 + RFC 8785)"
python3 tests/tools/independent_proof.py make > "$DEMO/proof.json"
"$CLI" --data-dir "$DEMO/service" verify-proof "$DEMO/proof.json" --mark
step "The same proof replayed: refused"
"$CLI" --data-dir "$DEMO/service" verify-proof "$DEMO/proof.json" --mark || true

step "The login state machine (docs/login-state-machine.dot)"
"$CLI" state-diagram | grep -c -- '->' | xargs printf '%s transitions\n'
printf '\nProfiles are in %s\n' "$DEMO"
