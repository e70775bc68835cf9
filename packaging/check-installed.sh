#!/usr/bin/env bash
# Installs UserWallet's packages on the Debian system it runs on and checks that they work. Made
# for a brand-new minimal bookworm system, as root (scripts/package.sh --check runs it through
# scripts/fresh-check.sh):
#
#   bash packaging/check-installed.sh [DIR]      (DIR holds the .deb files; default /extra)
#
# 1. apt-get installs DIR/userwallet_*.deb, DIR/userwallet-relay_*.deb and
#    DIR/userwallet-anchord_*.deb, with their dependencies;
# 2. userwallet-cli, userwallet (offscreen), userwallet-relay and userwallet-anchord answer
#    --version with the packages' version; the CLI and the application start;
# 3. the files are in place: desktop file, AppStream metadata, icons, man pages, the services'
#    configuration (conffiles), their system users, their units enabled;
# 4. the relay is started by hand from the installed unit and configuration, as systemd would
#    (its user, its state directory, EnvironmentFile, ExecStart), on a free loopback port; it
#    answers a WebSocket handshake and a NIP-01 REQ, then stops cleanly on SIGTERM;
# 4b. the anchoring service likewise, with a wallet made by userwallet-cli as its user, a token
#    and a passphrase handed over as LoadCredential= would, and a node that is not there: it
#    answers health, refuses a request without the token, accepts a digest (202), stops on
#    SIGTERM, and the digest is still known after a restart;
# 5. with systemd installed: systemd-analyze verifies the units and rates their hardening; the
#    packages reinstall (the users then made by systemd-sysusers);
# 6. desktop-file-utils registers the userwallet:// handler;
# 7. the packages are purged: the configuration, the units' links and the relay's database go;
#    the anchoring service's data dir (wallet key, anchor database) stays.
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

debs=("$dir"/userwallet_*.deb "$dir"/userwallet-relay_*.deb "$dir"/userwallet-anchord_*.deb)
for deb in "${debs[@]}"; do [ -f "$deb" ] || fail "no package $deb"; done

# --- 1 ---
step "installing ${debs[*]}"
quiet apt-get update -qq
quiet apt-get install -y --no-install-recommends "${debs[@]}"
version=$(dpkg-query -W -f='${Version}' userwallet)
for pkg in userwallet-relay userwallet-anchord; do
    [ "$(dpkg-query -W -f='${Version}' $pkg)" = "$version" ] || fail "$pkg's version differs from userwallet's"
done
step "installed version $version"

# --- 2 ---
expect() { # expect WHAT EXPECTED ACTUAL
    [ "$3" = "$2" ] || fail "$1: expected \"$2\", got \"$3\""
    echo "  ok: $1: $3"
}
expect "userwallet-cli --version" "userwallet-cli $version" "$(userwallet-cli --version)"
expect "userwallet --version" "userwallet $version" "$(QT_QPA_PLATFORM=offscreen userwallet --version)"
expect "userwallet-relay --version" "userwallet-relay $version" "$(userwallet-relay --version)"
expect "userwallet-anchord --version" "userwallet-anchord $version" "$(userwallet-anchord --version)"
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
    /etc/default/userwallet-relay /usr/share/man/man1/userwallet-anchord.1.gz \
    /lib/systemd/system/userwallet-anchord.service /usr/lib/sysusers.d/userwallet-anchord.conf \
    /etc/default/userwallet-anchord; do
    [ -f "$f" ] || fail "$f is missing"
done
for size in 16 22 24 32 48 64 128 256; do
    f=/usr/share/icons/hicolor/${size}x${size}/apps/userwallet.png
    [ -f "$f" ] || fail "$f is missing"
done
echo "  ok: desktop file, metainfo, 9 icons, 4 man pages, units, sysusers.d, configurations"
dpkg-query -W -f='${Conffiles}\n' userwallet-relay | grep -q '^ /etc/default/userwallet-relay ' ||
    fail "/etc/default/userwallet-relay is not a conffile"
