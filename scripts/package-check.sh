#!/usr/bin/env bash
# The Debian packages end to end (issue 26; packaging/README.md), as `scripts/vigil.sh test`
# runs it after the suite, inside its private D-Bus session and throwaway key store:
#   1. build vigil-common, vigil and vigil-server with CPack from BUILD_DIR;
#   2. check them with lintian (warnings and errors fail; each override is explained in
#      packaging/deb/*.lintian-overrides), the unit with systemd-analyze;
#   3. install them with apt-get, as an operator would;
#   4. set the installed server up as packaging/README.md says (vigil-admin init as the user
#      vigil) and start it: with systemctl when systemd runs this machine, else the unit's own
#      ExecStart as the unit's user (CI containers have no systemd as PID 1);
#   5. enrol two devices with the installed vigil-device (which scores its synthetic incidents
#      with the installed risk models) against the installed server on 127.0.0.1, sync them,
#      and check the second received what the first sent;
#   6. a force (when PostgreSQL 15 is installed, as in CI): move the installed server's store
#      into a throwaway PostgreSQL cluster with the installed `vigil-admin migrate-store`, start
#      two installed vigil-server processes on that one database, and check the devices carry on
#      through the first and a new device gets everything through the second;
#   7. stop the servers and purge the packages, the server's folder, the user vigil and every
#      package the install pulled in, so the machine is left as it was found.
# A machine that already has a Vigil package, the user vigil, /etc/vigil or /var/lib/vigil is
# somebody's server: outside CI the check is skipped there (saying so), in CI it fails.
#   scripts/package-check.sh [BUILD_DIR]    (default build/ci; root or sudo)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$here/build/ci}" && pwd)"
started_at=$SECONDS

say() { printf '\n== %s\n' "$*"; }
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
fail() {
    echo "package-check: $*" >&2
    exit 1
}

