#!/usr/bin/env bash
# Screenshots of every screen in French and English, light and dark, and at 200 % in English,
# under Xvfb, into docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
cmake --build "$BUILD" -j"${JOBS:-2}" --target screenshots userwallet userwallet-relay userwallet-cli
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
for lang in fr en; do
    rm -rf "docs/screenshots/$lang" "docs/screenshots/dark-$lang"
    LANG="${lang}_FR.UTF-8" xvfb-run -a -s "-screen 0 1280x900x24 -dpi 96" "$BUILD/tests/screenshots" "docs/screenshots/$lang" "$lang"
    # The same in the desktop's dark mode.
    LANG="${lang}_FR.UTF-8" xvfb-run -a -s "-screen 0 1280x900x24 -dpi 96" "$BUILD/tests/screenshots" "docs/screenshots/dark-$lang" "$lang" dark
done
# At 200 % (a HiDPI screen), in English.
rm -rf docs/screenshots/scale200-en
QT_SCALE_FACTOR=2 LANG=en_GB.UTF-8 xvfb-run -a -s "-screen 0 2560x1800x24 -dpi 96" "$BUILD/tests/screenshots" docs/screenshots/scale200-en en
