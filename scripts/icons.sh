#!/usr/bin/env bash
# Renders the navigation icons (resources/icons/nav/*.svg, drawn in black) to the PNGs the
# application embeds: 24 px and 48 px (1x and 2x screens), in an ink for light palettes and one for
# dark palettes. Run it after editing an SVG and commit the PNGs with it (the application does not
# need Qt's SVG module at run time). Needs rsvg-convert (librsvg2-bin, installed by scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/../resources/icons/nav"
command -v rsvg-convert >/dev/null || { echo "icons: rsvg-convert (librsvg2-bin) is missing" >&2; exit 1; }
LIGHT_INK='#37424f'
DARK_INK='#d5dce4'
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p png
for svg in *.svg; do
    name="${svg%.svg}"
    for variant in light dark; do
        ink=$LIGHT_INK
        [ "$variant" = dark ] && ink=$DARK_INK
        sed "s/#000000/$ink/g" "$svg" > "$TMP/$name.svg"
        for size in 24 48; do
            rsvg-convert -w "$size" -h "$size" -o "png/$name-$variant-$size.png" "$TMP/$name.svg"
        done
    done
done
ls png | wc -l | xargs echo "icons: PNG files in resources/icons/nav/png:"
