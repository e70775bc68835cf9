#!/usr/bin/env bash
# Tries the project on a brand-new, minimal Debian bookworm system, as a newcomer's machine would
# be: it catches a package that scripts/setup.sh forgets but that happens to be installed on the
# machine you work on.
#
#   sudo bash scripts/fresh-check.sh [--worktree] [COMMAND]
#
# 1. a minimal bookworm root file system made by mmdebstrap (variant minbase), cached as a tarball
#    in $FRESH_CACHE (default /var/cache/userwallet/fresh-check) so that later runs skip it;
# 2. the committed tree (git archive HEAD) copied to /project inside it; with --worktree, the
#    uncommitted changes to tracked files are included too (git stash create);
# 3. inside, from /project: COMMAND, by default
#       bash scripts/setup.sh && cmake -S . -B build-fresh -G Ninja
#    e.g. "bash scripts/test.sh" for the whole suite (a full build on 2 cores: slow).
#
# FRESH_COPY=DIR copies DIR (e.g. build/packages) to /extra inside the fresh system.
# FRESH_KEEP=1 keeps the root file system afterwards and prints where it is.
# Exit status: COMMAND's; 2 when a prerequisite is missing (root, network to the Debian archive).
# The whole script is one block, parsed before it runs: editing this file while a check runs
# (it takes minutes) cannot change what the running check does.
{
set -euo pipefail
cd "$(dirname "$0")/.."

worktree=0
if [ "${1:-}" = "--worktree" ]; then worktree=1; shift; fi
cmd=${1:-"bash scripts/setup.sh && cmake -S . -B build-fresh -G Ninja"}
cache=${FRESH_CACHE:-/var/cache/userwallet/fresh-check}
say() { echo "fresh-check: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    say "needs root (mmdebstrap, chroot and mounts); run it with sudo"
    exit 2
fi
command -v git >/dev/null || { say "needs git to export the committed tree"; exit 2; }

# The fresh system installs everything from the Debian archive: check that it answers before
# spending minutes (apt-get update exits 0 even when every fetch failed, so read what it says).
lists=$(mktemp -d "${TMPDIR:-/tmp}/uw-fresh-lists.XXXXXX")
chmod 755 "$lists"
mkdir -p "$lists/partial"
probe=$(timeout 120 apt-get -q update -o Dir::State::Lists="$lists" 2>&1) || probe+=$'\nE: apt-get update failed'
rm -rf "$lists"
if grep -qE '^(W: Failed to fetch|E: )' <<<"$probe"; then
    say "cannot reach the Debian archive (apt-get update failed):"
    grep -E '^(W: Failed to fetch|E: )' <<<"$probe" | head -3 >&2
    exit 2
fi
if ! command -v mmdebstrap >/dev/null; then
    say "installing mmdebstrap"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null; }; then
        say "cannot install mmdebstrap: is the Debian archive reachable (apt-get update)?"
        exit 2
    fi
fi

mkdir -p "$cache"
if [ ! -s "$cache/bookworm.tar" ]; then
    say "creating the base system (once; cached in $cache)"
    if ! mmdebstrap --quiet --format=tar --variant=minbase --include=ca-certificates \
            bookworm "$cache/bookworm.tar.part"; then
        rm -f "$cache/bookworm.tar.part"
        say "mmdebstrap failed: no network to the Debian archive, or no space in $cache"
        exit 2
    fi
    mv "$cache/bookworm.tar.part" "$cache/bookworm.tar"
fi

rev=HEAD
if [ "$worktree" = 1 ]; then
    rev=$(git stash create)
    rev=${rev:-HEAD}
elif [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    say "note: uncommitted changes are not copied (commit them, or pass --worktree)"
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/uw-fresh.XXXXXX")
cleanup() {
    for m in dev/shm dev/pts dev proc sys; do
        if mountpoint -q "$root/$m"; then umount -l "$root/$m"; fi
    done
    if [ "${FRESH_KEEP:-0}" = 1 ]; then
        say "root file system kept in $root"
    else
        rm -rf --one-file-system "$root"
    fi
}
trap cleanup EXIT

tar -C "$root" -xf "$cache/bookworm.tar"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# A newcomer's machine has its site's trust settings (extra CA certificates, npm configuration):
# carry them over, or package clients would fail on TLS inside only.
for f in /usr/local/share/ca-certificates /etc/ssl/certs/ca-certificates.crt /etc/npmrc "$HOME/.npmrc" \
         "${NODE_EXTRA_CA_CERTS:-}" "${SSL_CERT_FILE:-}"; do
    [ -n "$f" ] && [ -e "$f" ] || continue
    mkdir -p "$root$(dirname "$f")"
    cp -a "$f" "$root$(dirname "$f")/"
done
pass_env=()
for v in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR JOBS; do
    [ -n "${!v:-}" ] && pass_env+=("$v=${!v}")
done

mkdir -p "$root/project"
git archive "$rev" | tar -C "$root/project" -xf -
if [ -n "${FRESH_COPY:-}" ]; then cp -a "$FRESH_COPY" "$root/extra"; fi

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs tmpfs "$root/dev/shm"
mount --bind /sys "$root/sys"

say "running: $cmd"
start=$(date +%s)
status=0
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 CI=true \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${pass_env[@]}" \
    bash -c "cd /project && $cmd" </dev/null || status=$?
elapsed=$(($(date +%s) - start))
if [ "$status" -eq 0 ]; then
    say "passed in ${elapsed}s"
else
    say "FAILED (exit $status) after ${elapsed}s"
fi
exit "$status"
}