# --- 0. Is this machine free for it? ------------------------------------------------------
taken=()
for p in vigil vigil-common vigil-server; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'installed'; then taken+=("the package $p"); fi
done
getent passwd vigil >/dev/null && taken+=("the user vigil")
getent group vigil >/dev/null && taken+=("the group vigil")
[ -e /etc/vigil ] && taken+=("/etc/vigil")
[ -e /var/lib/vigil ] && taken+=("/var/lib/vigil")
if [ ${#taken[@]} -gt 0 ]; then
    msg="this machine already has ${taken[*]}: installing and purging the packages here would replace them"
    if [ "${CI:-}" = true ]; then
        fail "$msg. A CI machine should start clean: remove them (apt-get purge vigil vigil-server vigil-common; deluser --system vigil; rm -r /etc/vigil /var/lib/vigil)."
    fi
    say "Package check skipped: $msg. Run it on a clean machine or in CI."
    exit 0
fi

work="$(mktemp -d /tmp/vigil-package-check-XXXXXX)"
chmod 700 "$work"
server_pid=""
server_by_systemd=0
installed=0
pg_pids=()
pg_cluster=0
before="$work/packages-before"
dpkg-query -W -f='${Package} ${Status}\n' | awk '$4 == "installed" {print $1}' | sort >"$before"

# Stop a server started in the background: TERM, then KILL after 10 s.
stop_pid() {
    as_root kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    as_root kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true  # its exit status (143 after TERM) is not this script's
}

# The installed server of steps 4 and 5.
stop_server() {
    if [ "$server_by_systemd" = 1 ]; then
        as_root systemctl stop vigil-server.service
        server_by_systemd=0
    elif [ -n "$server_pid" ]; then
        stop_pid "$server_pid"
        server_pid=""
    fi
}

clean_up() {
    local rc=$?
    set +e
    trap '' INT TERM
    stop_server
    for pid in "${pg_pids[@]}"; do stop_pid "$pid"; done
    if [ "$pg_cluster" = 1 ]; then
        "$here/scripts/pg-test-cluster.sh" clean "$work/pg" >/dev/null
        as_root rm -f /etc/vigil/pgpass /etc/vigil/pg-ca.crt /etc/vigil/server-pg-1.json /etc/vigil/server-pg-2.json
    fi
    if [ "$installed" = 1 ]; then
        say "Purging the packages and what they pulled in"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq vigil vigil-server vigil-common >/dev/null
        # postrm keeps the server's folder (a force's records) and the user: this check made both.
        as_root rm -rf /var/lib/vigil
        # (deluser says it skips crontab removal where cron is not installed: not worth showing.)
        if getent passwd vigil >/dev/null; then
            as_root deluser --quiet --system vigil 2>&1 | grep -v 'crontab' >&2
        fi
        if getent group vigil >/dev/null; then as_root delgroup --quiet --system vigil >/dev/null; fi
        # What the install added besides ours (their dependencies; adduser perhaps, so after deluser).
        local added
        added="$(dpkg-query -W -f='${Package} ${Status}\n' | awk '$4 == "installed" {print $1}' | sort |
            comm -13 "$before" -)"
        if [ -n "$added" ]; then
            echo "Purging what the install pulled in: $added"
            # shellcheck disable=SC2086
            as_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $added >/dev/null
        fi
        [ -e /etc/vigil ] && echo "package-check: /etc/vigil is still there after the purge" >&2 && rc=1
    fi
    rm -rf "$work"
    echo "Package check took $((SECONDS - started_at)) s."
    exit $rc
}
trap clean_up EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. Build ----------------------------------------------------------------------------
say "Building the packages (CPack)"
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
mapfile -t debs < <(ls "$build"/packages/vigil*.deb)
[ ${#debs[@]} -eq 3 ] || fail "expected 3 packages in $build/packages, found: ${debs[*]:-none}"
for d in "${debs[@]}"; do
    printf '%s  %s\n' "$(du -h "$d" | cut -f1)" "$(basename "$d")"
done

# --- 2. lintian and the unit ---------------------------------------------------------------
say "lintian (fails on warnings and errors; overrides: packaging/deb/*.lintian-overrides)"
# (Not --show-overrides: with it lintian 2.116 fails on the overridden tags too.)
lintian --fail-on error,warning --display-info "${debs[@]}" ||
    fail "lintian found problems in the packages (above)"
echo "lintian: no errors, warnings or information tags; the overrides in force, each explained in its file:"
grep -hv '^\s*#' "$here"/packaging/deb/*.lintian-overrides | sed 's/^/    /'

# --- 3. Install --------------------------------------------------------------------------
say "Installing the packages (apt-get install ./*.deb)"
installed=1
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get install of the packages failed"; }
[ "$(stat -c '%U:%G %a' /etc/vigil/server.json)" = "root:vigil 640" ] ||
    fail "/etc/vigil/server.json is $(stat -c '%U:%G %a' /etc/vigil/server.json), not root:vigil 640"
[ "$(stat -c '%U:%G %a' /var/lib/vigil)" = "vigil:vigil 700" ] ||
    fail "/var/lib/vigil is $(stat -c '%U:%G %a' /var/lib/vigil), not vigil:vigil 700"
[ "$(getent passwd vigil | cut -d: -f7)" = /usr/sbin/nologin ] || fail "the user vigil can log in"
echo "Installed: $(dpkg-query -W -f='${Package} ${Version}\n' vigil vigil-server vigil-common | paste -sd, - | sed 's/,/, /g')"
echo "user vigil, /etc/vigil/server.json root:vigil 0640, /var/lib/vigil vigil:vigil 0700"
if command -v systemd-analyze >/dev/null; then
    # The installed unit: its syntax, its program and its man pages (Documentation=) exist.
    SYSTEMD_LOG_LEVEL=notice systemd-analyze verify /lib/systemd/system/vigil-server.service ||
        fail "systemd-analyze verify refused the installed unit (above)"
    systemd-analyze security --offline=yes /lib/systemd/system/vigil-server.service | tail -1
fi

# --- 4. Set the server up and start it, as packaging/README.md tells an operator -----------------
say "Setting up the installed server (vigil-admin init as the user vigil)"
# The operator's edit of the configuration: any free port (this machine may run other servers),
# written to a file in the server's folder.
as_root sed -i -e 's/"port": 8443,/"port": 0, "port_file": "port", "metrics_port": 0,/' /etc/vigil/server.json
grep -q '"port": 0' /etc/vigil/server.json || fail "could not set the port in /etc/vigil/server.json"
admin() { as_root runuser -u vigil -- /usr/sbin/vigil-admin "$@"; }
admin --config /etc/vigil/server.json init >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; fail "vigil-admin init failed"; }
grep 'server pin' "$work/init.log"
rm -f /var/lib/vigil/port
if [ -d /run/systemd/system ]; then
    say "Starting vigil-server with systemctl (systemd runs this machine)"
    server_by_systemd=1
    as_root systemctl start vigil-server.service
else
    # No systemd as PID 1 (a container): run the unit's ExecStart as its User, with its UMask.
    exec_start="$(sed -n 's/^ExecStart=//p' /lib/systemd/system/vigil-server.service)"
    unit_user="$(sed -n 's/^User=//p' /lib/systemd/system/vigil-server.service)"
    say "Starting the unit's ExecStart as $unit_user (no systemd here): $exec_start"
    # Not through as_root (a function, so a subshell): $! must be runuser (or sudo), which passes
    # the TERM of the clean-up on to the server.
    root_cmd=()
    [ "$(id -u)" -eq 0 ] || root_cmd=(sudo)
    # shellcheck disable=SC2086
    "${root_cmd[@]}" runuser -u "$unit_user" -- sh -c 'umask 077; exec "$@"' sh $exec_start 2>"$work/server.log" &
    server_pid=$!
fi
for _ in $(seq 300); do
    [ -s /var/lib/vigil/port ] && break
    if [ "$server_by_systemd" = 0 ] && ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    sleep 0.1
done
if [ ! -s /var/lib/vigil/port ]; then
    if [ "$server_by_systemd" = 1 ]; then journalctl -u vigil-server --no-pager | tail -20 >&2; else cat "$work/server.log" >&2; fi
    fail "the installed vigil-server did not start listening within 30 s"
fi
port="$(cat /var/lib/vigil/port)"
echo "vigil-server listens on 127.0.0.1:$port"

# --- 5. Two devices sync through it ----------------------------------------------------------
say "Enrolling two devices (the installed vigil-device) and syncing"
admin user add pkg.officer --role officer --team pkg-team --borough pkg-borough >/dev/null
admin user add pkg.colleague --role officer --team pkg-team --borough pkg-borough >/dev/null
code_for() {
    admin enrol-code create --user "$1" --server "127.0.0.1:$port" --no-qr | grep '^vigil1:'
}
export VIGIL_DEVICE_PIN=480516 VIGIL_DEVICE_KDF=interactive
device() { /usr/bin/vigil-device "$@"; }
device enrol --dir "$work/tablet1" --code "$(code_for pkg.officer)" --name "package check 1"
device enrol --dir "$work/tablet2" --code "$(code_for pkg.colleague)" --name "package check 2"
# demo scores its incidents with the models in /usr/share/vigil/risk-models (vigil-common).
device demo --dir "$work/tablet1" --incidents 5 --seed 26
device sync --dir "$work/tablet1"
device sync --dir "$work/tablet2"
device status --dir "$work/tablet1" | tee "$work/status1"
grep -q '^Records: 5 incident(s); 0 change(s) waiting to send' "$work/status1" ||
    fail "the first device does not hold its 5 incidents with nothing left to send (status above)"
d1="$(device digest --dir "$work/tablet1" | head -1)"
d2="$(device digest --dir "$work/tablet2" | head -1)"
echo "tablet 1: $d1"
echo "tablet 2: $d2"
case "$d2" in "digest "*" 0") fail "the second device received nothing from the server" ;; esac
[ "$d1" = "$d2" ] || fail "the two devices hold different records after syncing through the installed server"
admin device list
echo "Both devices hold the same records, sent and received through the installed server."

# --- 6. A force: the store moved to PostgreSQL, two servers on one database ----------------------
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
    say "PostgreSQL 15 is not installed: the move to PostgreSQL and the two servers are not checked here (CI installs it)"
    exit 0
fi
say "Moving the installed server's store into PostgreSQL (the installed vigil-admin migrate-store)"
stop_server
pg_cluster=1
"$here/scripts/pg-test-cluster.sh" start "$work/pg" >"$work/pg.log" 2>&1 || { cat "$work/pg.log" >&2; fail "the throwaway PostgreSQL cluster did not start"; }
# shellcheck disable=SC1091
. "$work/pg/env"
# What an operator puts in /etc/vigil: the password for the user vigil only, the database's CA.
as_root install -o vigil -g vigil -m 0600 "$VIGIL_PG_PASSWORD_FILE" /etc/vigil/pgpass
as_root install -o root -g vigil -m 0640 "$VIGIL_PG_SSLROOTCERT" /etc/vigil/pg-ca.crt
conninfo="host=127.0.0.1 port=$VIGIL_PG_PORT dbname=vigil user=vigil sslmode=verify-full sslrootcert=/etc/vigil/pg-ca.crt"
# Two servers' configurations: the first on the address the devices were enrolled with, the
# second on a port of its own; each its own records copy and lock (database) and port file.
for n in 1 2; do
    if [ "$n" = 1 ]; then listen="\"port\": $port,"; else listen='"port": 0,'; fi
    as_root sh -c "sed -e 's|^  \"log_level\": \"info\"\$|  \"log_level\": \"info\", \"store\": \"postgresql\", \"postgresql_conninfo\": \"$conninfo\", \"postgresql_password_file\": \"/etc/vigil/pgpass\", \"postgresql_schema\": \"vigil\"|' \
        -e 's|\"port\": 0,|$listen|' -e 's|\"port_file\": \"port\"|\"port_file\": \"port-$n\"|' \
        -e 's|\"database\": \"vigil-server.db\"|\"database\": \"vigil-server-$n.db\"|' \
        /etc/vigil/server.json >/etc/vigil/server-pg-$n.json && chown root:vigil /etc/vigil/server-pg-$n.json && chmod 640 /etc/vigil/server-pg-$n.json"
    grep -q '"store": "postgresql"' "/etc/vigil/server-pg-$n.json" || fail "could not write /etc/vigil/server-pg-$n.json"
done
admin --config /etc/vigil/server.json migrate-store --to /etc/vigil/server-pg-1.json >"$work/migrate.log" 2>&1 ||
    { cat "$work/migrate.log" >&2; fail "vigil-admin migrate-store failed"; }
grep -q DIFFERENT "$work/migrate.log" && { cat "$work/migrate.log" >&2; fail "migrate-store reported a difference"; }
grep -E '^  (op_log|users|devices|server_audit) ' "$work/migrate.log"
grep -E 'incarnation|audit chain' "$work/migrate.log"

say "Two installed vigil-server processes on the one database"
root_cmd=()
[ "$(id -u)" -eq 0 ] || root_cmd=(sudo)
for n in 1 2; do
    rm -f "/var/lib/vigil/port-$n"
    "${root_cmd[@]}" runuser -u vigil -- sh -c 'umask 077; exec "$@"' sh /usr/sbin/vigil-server \
        --config "/etc/vigil/server-pg-$n.json" 2>"$work/server-pg-$n.log" &
    pg_pids+=($!)
done
for n in 1 2; do
    for _ in $(seq 300); do [ -s "/var/lib/vigil/port-$n" ] && break; sleep 0.1; done
    [ -s "/var/lib/vigil/port-$n" ] || { cat "$work/server-pg-$n.log" >&2; fail "vigil-server $n on PostgreSQL did not start listening within 30 s"; }
done
port2="$(cat /var/lib/vigil/port-2)"
echo "server 1 on 127.0.0.1:$(cat /var/lib/vigil/port-1), server 2 on 127.0.0.1:$port2, both on schema vigil at 127.0.0.1:$VIGIL_PG_PORT"
# The devices enrolled before the move carry on through server 1 (same address, no re-enrolment);
# a device enrolled through server 2 receives everything, including what came through server 1.
admin --config /etc/vigil/server-pg-1.json user add pkg.newcomer --role officer --team pkg-team --borough pkg-borough >/dev/null
device demo --dir "$work/tablet1" --incidents 2 --seed 27
device sync --dir "$work/tablet1"
device sync --dir "$work/tablet2"
code3="$(admin --config /etc/vigil/server-pg-2.json enrol-code create --user pkg.newcomer --server "127.0.0.1:$port2" --no-qr | grep '^vigil1:')"
device enrol --dir "$work/tablet3" --code "$code3" --name "package check 3"
device sync --dir "$work/tablet3"
device status --dir "$work/tablet1" | tee "$work/status1"
grep -q '^Records: 7 incident(s); 0 change(s) waiting to send' "$work/status1" ||
    fail "the first device does not hold its 7 incidents with nothing left to send after the move (status above)"
d1="$(device digest --dir "$work/tablet1" | head -1)"
d2="$(device digest --dir "$work/tablet2" | head -1)"
d3="$(device digest --dir "$work/tablet3" | head -1)"
echo "tablet 1 (server 1): $d1"
echo "tablet 2 (server 1): $d2"
echo "tablet 3 (server 2): $d3"
[ "$d1" = "$d2" ] && [ "$d1" = "$d3" ] ||
    fail "the devices hold different records after the move to PostgreSQL and syncing through two servers"
admin --config /etc/vigil/server-pg-2.json audit verify
echo "The store moved to PostgreSQL; both servers serve it; every device holds the same records."
