#!/usr/bin/env bash
# Render the app's review screenshots (1280x800, or the screen VIGIL_SCREEN_SIZE names, e.g.
# 800x1280 for a portrait tablet or 1920x1080 for a desktop) into docs/screenshots/: a fresh demo
# server and app in a temporary folder, a throwaway key store, the app walked through its
# screens by `vigil-test --screenshots` (the app built with its test switches, never shipped):
# enrol, refused PIN, home, draft, the 124D wizard (a DASH question, high risk, the problems
# after a refused submit, evidence with a synthetic photo, the consent part with a lawful basis
# but not yet why, referrals, the restriction switch as an officer sees it), a returned 124D with
# QA notes; sync states, unlock, wrong PIN, lockout.
# Needs a built app: build/dev by default (cmake --build --preset dev --target vigil vigil-test
# vigil-server vigil-admin vigil-device), or the build folder in VIGIL_BUILD_DIR.
#   [VIGIL_BUILD_DIR=build/mine] scripts/screenshots.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
out="${1:-$here/docs/screenshots}"
demo="$(mktemp -d /tmp/vigil-shots-XXXXXX)"
trap 'rm -rf "$demo"' EXIT
mkdir -p "$out"
export VIGIL_DEMO_PORT="${VIGIL_DEMO_PORT:-18443}"
if [ -n "${VIGIL_BUILD_DIR:-}" ]; then
    VIGIL_BUILD_DIR="$(cd "$VIGIL_BUILD_DIR" && pwd)"
    export VIGIL_BUILD_DIR
fi
# The demo on a virtual screen (Xvfb) with a throwaway key store, as `scripts/vigil.sh run`
# runs it: everything it starts is stopped when it ends.
scripts/vigil.sh session "$demo" xvfb private --screenshots "$out"
echo "Screenshots in $out"
