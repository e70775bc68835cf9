#!/usr/bin/env bash
# Before/after pictures of the main screens: each screenshot as committed at REV (left) beside the
# one in the working tree (right), into docs/screenshots/before-after/. Run scripts/screenshots.sh
# first. Usage: bash scripts/side-by-side.sh REV [LANG] [SHOT...]
set -euo pipefail
cd "$(dirname "$0")/.."
REV="${1:?usage: side-by-side.sh REV [LANG] [SHOT...]}"
LANG_DIR="${2:-en}"
shift $(( $# >= 2 ? 2 : 1 ))
SHOTS=("$@")
[ ${#SHOTS[@]} -gt 0 ] || SHOTS=(01-welcome-create 03-login-form 04-login-collecting 10-devices-pairing 12-settings 14-dashboard 15-anchoring)
command -v montage >/dev/null || { echo "side-by-side: montage (imagemagick) is missing" >&2; exit 1; }
FONT=$(fc-match -f "%{file}" "DejaVu Sans" 2>/dev/null || true)
[ -n "$FONT" ] || { echo "side-by-side: no font found (fonts-dejavu-core)" >&2; exit 1; }
OUT=docs/screenshots/before-after
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for shot in "${SHOTS[@]}"; do
    path="docs/screenshots/$LANG_DIR/$shot.png"
    [ -f "$path" ] || { echo "side-by-side: $path does not exist" >&2; exit 1; }
    if ! git show "$REV:$path" > "$TMP/before.png" 2>/dev/null; then
        echo "side-by-side: $path is not in $REV, skipped" >&2
        continue
    fi
    montage -label "before ($(git rev-parse --short "$REV"))" "$TMP/before.png" -label "after" "$path" \
        -tile 2x1 -geometry +8+8 -pointsize 18 -font "$FONT" "$OUT/$LANG_DIR-$shot.png"
    echo "$OUT/$LANG_DIR-$shot.png"
done
