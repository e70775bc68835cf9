#!/bin/bash
# `userwallet-cli anchor --digests-file` end to end against bitcoind-double over HTTP: a fresh
# profile, N+10 coinbase coins (`utxo sync`), then N digests anchored one per transaction, timed
# with the process start, the key's unlock and the first chain sync included.
#   bash bench/cli_anchor.sh BUILD_DIR [N]      (run from a directory on the working disk)
set -euo pipefail
B=$(cd "$1" && pwd)
N=${2:-1000}
D=$(mktemp -d -p .)
"$B/tests/bitcoind-double" --cookie-file "$D/cookie" > "$D/double.out" &
DPID=$!
trap 'kill $DPID; rm -rf "$D"' EXIT
for _ in $(seq 50); do [ -s "$D/double.out" ] && break; sleep 0.1; done
URL=$(head -1 "$D/double.out" | sed 's/.*"rpc":"\([^"]*\)".*/\1/')
export BITCOIN_RPC_URL=$URL BITCOIN_RPC_COOKIE=$D/cookie USERWALLET_PASSPHRASE=bench-passphrase
rpc() { curl -s -u "$(cat "$D/cookie")" -d "{\"method\":\"$1\",\"params\":$2}" "$URL" > /dev/null; }
CLI="$B/app/cli/userwallet-cli"
ADDR=$("$CLI" --data-dir "$D/w" address | tail -1 | sed 's/.*"address":"\([^"]*\)".*/\1/')
rpc generatetoaddress "[$((N + 10)), \"$ADDR\"]"
rpc generatetoaddress "[100, \"tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx\"]"
"$CLI" --data-dir "$D/w" utxo sync > /dev/null
for i in $(seq 1 "$N"); do echo -n "cli $i" | sha256sum | cut -d' ' -f1; done > "$D/digests"
echo "load before: $(cat /proc/loadavg)"
START=$(date +%s.%N)
"$CLI" --data-dir "$D/w" anchor --digests-file "$D/digests" > "$D/out.jsonl"
END=$(date +%s.%N)
echo "anchor --digests-file, $N digests: $(echo "$END - $START" | bc) s," \
    "$(echo "$N / ($END - $START)" | bc) per second; $(tail -1 "$D/out.jsonl"); load after: $(cat /proc/loadavg)"