echo "  ok: /etc/default/userwallet-relay is a conffile"
dpkg-query -W -f='${Conffiles}\n' userwallet-anchord | grep -q '^ /etc/default/userwallet-anchord ' ||
    fail "/etc/default/userwallet-anchord is not a conffile"
echo "  ok: /etc/default/userwallet-anchord is a conffile"
anchord_entry=$(getent passwd userwallet-anchord) || fail "no userwallet-anchord user"
anchord_uid=$(echo "$anchord_entry" | cut -d: -f3)
[ "$anchord_uid" -lt 1000 ] || fail "userwallet-anchord is not a system user ($anchord_entry)"
echo "  ok: system user: $anchord_entry"
[ "$(stat -c '%U %a' /var/lib/userwallet-anchord)" = "userwallet-anchord 700" ] ||
    fail "/var/lib/userwallet-anchord is not the service's, mode 700: $(stat -c '%U %a' /var/lib/userwallet-anchord)"
[ "$(stat -c '%U %a' /etc/userwallet-anchord)" = "root 700" ] ||
    fail "/etc/userwallet-anchord is not root's, mode 700: $(stat -c '%U %a' /etc/userwallet-anchord)"
echo "  ok: /var/lib/userwallet-anchord (the service's, 700), /etc/userwallet-anchord (root's, 700)"
[ -L /etc/systemd/system/multi-user.target.wants/userwallet-anchord.service ] ||
    fail "the anchoring unit is not enabled (no link in multi-user.target.wants)"
echo "  ok: the anchoring unit is enabled (it starts once its token and wallet exist)"
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

# --- 4b ---
aunit=/lib/systemd/system/userwallet-anchord.service
akey() { sed -n "s/^$1=//p" "$aunit" | tail -n 1; }
auser=$(akey User)
astate=/var/lib/$(akey StateDirectory)
step "making the anchoring wallet as $auser with userwallet-cli"
pass="check-installed passphrase"
setpriv --reuid="$auser" --regid="$auser" --init-groups --no-new-privs \
    env HOME="$astate" USERWALLET_PASSPHRASE="$pass" userwallet-cli --data-dir "$astate" address >/tmp/anchord-address.out ||
    fail "userwallet-cli address as $auser"
