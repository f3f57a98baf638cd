#!/usr/bin/env bash
# Vigil's one-command entry points (see README.md):
#   scripts/vigil.sh test   install what is needed, build (warnings as errors), run every test
#   scripts/vigil.sh run    install what is needed, build, and start the app on its embedded defaults
# Works as root or with sudo on Debian 12. Safe to run again: installs only what is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

say() { printf '\n== %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    mapfile -t wanted < <(grep -v '^\s*#' scripts/debian-packages.txt | grep -v '^\s*$')
    local missing=()
    for p in "${wanted[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "All ${#wanted[@]} Debian packages already installed"
        return
    fi
    say "Installing ${#missing[@]} Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
    local preset="$1"
    say "Configuring and building (preset $preset)"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$(nproc)"
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
    return $rc
}

# The embedded defaults for `run`: a local demo server with synthetic data, in one folder.
demo_dir() { printf '%s' "${VIGIL_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/vigil-demo}"; }

cmd_run() {
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
        cat >&2 <<'MSG'
There is no display here, so the app's window has nowhere to open.
On a machine without a screen, run it inside a virtual one:

    xvfb-run -a -s '-screen 0 1280x800x24' scripts/vigil.sh run

(or log in to a desktop session and run `scripts/vigil.sh run` there).
MSG
        return 1
    fi
    install_packages
    build dev
    local demo
    demo="$(demo_dir)"
    mkdir -p "$demo"
    chmod 700 "$demo"
    # The app and the demo device need a Secret Service (the OS key store). Use the
    # desktop's; if there is none, start one for the demo, kept in the demo folder.
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
        say "Using this desktop's key store"
        bash scripts/demo.sh "$demo"
    else
        say "No key store is running: starting a throwaway one for the demo (kept in $demo/keyring, password vigil-demo)"
        mkdir -p "$demo/keyring"
        chmod 700 "$demo/keyring"
        # shellcheck disable=SC2016
        XDG_DATA_HOME="$demo/keyring" dbus-run-session -- sh -c '
            echo -n vigil-demo | gnome-keyring-daemon --unlock --components=secrets >/dev/null
            exec bash scripts/demo.sh "$1"' sh "$demo"
    fi
}

case "${1:-}" in
    test) cmd_test ;;
    run) cmd_run ;;
    *)
        echo "usage: scripts/vigil.sh test|run" >&2
        exit 2
        ;;
esac
