#!/usr/bin/env bash
# Builds the Debian packages of UserWallet and checks them.
#
#   bash scripts/package.sh [--allow-dirty] [--check]
#
# 1. refuses a tree with uncommitted changes (tracked or untracked files), unless --allow-dirty,
#    which marks the version "+dirty";
# 2. configures a Release build in build-pkg (prefix /usr, no tests, no benchmarks, Debian's
#    hardening flags from dpkg-buildflags), version = project(VERSION) + "+gitYYYYMMDD.HASH" (the
#    commit's date and hash), and builds it with -j2 (JOBS=N to change);
# 3. runs cpack (DEB generator, packaging/CMakeLists.txt): build/packages/userwallet_*.deb and
#    build/packages/userwallet-relay_*.deb and build/packages/userwallet-anchord_*.deb;
# 4. checks them: desktop-file-validate, appstreamcli validate --no-net, systemd-analyze verify
#    (when present), lintian. Their findings are printed; an error fails the script, warnings do not.
#    Missing checkers are installed with apt-get when running as root;
# 5. with --check: installs the packages on a brand-new minimal bookworm system and tries them
#    (scripts/fresh-check.sh running packaging/check-installed.sh; needs root).
#
# DEBFULLNAME and DEBEMAIL, when set, name the packages' maintainer.
# Exit status: 0 when the packages are built and no checker reports an error.
set -euo pipefail
cd "$(dirname "$0")/.."

allow_dirty=0
check=0
for arg in "$@"; do
    case "$arg" in
        --allow-dirty) allow_dirty=1 ;;
        --check) check=1 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "package: unknown argument $arg (see --help)" >&2; exit 2 ;;
    esac
done
say() { echo "package: $*" >&2; }
start=$(date +%s)
build=build-pkg
out=build/packages

# --- 1. the version --------------------------------------------------------------------------------
command -v git >/dev/null || { say "needs git (the version names the commit)"; exit 2; }
dirty=$(git status --porcelain)
if [ -n "$dirty" ]; then
    if [ "$allow_dirty" = 0 ]; then
        say "the tree has uncommitted changes; commit them, or pass --allow-dirty:"
        echo "$dirty" | head -20 >&2
        n=$(echo "$dirty" | wc -l)
        [ "$n" -le 20 ] || echo "  ... and $((n - 20)) more" >&2
        exit 1
    fi
    say "uncommitted changes are included (--allow-dirty): the version is marked +dirty"
fi
commit=$(git rev-parse --short=7 HEAD)
commit_epoch=$(git log -1 --format=%ct HEAD)
suffix="+git$(date -u -d "@$commit_epoch" +%Y%m%d).$commit"
[ -n "$dirty" ] && suffix="$suffix+dirty"
# Reproducible dates (the changelogs, the files' times in the packages): the commit's.
export SOURCE_DATE_EPOCH=$commit_epoch