[ -f "$astate/anchor-wallet.key" ] || fail "no wallet key in $astate"
echo "  ok: wallet $(cat /tmp/anchord-address.out)"
token=$(head -c 24 /dev/urandom | base64 | tr -d '+/=')
(umask 077 && printf '%s\n' "$token" >/etc/userwallet-anchord/token && printf '%s\n' "$pass" >/etc/userwallet-anchord/passphrase)
# What LoadCredential= does: a private copy, readable by the service's user only; %d is its folder.
creds=$(mktemp -d)
for c in token passphrase; do install -o "$auser" -g "$auser" -m 0400 "/etc/userwallet-anchord/$c" "$creds/$c"; done
chown "$auser" "$creds"
aexec=$(akey ExecStart)
aexec=${aexec//%d/$creds}
set -a
# shellcheck disable=SC1090
. "$(akey EnvironmentFile)"
set +a
[[ "$ANCHORD_LISTEN" == 127.0.0.1:* ]] || fail "the default configuration listens on $ANCHORD_LISTEN, not loopback"
ANCHORD_LISTEN=127.0.0.1:0
# A node that is not there: the service starts anyway, and accepts digests.
export BITCOIN_RPC_URL=http://127.0.0.1:9/
start_anchord() {
    (cd "$(akey WorkingDirectory)" &&
        exec setpriv --reuid="$auser" --regid="$auser" --init-groups --no-new-privs bash -c "exec $aexec") \
        >/tmp/anchord.out 2>/tmp/anchord.err &
    anchord=$!
    for _ in $(seq 100); do
        grep -q listening /tmp/anchord.out && break
        kill -0 "$anchord" 2>/dev/null || break
        sleep 0.1
    done
    aready=$(head -n 1 /tmp/anchord.out)
    [[ "$aready" == *listening* ]] || {
        cat /tmp/anchord.err >&2
        fail "the anchoring service did not start: \"$aready\""
    }
    aport=${aready##*:}
    aport=${aport%%\"*}
}
http() { # http METHOD PATH [BODY]: the status line and the body, on one connection
    exec 4<>"/dev/tcp/127.0.0.1/$aport"
    printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
        "$1" "$2" "${AUTH-$token}" "${#3}" "$3" >&4
    timeout 10 cat <&4 | tr -d '\r'
    exec 4>&-
}
step "starting the anchoring service as the unit would: $aexec"
start_anchord
echo "  ok: the anchoring service says $aready"
http GET /v1/health | grep -q '^HTTP/1.1 200' || fail "GET /v1/health is not 200"
AUTH=wrong http GET /v1/status | grep -q '^HTTP/1.1 401' || fail "a wrong token is not refused with 401"
digest=$(printf 'check-installed' | sha256sum | cut -d' ' -f1)
http POST /v1/anchors "{\"digests\":[\"$digest\"]}" | grep -q '^HTTP/1.1 202' || fail "POST /v1/anchors is not 202"
echo "  ok: health 200, wrong token 401, a digest accepted (202) with the node away"
kill -TERM "$anchord"
status=0
wait "$anchord" || status=$?
[ "$status" = 0 ] || {
    cat /tmp/anchord.err >&2
    fail "the anchoring service exited with $status on SIGTERM"
}
start_anchord
http GET "/v1/anchors/$digest" | grep -q '"state":"queued"' || fail "the accepted digest is not known after a restart"
kill -TERM "$anchord"
wait "$anchord" || true
echo "  ok: stopped on SIGTERM (0); the digest is still queued after a restart"
rm -rf "$creds"

# --- 5 ---
step "installing systemd to verify the unit"
quiet apt-get install -y --no-install-recommends systemd
# --man=no: no man-db on a minimal system (the page itself was checked above).
for u in "$unit" "$aunit"; do
    systemd-analyze verify --man=no "$u" || fail "systemd-analyze verify $u"
    echo "  ok: systemd-analyze verify $u"
    systemd-analyze security --offline=true "$u" | tail -n 1
done
quiet apt-get install -y --reinstall --no-install-recommends "$dir"/userwallet-relay_*.deb "$dir"/userwallet-anchord_*.deb
[ "$(getent passwd userwallet-relay | cut -d: -f3)" = "$uid" ] || fail "the relay's user changed on reinstallation"
[ "$(getent passwd userwallet-anchord | cut -d: -f3)" = "$anchord_uid" ] ||
    fail "the anchoring service's user changed on reinstallation"
echo "  ok: reinstalled with systemd-sysusers present, same users"

# --- 6 ---
step "registering the userwallet:// handler (desktop-file-utils)"
quiet apt-get install -y --no-install-recommends desktop-file-utils
grep -q '^x-scheme-handler/userwallet=.*userwallet.desktop' /usr/share/applications/mimeinfo.cache ||
    fail "mimeinfo.cache does not list userwallet.desktop for x-scheme-handler/userwallet"
echo "  ok: mimeinfo.cache: $(grep '^x-scheme-handler/userwallet=' /usr/share/applications/mimeinfo.cache)"

# --- 7 ---
step "purging the packages"
quiet apt-get purge -y userwallet userwallet-relay userwallet-anchord
for f in /etc/default/userwallet-relay /etc/systemd/system/multi-user.target.wants/userwallet-relay.service \
    "$state" /usr/bin/userwallet /usr/bin/userwallet-relay /etc/default/userwallet-anchord \
    /etc/systemd/system/multi-user.target.wants/userwallet-anchord.service /usr/bin/userwallet-anchord; do
    [ ! -e "$f" ] || fail "$f is still there after purge"
done
[ -f "$astate/anchor-wallet.key" ] || fail "purging userwallet-anchord removed its wallet key"
echo "  ok: purged: configurations, unit links, the relay's database and executables gone; the anchoring wallet kept"
step "all checks passed"
