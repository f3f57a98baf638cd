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

cmd_run() {
    install_packages
    build dev
    cat <<'MSG'

The officer app (`vigil`) is not built yet: it arrives with the officer-app issue.
What exists today is the core library, the encrypted device store and their tests:
run `scripts/vigil.sh test` to build and check them.
MSG
    return 1
}

case "${1:-}" in
    test) cmd_test ;;
    run) cmd_run ;;
    *)
        echo "usage: scripts/vigil.sh test|run" >&2
        exit 2
        ;;
esac
