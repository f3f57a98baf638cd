#!/usr/bin/env bash
# Render the app's review screenshots (1280x800) into docs/screenshots/: a fresh demo
# server and app in a temporary folder, a throwaway key store, the app walked through its
# screens by `vigil --screenshots` (enrol, refused PIN, home, draft, sync states, unlock,
# wrong PIN, lockout). Needs a `dev` build (scripts/vigil.sh run or cmake --build --preset dev).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
out="${1:-$here/docs/screenshots}"
demo="$(mktemp -d /tmp/vigil-shots-XXXXXX)"
trap 'rm -rf "$demo"' EXIT
mkdir -p "$demo/keyring" "$out"
export VIGIL_DEMO_PORT="${VIGIL_DEMO_PORT:-18443}"
# shellcheck disable=SC2016
xvfb-run -a -s '-screen 0 1280x800x24' env XDG_DATA_HOME="$demo/keyring" dbus-run-session -- sh -c '
    echo -n vigil-demo | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec bash scripts/demo.sh "$1" --screenshots "$2"' sh "$demo" "$out"
echo "Screenshots in $out"
