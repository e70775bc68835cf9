#!/usr/bin/env bash
# The embedded default with the desktop GUI: a local relay, a demo service that verifies the
# proofs it receives, and two wallet windows (profiles "device1" and "device2") of one member
# who needs both devices to log in.
set -euo pipefail
BUILD="${1:-build}"
CLI="$PWD/$BUILD/app/cli/userwallet-cli"
RELAY="$PWD/$BUILD/app/relay/userwallet-relay"
GUI="$PWD/$BUILD/app/gui/userwallet"
DEMO="$(mktemp -d -t userwallet-demo.XXXXXX)"
export USERWALLET_PASSPHRASE="demo passphrase"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
json_field() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['$1'])"; }
wait_line() { for _ in $(seq 1 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "timed out waiting for $2" >&2; return 1; }

"$RELAY" --listen 127.0.0.1:0 --db "$DEMO/relay.sqlite" > "$DEMO/relay.out" 2> "$DEMO/relay.log" & PIDS+=($!)
wait_line "$DEMO/relay.out" listening
export RELAY_URLS="$(json_field listening < "$DEMO/relay.out")"
python3 scripts/demo_service.py --cli "$CLI" --data-dir "$DEMO/service" --port 8765 \
    --member-file "$DEMO/device1/member.json" > "$DEMO/service.out" & PIDS+=($!)
wait_line "$DEMO/service.out" listening

# Each profile's settings: the local relay, and the demo service among the login screen's known
# services: its login request (the service says who signs), and the older service + callback form.
for d in device1 device2; do
    mkdir -p "$DEMO/$d"
    printf '[relays]\nurls=%s\n\n[known_services]\n1\\name=demo\n1\\request=%s\n2\\name=demo (service and callback)\n2\\service=demo\n2\\callback=%s\nsize=2\n' \
        "$RELAY_URLS" "http://127.0.0.1:8765/login-request" "http://127.0.0.1:8765/callback" > "$DEMO/$d/settings.ini"
done
"$CLI" --data-dir "$DEMO/device1" init --member alice --name "Alice Martin" --cardinality 2 > /dev/null 2>&1
"$CLI" --data-dir "$DEMO/device1" pair-offer --yes > "$DEMO/offer.out" 2>/dev/null & OFFER=$!
wait_line "$DEMO/offer.out" '"link"'
"$CLI" --data-dir "$DEMO/device2" pair-join "$(json_field link < "$DEMO/offer.out")" > /dev/null 2>&1
wait "$OFFER"
unset USERWALLET_PASSPHRASE

cat <<MSG

UserWallet demo — relay $RELAY_URLS, demo service http://127.0.0.1:8765/callback
Two windows open: device 1 and device 2 of member "alice" (both must sign).
  1. Unlock each window with the passphrase:  demo passphrase
  2. Device 1: "Log in", choose the "demo" service (its login request is fetched), "Log in".
  3. Copy the link it shows; device 2: "Sign for another device", paste, "Check", "Sign".
  4. Device 1: "Accept". The service below prints the proof it verified.
Close both windows to stop.

MSG
"$GUI" --data-dir "$DEMO/device1" & W1=$!
"$GUI" --data-dir "$DEMO/device2" -geometry 960x680+980+40 & W2=$!
tail -n +2 -f "$DEMO/service.out" & PIDS+=($!)
wait "$W1" "$W2" || true