# --- tools -----------------------------------------------------------------------------------------
need_install=()
command -v dpkg-shlibdeps >/dev/null || need_install+=(dpkg-dev)
command -v rsvg-convert >/dev/null || need_install+=(librsvg2-bin)
command -v lintian >/dev/null || need_install+=(lintian)
command -v desktop-file-validate >/dev/null || need_install+=(desktop-file-utils)
command -v appstreamcli >/dev/null || need_install+=(appstream)
if [ ${#need_install[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        say "missing ${need_install[*]}: install them (apt-get install ${need_install[*]}) or run as root"
        exit 2
    fi
    say "installing ${need_install[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_install[@]}" >/dev/null
fi

# --- 2. configure and build ------------------------------------------------------------------------
# Debian's flags (stack protector, _FORTIFY_SOURCE, format checks, full RELRO, bind now); CMake's
# Release flags (-O3 -DNDEBUG) replace the optimisation and debug information it would add.
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all DEB_CXXFLAGS_MAINT_STRIP='-g -O2' dpkg-buildflags --export=sh)"
maintainer=()
if [ -n "${DEBEMAIL:-}" ]; then
    maintainer=("-DUW_PACKAGE_MAINTAINER=${DEBFULLNAME:-UserWallet developers} <$DEBEMAIL>")
fi
say "configuring $build (Release, version suffix $suffix)"
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DUW_BUILD_TESTS=OFF -DUW_BUILD_BENCH=OFF \
    -DCMAKE_INSTALL_PREFIX=/usr "-DUW_VERSION_SUFFIX=$suffix" \
    "-DCMAKE_CXX_FLAGS=$CPPFLAGS $CXXFLAGS" "-DCMAKE_EXE_LINKER_FLAGS=$LDFLAGS" "${maintainer[@]}" >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log" >&2; say "configure failed"; exit 1; }
say "building with -j${JOBS:-2}"
cmake --build "$build" -j "${JOBS:-2}"

# --- 3. cpack --------------------------------------------------------------------------------------
say "running cpack"
rm -rf "$build/_cpack"
(cd "$build" && cpack -G DEB -B "$PWD/_cpack") >"$build/cpack.log" 2>&1 ||
    { cat "$build/cpack.log" >&2; say "cpack failed"; exit 1; }
mkdir -p "$out"
rm -f "$out"/userwallet_*.deb "$out"/userwallet-relay_*.deb "$out"/userwallet-anchord_*.deb
cp "$build"/_cpack/*.deb "$out"/
debs=("$out"/userwallet_*.deb "$out"/userwallet-relay_*.deb "$out"/userwallet-anchord_*.deb)
for deb in "${debs[@]}"; do
    echo "== $deb: $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version), $(du -k "$deb" | cut -f1) KiB"
    echo "   Depends: $(dpkg-deb -f "$deb" Depends)"
done

# --- 4. checks -------------------------------------------------------------------------------------
errors=0
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$tree"; done

echo "== desktop-file-validate"
if ! desktop-file-validate "$tree/usr/share/applications/userwallet.desktop"; then errors=$((errors + 1)); fi
echo "== appstreamcli validate --no-net"
if ! appstreamcli validate --no-net "$tree"/usr/share/metainfo/*.xml; then errors=$((errors + 1)); fi
if command -v systemd-analyze >/dev/null; then
    # The units as installed, but their ExecStart pointing into the unpacked package (verify wants
    # the executable), and man: links looked up in the package's man pages.
    echo "== systemd-analyze verify, security"
    mkdir "$tree/.unit"
    for service in userwallet-relay userwallet-anchord; do
        sed "s|/usr/bin/$service|$tree/usr/bin/$service|" \
            "$tree/lib/systemd/system/$service.service" >"$tree/.unit/$service.service"
        if ! MANPATH="$tree/usr/share/man" systemd-analyze verify "$tree/.unit/$service.service"; then
            errors=$((errors + 1))
        fi
        systemd-analyze security --offline=true "$tree/.unit/$service.service" | grep -E '^(✗|→)' || true
    done
fi
echo "== lintian"
# --fail-on error: warnings and information are printed, not fatal.
if ! lintian --fail-on error --display-info "${debs[@]}"; then errors=$((errors + 1)); fi

elapsed=$(($(date +%s) - start))
if [ "$errors" -gt 0 ]; then
    say "$errors checker(s) reported errors (above); packages in $out (${elapsed}s)"
    exit 1
fi
say "packages in $out, checked (${elapsed}s)"

# --- 5. on a fresh system --------------------------------------------------------------------------
if [ "$check" = 1 ]; then
    fresh_args=()
    # The check script as it is in the working tree when uncommitted changes were allowed.
    [ -n "$dirty" ] && fresh_args+=(--worktree)
    say "installing them on a fresh bookworm system (scripts/fresh-check.sh)"
    FRESH_COPY="$out" bash scripts/fresh-check.sh "${fresh_args[@]}" "bash packaging/check-installed.sh /extra"
fi
