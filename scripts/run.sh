#!/usr/bin/env bash
# Installs what is missing, builds, and starts UserWallet on its embedded default.
# Until the desktop GUI lands, this plays the product from the command line: two
# device profiles are created in a scratch folder and a login proof is verified.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"${JOBS:-2}"
exec bash scripts/demo.sh build
