#!/usr/bin/env bash
# Installs UserWallet's packages on the Debian system it runs on and checks that they work. Made
# for a brand-new minimal bookworm system, as root (scripts/package.sh --check runs it through
# scripts/fresh-check.sh):
#
#   bash packaging/check-installed.sh [DIR]      (DIR holds the .deb files; default /extra)
#
# 1. apt-get installs DIR/userwallet_*.deb and DIR/userwallet-relay_*.deb, with their dependencies;
# 2. userwallet-cli, userwallet (offscreen) and userwallet-relay answer --version with the
#    packages' version; the CLI and the application start;
# 3. the files are in place: desktop file, AppStream metadata, icons, man pages, the relay's
#    configuration (a conffile), its system user, its unit enabled;
# 4. the relay is started by hand from the installed unit and configuration, as systemd would
#    (its user, its state directory, EnvironmentFile, ExecStart), on a free loopback port; it
#    answers a WebSocket handshake and a NIP-01 REQ, then stops cleanly on SIGTERM;
# 5. with systemd installed: systemd-analyze verifies the unit and rates its hardening; the
#    package reinstalls (the user then made by systemd-sysusers);
# 6. desktop-file-utils registers the userwallet:// handler;
# 7. both packages are purged: the configuration, the unit's links and the database go.
set -euo pipefail

dir=${1:-/extra}
export DEBIAN_FRONTEND=noninteractive
step() { echo "check-installed: $*" >&2; }
fail() {
    echo "check-installed: FAILED: $*" >&2
    exit 1
}
quiet() { # runs a command, shows its output only when it fails
    local log
    log=$(mktemp)
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        fail "$*"
    fi
    rm -f "$log"
}

debs=("$dir"/userwallet_*.deb "$dir"/userwallet-relay_*.deb)
for deb in "${debs[@]}"; do [ -f "$deb" ] || fail "no package $deb"; done

# --- 1 ---
step "installing ${debs[*]}"
quiet apt-get update -qq
quiet apt-get install -y --no-install-recommends "${debs[@]}"
version=$(dpkg-query -W -f='${Version}' userwallet)
[ "$(dpkg-query -W -f='${Version}' userwallet-relay)" = "$version" ] || fail "the two packages' versions differ"
step "installed version $version"

# --- 2 ---
expect() { # expect WHAT EXPECTED ACTUAL
    [ "$3" = "$2" ] || fail "$1: expected \"$2\", got \"$3\""
    echo "  ok: $1: $3"
}
expect "userwallet-cli --version" "userwallet-cli $version" "$(userwallet-cli --version)"
expect "userwallet --version" "userwallet $version" "$(QT_QPA_PLATFORM=offscreen userwallet --version)"
expect "userwallet-relay --version" "userwallet-relay $version" "$(userwallet-relay --version)"
userwallet-cli --data-dir /tmp/uw-cli state-diagram | grep -q digraph || fail "userwallet-cli state-diagram"
echo "  ok: userwallet-cli runs a command"
# The application up to its first window (offscreen): Qt's plugins and the SQLite driver load.
QT_QPA_PLATFORM=offscreen userwallet --data-dir /tmp/uw-gui --report-startup >/tmp/uw-gui.out 2>/tmp/uw-gui.err &
gui=$!
for _ in $(seq 300); do
    grep -q first_window_ms /tmp/uw-gui.out && break
    kill -0 "$gui" 2>/dev/null || break
    sleep 0.1
done
kill "$gui" 2>/dev/null || true
wait "$gui" 2>/dev/null || true
grep -q first_window_ms /tmp/uw-gui.out || {
    cat /tmp/uw-gui.err >&2
    fail "userwallet did not show its window"
}
echo "  ok: userwallet shows its window: $(cat /tmp/uw-gui.out)"

# --- 3 ---
for f in /usr/share/applications/userwallet.desktop /usr/share/metainfo/userwallet.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/userwallet.svg /usr/share/man/man1/userwallet.1.gz \
    /usr/share/man/man1/userwallet-cli.1.gz /usr/share/man/man1/userwallet-relay.1.gz \
    /lib/systemd/system/userwallet-relay.service /usr/lib/sysusers.d/userwallet-relay.conf \
    /etc/default/userwallet-relay; do
    [ -f "$f" ] || fail "$f is missing"
done
for size in 16 22 24 32 48 64 128 256; do
    f=/usr/share/icons/hicolor/${size}x${size}/apps/userwallet.png
    [ -f "$f" ] || fail "$f is missing"
done
echo "  ok: desktop file, metainfo, 9 icons, 3 man pages, unit, sysusers.d, configuration"
dpkg-query -W -f='${Conffiles}\n' userwallet-relay | grep -q '^ /etc/default/userwallet-relay ' ||
    fail "/etc/default/userwallet-relay is not a conffile"
echo "  ok: /etc/default/userwallet-relay is a conffile"
entry=$(getent passwd userwallet-relay) || fail "no userwallet-relay user"
uid=$(echo "$entry" | cut -d: -f3)
[ "$uid" -lt 1000 ] || fail "userwallet-relay is not a system user ($entry)"
echo "  ok: system user: $entry"
[ -L /etc/systemd/system/multi-user.target.wants/userwallet-relay.service ] ||
    fail "the unit is not enabled (no link in multi-user.target.wants)"
