#!/usr/bin/env bash
# The shipped app takes none of the switches that seed, drive or photograph a store (issue 22):
# `vigil --help` names none of them, each is refused as unknown before anything opens, and the
# code behind them (the script driver, the screenshot director) is not in the binary. The test
# build names them all, so this check would see them if they came back.
#   no-test-switches.sh VIGIL VIGIL_TEST
set -u
app="$1" testapp="$2"
export QT_QPA_PLATFORM=offscreen
fail=0
switches=(--script --seed-demo --measure-startup --until-synced --screenshots --screenshot-pin --enrol-code)
help="$("$app" --help 2>&1)" || { echo "FAIL: vigil --help exited $?"; exit 1; }
testhelp="$("$testapp" --help 2>&1)" || { echo "FAIL: vigil-test --help exited $?"; exit 1; }
for s in "${switches[@]}"; do
    if grep -qE -- "$s([ ,=]|\$)" <<<"$help"; then
        echo "FAIL: vigil --help offers $s"; fail=1
    fi
    if ! grep -qE -- "$s([ ,=]|\$)" <<<"$testhelp"; then
        echo "FAIL: vigil-test --help does not offer $s (the check above would miss it)"; fail=1
    fi
    out="$("$app" "$s" x 2>&1)" && { echo "FAIL: vigil $s was accepted"; fail=1; }
    if ! grep -q "Unknown option" <<<"$out"; then
        echo "FAIL: vigil $s was not refused as unknown: $out"; fail=1
    fi
done
for symbol in ScriptDriver ScreenshotDirector; do
    if nm -C "$app" 2>/dev/null | grep -q "vigil::app::$symbol::"; then
        echo "FAIL: vigil holds $symbol"; fail=1
    fi
    if ! nm -C "$testapp" 2>/dev/null | grep -q "vigil::app::$symbol::"; then
        echo "FAIL: vigil-test lacks $symbol (the check above would miss it)"; fail=1
    fi
done
[ "$fail" = 0 ] && echo "vigil takes none of: ${switches[*]}"
exit "$fail"
