#!/usr/bin/env bash
# The embedded default, played from the command line: a local relay, two device profiles of
# one member paired over it, a demo service, and a complete two-device login.
set -euo pipefail
BUILD="${1:-build}"
CLI="$PWD/$BUILD/app/cli/userwallet-cli"
RELAY="$PWD/$BUILD/app/relay/userwallet-relay"
NODE="$PWD/$BUILD/tests/bitcoind-double"
DEMO="$(mktemp -d -t userwallet-demo.XXXXXX)"
export USERWALLET_PASSPHRASE="demo passphrase"   # demo only: real use prompts for it
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
json_field() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['$1'])"; }
# Waits until FILE has a line containing TEXT (the processes report as they go).
wait_line() { for _ in $(seq 1 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "timed out waiting for $2" >&2; return 1; }

step "A local relay (NIP-01, SQLite)"
"$RELAY" --listen 127.0.0.1:0 --db "$DEMO/relay.sqlite" > "$DEMO/relay.out" 2> "$DEMO/relay.log" & PIDS+=($!)
wait_line "$DEMO/relay.out" listening
export RELAY_URLS="$(json_field listening < "$DEMO/relay.out")"
echo "relay: $RELAY_URLS"

step "A demo service that verifies the proofs it receives"
python3 scripts/demo_service.py --cli "$CLI" --data-dir "$DEMO/service" --member-file "$DEMO/device1/member.json" \
    > "$DEMO/service.out" & PIDS+=($!)
wait_line "$DEMO/service.out" listening
CALLBACK="$(json_field listening < "$DEMO/service.out")"
REQUEST="$(json_field request < "$DEMO/service.out")"
echo "service: $CALLBACK (its login request: $REQUEST)"

step "Device 1: member \"alice\", two devices required to log in"
"$CLI" --data-dir "$DEMO/device1" init --member alice --name "Alice Martin" --cardinality 2

step "Pairing: device 1 offers, device 2 joins, both show the same fingerprint"
"$CLI" --data-dir "$DEMO/device1" pair-offer --yes > "$DEMO/offer.out" 2>/dev/null & OFFER=$!
wait_line "$DEMO/offer.out" '"link"'
LINK="$(json_field link < "$DEMO/offer.out")"
echo "device 1 shows: $LINK"
"$CLI" --data-dir "$DEMO/device2" pair-join "$LINK" 2>/dev/null
wait "$OFFER"
cat "$DEMO/offer.out"

step "Device 1 logs in with the demo service's login request; device 2 co-signs"
"$CLI" --data-dir "$DEMO/device1" login --request "$REQUEST" --accept-remote --timeout 60 \
    > "$DEMO/login.out" 2> "$DEMO/login.err" & LOGIN=$!
wait_line "$DEMO/login.out" '"link"'
SIGN_LINK="$(grep '"link"' "$DEMO/login.out" | json_field link)"
NUMBER="$(grep '"event":"number"' "$DEMO/login.out" | json_field number)"
echo "device 1 shows: $SIGN_LINK and the number $NUMBER (typed on device 2)"
"$CLI" --data-dir "$DEMO/device2" sign "$SIGN_LINK" --number "$NUMBER"
wait "$LOGIN" && status=0 || status=$?
echo "--- device 1:"; cat "$DEMO/login.out"
echo "--- the service:"; cat "$DEMO/service.out" | tail -n +2

step "Anchoring a document hash on a SIMULATED signet node (the project's Bitcoin Core test double)"
"$NODE" --cookie-file "$DEMO/node.cookie" --fee-rate 0.00002 > "$DEMO/node.out" & PIDS+=($!)
wait_line "$DEMO/node.out" rpc
export BITCOIN_RPC_URL="$(json_field rpc < "$DEMO/node.out")" BITCOIN_RPC_COOKIE="$DEMO/node.cookie"
rpc() { python3 -c "
import base64,json,sys,urllib.request
req=urllib.request.Request('$BITCOIN_RPC_URL',data=json.dumps({'id':1,'method':sys.argv[1],'params':json.loads(sys.argv[2])}).encode())
req.add_header('Authorization','Basic '+base64.b64encode(open('$BITCOIN_RPC_COOKIE','rb').read()).decode())
print(json.loads(urllib.request.urlopen(req).read())['result'])" "$1" "$2"; }
ADDRESS="$("$CLI" --data-dir "$DEMO/device1" address | json_field address)"
echo "anchoring wallet: $ADDRESS"
rpc generatetoaddress "[2, \"$ADDRESS\"]" > /dev/null
rpc generatetoaddress '[100, "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"]' > /dev/null
"$CLI" --data-dir "$DEMO/device1" utxo sync
"$CLI" --data-dir "$DEMO/device1" anchor --file README.md --poll-ms 200
rpc generatetoaddress '[1, "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"]' > /dev/null
"$CLI" --data-dir "$DEMO/device1" anchor --file README.md --wait 1 --poll-ms 200 2>/dev/null | tail -n 2
"$CLI" --data-dir "$DEMO/device1" utxo stats

printf '\nProfiles and logs are in %s\n' "$DEMO"
exit $status