echo "  ok: the unit is enabled (started at boot where systemd runs)"

# --- 4 ---
unit=/lib/systemd/system/userwallet-relay.service
key() { sed -n "s/^$1=//p" "$unit" | tail -n 1; }
user=$(key User)
state=/var/lib/$(key StateDirectory)
exec_start=$(key ExecStart)
env_file=$(key EnvironmentFile)
step "starting the relay as the unit would: $exec_start"
# What systemd does before ExecStart: the state directory, owned by the user.
install -d -o "$user" -g "$user" -m "$(key StateDirectoryMode)" "$state"
set -a
# shellcheck disable=SC1090
. "$env_file"
set +a
# The chroot shares the host's network: a free loopback port rather than the default one.
default_listen=$RELAY_LISTEN
RELAY_LISTEN=127.0.0.1:0
[[ "$default_listen" == 127.0.0.1:* ]] || fail "the default configuration listens on $default_listen, not loopback"
cd "$(key WorkingDirectory)"
# setpriv: the unit's user and group, no new privileges, the environment kept (EnvironmentFile).
# ${VAR} and $VAR expand in bash as systemd expands them for these values (no spaces).
setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs bash -c "exec $exec_start" \
    >/tmp/relay.out 2>/tmp/relay.err &
relay=$!
cd /
for _ in $(seq 100); do
    grep -q listening /tmp/relay.out && break
    kill -0 "$relay" 2>/dev/null || break
    sleep 0.1
done
ready=$(head -n 1 /tmp/relay.out)
[[ "$ready" == *listening* ]] || {
    cat /tmp/relay.err >&2
    fail "the relay did not start: \"$ready\""
}
port=${ready##*:}
port=${port%%\"*}
echo "  ok: the relay says $ready"

exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n' "$port" >&3
headers=""
while IFS= read -r -t 5 line <&3; do
    line=${line%$'\r'}
    [ -z "$line" ] && break
    headers+="$line"$'\n'
done
[[ "$headers" == "HTTP/1.1 101"* ]] || fail "no WebSocket upgrade: $headers"
# RFC 6455's own example key and its answer.
grep -qi '^Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=$' <<<"$headers" || fail "wrong Sec-WebSocket-Accept: $headers"
echo "  ok: WebSocket handshake (101, right Sec-WebSocket-Accept)"
# A NIP-01 REQ in one masked text frame (mask 0: the payload as is); the relay queries its
# database and answers EOSE.
req='["REQ","check",{"limit":1}]'
printf "\\x81\\x$(printf %02x $((0x80 + ${#req})))\\x00\\x00\\x00\\x00%s" "$req" >&3
reply=""
IFS= read -r -t 5 -d ']' reply <&3 || true
[[ "$reply" == *'"EOSE","check"'* ]] || fail "no EOSE for the REQ: \"$reply\""
echo "  ok: NIP-01 REQ answered with EOSE"
exec 3>&-

kill -TERM "$relay"
status=0
wait "$relay" || status=$?
[ "$status" = 0 ] || {
    cat /tmp/relay.err >&2
    fail "the relay exited with $status on SIGTERM"
}
echo "  ok: stopped on SIGTERM: $(tail -n 1 /tmp/relay.err)"
owner=$(stat -c %U "$RELAY_DB") || fail "no database at $RELAY_DB"
[ "$owner" = "$user" ] || fail "$RELAY_DB belongs to $owner"
echo "  ok: database $RELAY_DB, owned by $owner"

# --- 5 ---
step "installing systemd to verify the unit"
quiet apt-get install -y --no-install-recommends systemd
# --man=no: no man-db on a minimal system (the page itself was checked above).
systemd-analyze verify --man=no "$unit" || fail "systemd-analyze verify $unit"
echo "  ok: systemd-analyze verify"
systemd-analyze security --offline=true "$unit" | tail -n 1
quiet apt-get install -y --reinstall --no-install-recommends "$dir"/userwallet-relay_*.deb
[ "$(getent passwd userwallet-relay | cut -d: -f3)" = "$uid" ] || fail "the user changed on reinstallation"
echo "  ok: reinstalled with systemd-sysusers present, same user"

# --- 6 ---
step "registering the userwallet:// handler (desktop-file-utils)"
quiet apt-get install -y --no-install-recommends desktop-file-utils
grep -q '^x-scheme-handler/userwallet=.*userwallet.desktop' /usr/share/applications/mimeinfo.cache ||
    fail "mimeinfo.cache does not list userwallet.desktop for x-scheme-handler/userwallet"
echo "  ok: mimeinfo.cache: $(grep '^x-scheme-handler/userwallet=' /usr/share/applications/mimeinfo.cache)"

# --- 7 ---
step "purging the packages"
quiet apt-get purge -y userwallet userwallet-relay
for f in /etc/default/userwallet-relay /etc/systemd/system/multi-user.target.wants/userwallet-relay.service \
    "$state" /usr/bin/userwallet /usr/bin/userwallet-relay; do
    [ ! -e "$f" ] || fail "$f is still there after purge"
done
echo "  ok: purged: configuration, unit link, database and executables gone"
step "all checks passed"
