#!/usr/bin/env bash
# GUI figures (issue #5): time from launch to the first window shown, memory of an idle window,
# CPU while idle. Runs the real application under Xvfb.
#   bash bench/gui_idle.sh [build]
set -euo pipefail
BUILD="${1:-build}"
DIR="$(mktemp -d)"
export XDG_RUNTIME_DIR="$DIR/rt"; mkdir -m 700 "$XDG_RUNTIME_DIR"
USERWALLET_PASSPHRASE=bench-idle-passphrase "$BUILD/app/cli/userwallet-cli" --data-dir "$DIR/p" init --member bench >/dev/null 2>&1
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  python3 - "$0" "$1" <<PY
import subprocess, sys, time, json
runs = []
for i in range(5):
    t0 = time.monotonic()
    p = subprocess.Popen([sys.argv[1] + "/app/gui/userwallet", "--data-dir", sys.argv[2] + "/p", "--report-startup"], stdout=subprocess.PIPE)
    inside = json.loads(p.stdout.readline())["first_window_ms"]
    runs.append((round((time.monotonic() - t0) * 1000), inside))
    p.terminate(); p.wait()
print("launch to first window shown, wall clock from exec (ms, 5 runs):", " ".join(str(r[0]) for r in runs))
print("  of which inside main() (ms):", " ".join(str(r[1]) for r in runs))
PY
  "$0/app/gui/userwallet" --data-dir "$1/p" & pid=$!
  sleep 5
  rss=$(awk "/VmRSS/ {print \$2}" /proc/$pid/status)
  t0=$(awk "{print \$14+\$15}" /proc/$pid/stat); sleep 10; t1=$(awk "{print \$14+\$15}" /proc/$pid/stat)
  hz=$(getconf CLK_TCK)
  echo "idle window: RSS ${rss} kB; CPU over 10 s idle: $(( (t1 - t0) * 1000 / hz )) ms"
  kill $pid
' "$BUILD" "$DIR"
