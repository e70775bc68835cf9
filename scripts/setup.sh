#!/usr/bin/env bash
# Installs the Debian (bookworm) packages UserWallet needs to build, test and run.
# Idempotent: installs only what is missing. Runs as root, or through sudo; never prompts.
set -euo pipefail

PACKAGES=(
    build-essential cmake ninja-build pkg-config git python3 ccache
    qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools qt6-translations-l10n libqt6sql6-sqlite qt6-qpa-plugins libgl-dev
    libsecp256k1-dev libsodium-dev nettle-dev libqrencode-dev libzxing-dev libzmq3-dev nlohmann-json3-dev libsqlite3-dev
    clang libclang-rt-14-dev  # libFuzzer harnesses (fuzz/), built with clang under ASan/UBSan
    python3-opentimestamps  # the upstream OpenTimestamps library: tests read the wallet's .ots proofs with it
    xvfb xauth imagemagick fonts-dejavu-core librsvg2-bin
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

# Node.js runs bitcoinjs-lib, the tests' independent transaction checker. A machine may already
# have node and npm from elsewhere (its own packages would then conflict): only install if absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#PACKAGES[@]} packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root (missing: ${missing[*]})" >&2; exit 1; }
    SUDO="sudo -n"
fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
