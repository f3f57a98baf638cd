#!/usr/bin/env bash
# The demo behind `scripts/vigil.sh run` (called by it, inside a D-Bus session with a key
# store): a local vigil-server on 127.0.0.1 with a generated certificate and synthetic
# demo data, then the app, enrolled as the demo officer. Everything lives in DEMO_DIR.
#   scripts/demo.sh DEMO_DIR [--screenshots OUT_DIR]
# VIGIL_BUILD_DIR names the build to run (default: build/dev). The server and the app are
# stopped when this script ends, however it ends (the app closed, Ctrl-C, kill).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
demo="$1"
shift
bin="${VIGIL_BUILD_DIR:-$here/build/dev}"
if [ ! -x "$bin/qml/vigil" ]; then
    echo "No app in $bin: build it first (cmake --build --preset dev), or set VIGIL_BUILD_DIR to a build folder." >&2
    exit 1
fi
server="$demo/server"
port="${VIGIL_DEMO_PORT:-8443}"
officer="pc.demo"

say() { printf '\n== %s\n' "$*"; }
admin() { "$bin/sync/vigil-admin" --data-dir "$server" "$@"; }

if [ ! -f "$server/server.json" ]; then
    say "Creating a demo server in $server (127.0.0.1:$port, self-signed certificate)"
    admin init --listen 127.0.0.1 --port "$port" >/dev/null
    admin user add "$officer" --role officer --team "Team Demo" --borough "Demoshire" --name "PC Demo 4821" >/dev/null
    admin user add sgt.demo --role supervisor --team "Team Demo" --borough "Demoshire" --name "Sgt Demo 1907" >/dev/null
fi

# What this script starts, stopped (and waited for) when it ends, however it ends. The app
# and the server run in the background so that a signal to this script reaches the trap at
# once (bash runs traps only between foreground commands).
server_pid="" app_pid="" code_file="$demo/enrol-code"
# shellcheck disable=SC2317  # called by the trap
stop() {
    local pid
    for pid in $app_pid $server_pid; do kill "$pid" 2>/dev/null || true; done
    for pid in $app_pid $server_pid; do wait "$pid" 2>/dev/null || true; done
    rm -f "$code_file"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

say "Starting vigil-server on 127.0.0.1:$port (log: $demo/server.log)"
"$bin/sync/vigil-server" --config "$server/server.json" 2>>"$demo/server.log" &
server_pid=$!
for _ in $(seq 1 50); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "vigil-server stopped at once; see $demo/server.log (is port $port in use? set VIGIL_DEMO_PORT)." >&2
        exit 1
    fi
    grep -q '"event":"listening"' "$demo/server.log" 2>/dev/null && break
    sleep 0.2
done

# A demo device left half-made by a run stopped part-way is made again from nothing.
forget_device() {
    if [ -d "$1" ]; then
        "$bin/sync/vigil-device" forget --dir "$1" >/dev/null || true
        rm -rf "$1"
    fi
}

code() { admin enrol-code create --user "${1:-$officer}" --expires 30m --no-qr | grep -o 'vigil1:[^ ]*' | head -n1; }

# Synthetic demo data (invented people): a headless device of the demo officer makes it and
# sends it to the server, so the app receives it on its first sync like real records.
if [ ! -f "$demo/seeded" ]; then
    say "Making synthetic demo data (invented people only) and sending it to the server"
    export VIGIL_DEVICE_PIN=246813 VIGIL_DEVICE_KDF=interactive
    forget_device "$demo/seed-device"
    "$bin/sync/vigil-device" enrol --dir "$demo/seed-device" --code "$(code)" --name "demo data" >/dev/null
    "$bin/sync/vigil-device" demo --dir "$demo/seed-device" --incidents "${VIGIL_DEMO_INCIDENTS:-40}" >/dev/null
    "$bin/sync/vigil-device" sync --dir "$demo/seed-device"
    touch "$demo/seeded"
fi

# The demo supervisor returns the newest submitted 124D with QA notes, as at the station:
# a line "field: note" is shown beside that field when the officer reopens it.
if [ ! -f "$demo/returned" ]; then
    say "The demo supervisor returns one 124D with QA notes"
    export VIGIL_DEVICE_PIN=246813 VIGIL_DEVICE_KDF=interactive
    forget_device "$demo/supervisor-device"
    "$bin/sync/vigil-device" enrol --dir "$demo/supervisor-device" --code "$(code sgt.demo)" --name "demo supervisor" >/dev/null
    "$bin/sync/vigil-device" sync --dir "$demo/supervisor-device" >/dev/null
    "$bin/sync/vigil-device" return --dir "$demo/supervisor-device" --note "refs.crimint: add the CRIMINT reference for the call-out last month
victims[0].safe_contact.voicemail: check this with her - the suspect may still have her phone
Good first account. Please also record the referral to the IDVA." >/dev/null \
        && "$bin/sync/vigil-device" sync --dir "$demo/supervisor-device" >/dev/null \
        || echo "(No 124D was returned: the demo goes on without one.)"
    touch "$demo/returned"
fi

# VIGIL_DEMO_AS=supervisor opens the supervisor's desk (sgt.demo, its own app folder) instead.
app_user="$officer"
app_dir="$demo/app"
if [ "${VIGIL_DEMO_AS:-officer}" = supervisor ]; then
    app_user=sgt.demo
    app_dir="$demo/app-supervisor"
fi
app_args=(--data-dir "$app_dir")
if [ ! -f "$app_dir/store/vault.json" ]; then
    # The one-time code goes to the app in a file only this user can read, which the app
    # removes once read: a command line is visible to every user in `ps`.
    (umask 077 && rm -f "$code_file" && code "$app_user" >"$code_file")
    app_args+=(--enrol-code-file "$code_file")
    say "Opening Vigil. It is filled in with an enrolment code for $app_user: press Enrol, then choose a PIN (6-12 digits, e.g. 582914)."
else
    say "Opening Vigil. Unlock with the PIN you chose (forgot it? delete $demo and run again)."
fi
# The app users get; the screenshot run needs the test build (vigil-test: the same app with the
# switches that drive it, never shipped).
app="$bin/qml/vigil"
if [ "${1:-}" = "--screenshots" ]; then
    export VIGIL_SCREENSHOT_SERVER_PID="$server_pid"
    app="$bin/qml/vigil-test"
    if [ ! -x "$app" ]; then
        echo "No vigil-test in $bin: build it first (cmake --build --preset dev --target vigil-test)." >&2
        exit 1
    fi
    app_args+=(--screenshots "$2")
fi
"$app" "${app_args[@]}" &
app_pid=$!
rc=0
wait "$app_pid" || rc=$?
app_pid=""
exit "$rc"
