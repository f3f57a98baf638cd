#!/usr/bin/env bash
# Vigil's one-command entry points (see README.md):
#   scripts/vigil.sh test   install what is needed, build everything (warnings as errors), run every test,
#                           then build, lint, install and try the .deb packages (scripts/package-check.sh)
#   scripts/vigil.sh run    install what is needed, build the app and the programs the demo runs
#                           (not the tests), and start the app on its embedded defaults
#   VIGIL_VNC=1 scripts/vigil.sh run
#                           the same on a virtual screen of its own (Xvfb), shown by a VNC server
#                           (x11vnc, installed the first time) listening on 127.0.0.1 only
# Works as root or with sudo on Debian 12. Safe to run again: installs only what is missing.
# (Internal: `scripts/vigil.sh session DEMO_DIR none|xvfb|vnc auto|private [demo.sh options]`
# runs scripts/demo.sh as `run` does, without installing or building; scripts/screenshots.sh
# uses it.)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

say() { printf '\n== %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install those of the named Debian packages that are missing; sets n_missing to their number.
n_missing=0
install_missing() {
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    n_missing=${#missing[@]}
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing ${#missing[@]} Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

install_packages() {
    local wanted
    mapfile -t wanted < <(grep -v '^\s*#' scripts/debian-packages.txt | grep -v '^\s*$')
    install_missing "${wanted[@]}"
    if [ "$n_missing" -eq 0 ]; then
        say "All ${#wanted[@]} Debian packages already installed"
    fi
}

# build PRESET [TARGET...]: configure, then build the targets named (everything if none).
build() {
    local preset="$1"
    shift
    say "Configuring and building (preset $preset${*:+: $*})"
    cmake --preset "$preset" >/dev/null
    if [ $# -gt 0 ]; then
        cmake --build --preset "$preset" -j "$(nproc)" --target "$@"
    else
        cmake --build --preset "$preset" -j "$(nproc)"
    fi
}

# Run a command inside a private D-Bus session with an unlocked, throwaway gnome-keyring, so
# the OS key store tests talk to a real Secret Service without touching the user's own.
with_test_keyring() {
    local keyring_home
    keyring_home="$(mktemp -d /tmp/vigil-keyring-XXXXXX)"
    chmod 700 "$keyring_home"
    # shellcheck disable=SC2016
    XDG_DATA_HOME="$keyring_home" XDG_RUNTIME_DIR="$keyring_home" dbus-run-session -- sh -c '
        echo -n vigil-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        exec "$@"' sh "$@"
    local rc=$?
    rm -rf "$keyring_home"
    return $rc
}

cmd_test() {
    install_packages
    build ci
    say "Running the test suite"
    local rc=0
    with_test_keyring ctest --preset ci -j 2 || rc=$?
    # The .deb packages built from this build, checked with lintian, installed, and a server set
    # up from them synced with (packaging/README.md). Its devices need the key store too.
    say "Checking the Debian packages (scripts/package-check.sh)"
    with_test_keyring scripts/package-check.sh build/ci || rc=$?
    return $rc
}

# ---------------------------------------------------------------------------------------
# `run`: the embedded defaults are a local demo server with synthetic data, in one folder.
demo_dir() { printf '%s' "${VIGIL_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/vigil-demo}"; }

# What scripts/demo.sh runs: the app, the demo server, its admin tool and the headless device.
run_targets=(vigil vigil-server vigil-admin vigil-device)

# Everything a run starts is a child of this script: the demo (scripts/demo.sh, in a process
# group of its own with the server and the app) and, when needed, a private D-Bus session,
# its key store, a virtual screen and the VNC server. When the run ends, however it ends (the
# app closed, Ctrl-C, kill), each is stopped and waited for, so nothing is left running.
started=()  # direct children other than the demo, in start order
demo_pid=""
runtime=""  # a private folder for sockets, the X cookie and the VNC password; removed at the end

# stop_child PID [-GROUP]: TERM to the child (or to its process group), wait up to 10 s for
# it to end, then KILL; it is always reaped.
stop_child() {
    local pid="$1" target="${2:-$1}" i
    kill -TERM -- "$target" 2>/dev/null || true
    for i in $(seq 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null || true
            return 0
        fi
        sleep 0.1
    done
    kill -KILL -- "$target" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

end_run() {
    local i
    trap '' INT TERM HUP  # a second Ctrl-C does not cut the clean-up short
    if [ -n "$demo_pid" ]; then
        # The whole demo group; the demo's own trap stops the app and the server and waits.
        stop_child "$demo_pid" "-$demo_pid"
        demo_pid=""
    fi
    for ((i = ${#started[@]} - 1; i >= 0; i--)); do
        stop_child "${started[i]}"
    done
    started=()
    if [ -n "$runtime" ]; then
        rm -rf "$runtime"
        runtime=""
    fi
}

# Is there a Secret Service on this desktop's session bus? Only a bus that exists is asked:
# asking with no session bus makes libdbus "autolaunch" one (dbus-launch), which outlives the run.
desktop_key_store() {
    local bus="${DBUS_SESSION_BUS_ADDRESS:-}"
    if [ -z "$bus" ] && [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -S "$XDG_RUNTIME_DIR/bus" ]; then
        bus="unix:path=$XDG_RUNTIME_DIR/bus"
    fi
    [ -n "$bus" ] || return 1
    DBUS_SESSION_BUS_ADDRESS="$bus" dbus-send --session --print-reply --dest=org.freedesktop.DBus \
        /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q 'boolean true' || return 1
    export DBUS_SESSION_BUS_ADDRESS="$bus"
}

# A private D-Bus session and an unlocked gnome-keyring for the demo, its keyring kept in
# DEMO_DIR/keyring (password vigil-demo). Both stay in the foreground as this script's children.
start_private_key_store() {
    local demo="$1" i
    mkdir -p "$demo/keyring"
    chmod 700 "$demo/keyring"
    dbus-daemon --session --nofork --nopidfile --address="unix:path=$runtime/bus" \
        >/dev/null 2>>"$demo/session.log" &
    started+=("$!")
    for i in $(seq 50); do
        [ -S "$runtime/bus" ] && break
        sleep 0.1
    done
    if [ ! -S "$runtime/bus" ]; then
        echo "The demo's D-Bus session did not start: see $demo/session.log." >&2
        return 1
    fi
    export DBUS_SESSION_BUS_ADDRESS="unix:path=$runtime/bus"
    printf '%s' vigil-demo | XDG_DATA_HOME="$demo/keyring" XDG_RUNTIME_DIR="$runtime" \
        gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>>"$demo/session.log" &
    started+=("$!")
    for i in $(seq 100); do
        if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
            return 0
        fi
        sleep 0.1
    done
    echo "The demo's key store (gnome-keyring) did not start: see $demo/session.log." >&2
    return 1
}

# A virtual screen (Xvfb, 1280x800, or VIGIL_SCREEN_SIZE such as 800x1280 for a portrait
# tablet; the app's window fills it) on a free display, which only this user may use (an X
# cookie in the runtime folder). Sets DISPLAY and XAUTHORITY.
start_screen() {
    local demo="$1" n i pid auth="$runtime/Xauthority"
    (umask 077 && : >"$auth")
    for n in $(seq 99 199); do
        if [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; then
            continue
        fi
        xauth -q -f "$auth" add ":$n" . "$(mcookie)"
        : >"$runtime/display"
        Xvfb ":$n" -screen 0 "${VIGIL_SCREEN_SIZE:-1280x800}x24" -nolisten tcp -auth "$auth" -displayfd 3 \
            3>"$runtime/display" >/dev/null 2>>"$demo/session.log" &
        pid=$!
        for i in $(seq 100); do
            [ -s "$runtime/display" ] && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if [ -s "$runtime/display" ] && kill -0 "$pid" 2>/dev/null; then
            started+=("$pid")
            export DISPLAY=":$n" XAUTHORITY="$auth" QT_QPA_PLATFORM=xcb
            unset WAYLAND_DISPLAY
            return 0
        fi
        stop_child "$pid"  # display taken meanwhile: try the next one
    done
    echo "Could not start a virtual screen (Xvfb): see $demo/session.log." >&2
    return 1
}

# A VNC server for that screen, on 127.0.0.1 only, with a password made for this run.
start_vnc() {
    local demo="$1" port="${VIGIL_VNC_PORT:-5900}" pw i
    pw="$(head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"
    pw="${pw:0:8}"  # VNC passwords are 8 characters at most
    (umask 077 && printf '%s\n' "$pw" >"$runtime/vnc-password")
    # rm: x11vnc removes the password file once read.
    x11vnc -display "$DISPLAY" -auth "$XAUTHORITY" -localhost -rfbport "$port" \
        -passwdfile "rm:$runtime/vnc-password" -forever -shared -noxdamage -noipv6 \
        >"$runtime/vnc.out" 2>>"$demo/vnc.log" &
    started+=("$!")
    for i in $(seq 100); do
        grep -q '^PORT=' "$runtime/vnc.out" 2>/dev/null && break
        kill -0 "${started[-1]}" 2>/dev/null || break
        sleep 0.1
    done
    if ! grep -q '^PORT=' "$runtime/vnc.out" 2>/dev/null; then
        echo "The VNC server did not start (is port $port in use? set VIGIL_VNC_PORT): see $demo/vnc.log." >&2
        return 1
    fi
    port="$(sed -n 's/^PORT=//p' "$runtime/vnc.out")"
    say "The app's screen is served by VNC on 127.0.0.1:$port only, password $pw (this run only)"
    cat <<MSG
   From your own computer, open an SSH tunnel to this machine (the user and host you log in
   with) and point a VNC viewer at localhost, port $port, e.g.:
       ssh -N -L $port:127.0.0.1:$port $(id -un)@$(hostname)    (leave it running)
       vncviewer localhost::$port    (TigerVNC or TightVNC: '::' before a port number)
   Closing the app (or Ctrl-C here) ends the run, the VNC server and the virtual screen.
MSG
}

# run_demo DEMO_DIR SCREEN KEYSTORE [demo.sh options]: SCREEN is none (use this display),
# xvfb (a virtual screen) or vnc (a virtual screen served by VNC); KEYSTORE is auto (this
# desktop's if it has one) or private (always a throwaway one).
run_demo() {
    local demo="$1" screen="$2" keystore="$3" rc=0
    shift 3
    mkdir -p "$demo"
    chmod 700 "$demo"
    runtime="$(mktemp -d /tmp/vigil-run-XXXXXX)"
    trap end_run EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    if [ "$screen" != none ]; then
        start_screen "$demo"
    fi
    if [ "$screen" = vnc ]; then
        start_vnc "$demo"
    fi
    # The app and the demo device need a Secret Service (the OS key store).
    if [ "$keystore" = auto ] && desktop_key_store; then
        say "Using this desktop's key store"
    else
        say "Starting a throwaway key store for the demo (kept in $demo/keyring, password vigil-demo)"
        start_private_key_store "$demo"
    fi
    # A process group of its own, so that the end of the run reaches the app and the server.
    setsid bash scripts/demo.sh "$demo" "$@" &
    demo_pid=$!
    wait "$demo_pid" || rc=$?
    demo_pid=""
    return $rc
}

cmd_run() {
    local screen=none
    if [ "${VIGIL_VNC:-0}" = 1 ]; then
        screen=vnc
    elif [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        cat >&2 <<'MSG'
There is no display here, so the app's window has nowhere to open. On a machine without a
screen, run it on a virtual screen that you watch with a VNC viewer (see README.md):

    VIGIL_VNC=1 scripts/vigil.sh run

(or log in to a desktop session and run `scripts/vigil.sh run` there).
MSG
        return 1
    fi
    install_packages
    if [ "$screen" = vnc ]; then
        install_missing x11vnc
    fi
    build dev "${run_targets[@]}"
    run_demo "$(demo_dir)" "$screen" auto
}

case "${1:-}" in
    test) cmd_test ;;
    run) cmd_run ;;
    session)
        [ $# -ge 4 ] || { echo "usage: scripts/vigil.sh session DEMO_DIR none|xvfb|vnc auto|private [demo.sh options]" >&2; exit 2; }
        shift
        run_demo "$@"
        ;;
    *)
        echo "usage: scripts/vigil.sh test|run" >&2
        exit 2
        ;;
esac
