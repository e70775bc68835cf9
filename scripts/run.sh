#!/usr/bin/env bash
# Installs what is missing, builds, and starts UserWallet on its embedded default: a local
# relay, a demo service, and two wallet windows (device1, device2). Without a display it
# plays the same from the command line (scripts/demo.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"${JOBS:-2}"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec bash scripts/gui-demo.sh build
fi
echo "run: no display; playing the demo from the command line (set DISPLAY for the windows)"
exec bash scripts/demo.sh build
