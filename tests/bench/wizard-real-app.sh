#!/usr/bin/env bash
# Tap → saved in the real `vigil` process on a 5,000-incident store (docs/performance.md,
# "124D wizard (issue 8)"). Run inside a D-Bus session with an unlocked key store, e.g.
#   k=$(mktemp -d); XDG_DATA_HOME=$k XDG_RUNTIME_DIR=$k dbus-run-session -- sh -c \
#     'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec tests/bench/wizard-real-app.sh build/dev'
# Phases: a local vigil-server on 127.0.0.1 (synthetic users only); the app enrolled and its PIN
# set (`vigil-test --script`); the server stopped; INCIDENTS synthetic incidents seeded offline
# (`vigil-test --seed-demo`); TAPS taps timed offline (the outbox holds every seeded change); then,
# unless ONLINE=0, the server started, everything pushed (wait-idle), and the taps timed again
# on the synced store. Each tap is followed by wait-saved and 100 ms.
set -euo pipefail
b=$(cd "${1:-build/dev}" && pwd)
w=$(mktemp -d /tmp/vigil-wizard-bench-XXXXXX)
trap 'kill "${spid:-}" 2>/dev/null || true; rm -rf "$w"' EXIT
port=${PORT:-18443}
admin() { "$b/sync/vigil-admin" --data-dir "$w/server" "$@"; }
server() {
    "$b/sync/vigil-server" --config "$w/server/server.json" 2>>"$w/server.log" &
    spid=$!
    for _ in $(seq 1 50); do grep -q '"event":"listening"' "$w/server.log" 2>/dev/null && break; sleep 0.2; done
}
admin init --listen 127.0.0.1 --port "$port" >/dev/null
admin user add pc.bench --role officer --team T1 --borough B1 --name "PC Bench" >/dev/null
server
code=$(admin enrol-code create --user pc.bench --expires 30m --no-qr | grep -o 'vigil1:[^ ]*' | head -n1)
export QT_QPA_PLATFORM=offscreen VIGIL_KDF=interactive
printf 'enrol\nset-pin\nquit\n' > "$w/setup.script"
"$b/qml/vigil-test" --data-dir "$w/app" --enrol-code "$code" --script "$w/setup.script" >/dev/null <<<582914
kill "$spid"; wait "$spid" 2>/dev/null || true
t0=$(date +%s)
VIGIL_MEASURE_PIN=582914 "$b/qml/vigil-test" --data-dir "$w/app" --seed-demo "${INCIDENTS:-5000}"
echo "seeded in $(( $(date +%s) - t0 )) s"
{
    echo unlock; echo new-draft; echo add-victim; echo wait-saved
    vals=(yes no dont_know)
    for i in $(seq 0 $(( ${TAPS:-300} - 1 ))); do
        echo "answer 0 q$(( i % 27 + 1 )) ${vals[$(( (i / 27 + i) % 3 ))]}"; echo wait-saved; echo sleep 100
    done
    echo save-stats; echo quit
} > "$w/taps.script"
uptime
echo "offline (server stopped, nothing synced):"
"$b/qml/vigil-test" --data-dir "$w/app" --script "$w/taps.script" >/dev/null <<<582914
uptime
[ "${ONLINE:-1}" = 1 ] || exit 0
server
printf 'unlock\nsync-now\nwait-idle\nquit\n' > "$w/sync.script"
t0=$(date +%s)
"$b/qml/vigil-test" --data-dir "$w/app" --script "$w/sync.script" >/dev/null <<<582914
echo "pushed everything in $(( $(date +%s) - t0 )) s"
uptime
echo "online, everything synced:"
"$b/qml/vigil-test" --data-dir "$w/app" --script "$w/taps.script" >/dev/null <<<582914
uptime
