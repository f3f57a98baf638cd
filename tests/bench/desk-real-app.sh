#!/usr/bin/env bash
# The real `vigil` app as a borough supervisor over 50,000 incidents: its own first sync, then
# its resident memory with the desk open (docs/performance.md, "The supervisor's desk (issue 23)").
# Needs a server folder kept by the borough benchmark, and a D-Bus session with an unlocked key
# store, e.g.
#   VIGIL_BENCH_KEEP=/tmp/borough VIGIL_BENCH_PORT=18444 build/ci/tests/bench/sync/vigil_bench_sync_borough
#   k=$(mktemp -d); XDG_DATA_HOME=$k XDG_RUNTIME_DIR=$k dbus-run-session -- sh -c \
#     'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
#      exec xvfb-run -a -s "-screen 0 1920x1080x24" tests/bench/desk-real-app.sh build/ci /tmp/borough'
# Phases: the kept folder served by a real vigil-server; the app enrolled as ds.app (a borough
# supervisor), its PIN set and its first sync run to the end (`vigil-test --script`: enrol, set-pin,
# wait for the sync); then a second start: unlock (Argon2id at the production setting), the
# desk opens on the QA queue (the desk reads every list of it: queue, reviews due, risk meeting,
# returns, conflicts), stay SETTLE seconds, open the newest submitted 124D for review, stay, quit.
# /proc/PID/status is sampled every 0.2 s in both starts: VmRSS over time and VmHWM, with the peak
# reset (clear_refs) once the home screen is up, so the unlock's key derivation is told apart.
set -euo pipefail
b=$(cd "${1:-build/ci}" && pwd)
keep=$(cd "${2:?the folder VIGIL_BENCH_KEEP named}" && pwd)
w=$(mktemp -d /tmp/vigil-desk-app-XXXXXX)
trap 'kill "${spid:-}" 2>/dev/null || true; rm -rf "$w"' EXIT
admin() { "$b/sync/vigil-admin" --data-dir "$keep/server" "$@"; }
"$b/sync/vigil-server" --config "$keep/server/server.json" 2>>"$w/server.log" &
spid=$!
for _ in $(seq 1 300); do grep -q '"event":"listening"' "$w/server.log" 2>/dev/null && break; sleep 0.2; done
code=$(admin enrol-code create --user ds.app --expires 30m --no-qr | grep -o 'vigil1:[^ ]*' | head -n1)
id=$(head -n1 "$keep/submitted.txt")

# Sample /proc/PID/status of the app until it exits: "epoch-seconds VmRSS VmHWM" (kB).
sample() {
    local pid=$1 out=$2
    while [ -r "/proc/$pid/status" ]; do
        awk -v t="$(date +%s.%N)" '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{if (r) print t, r, h}' \
            "/proc/$pid/status" >>"$out" 2>/dev/null || true
        sleep 0.2
    done
}
report() {  # $1 samples, $2 label, $3 epoch from which "after" counts (optional)
    awk -v l="$2" -v from="${3:-0}" 'NR == 1 { t0 = $1 }
        { if ($2 > m) { m = $2; at = $1 - t0 } ; if ($1 >= from && $2 > ma) ma = $2; last = $2; hwm = $3; end = $1 - t0 }
        END { printf "%s: %.0f s; VmRSS max %.0f MB (at %.0f s)%s, at the end %.0f MB; VmHWM at the end %.0f MB\n",
              l, end, m / 1024, at, (from > 0 ? sprintf(", after the peak reset %.0f MB", ma / 1024) : ""),
              last / 1024, hwm / 1024 }' "$1"
}

# 1. Enrol, set the PIN, first sync to the end (the home screen shows the desk while it runs).
# APP=DIR: skip this, use an app folder already enrolled and synced (copied into the work folder).
if [ -n "${APP:-}" ]; then
    cp -a "$APP" "$w/app"
else
    # Stay FIRST_SYNC_WAIT seconds (the app locks itself after 5 minutes without input, so
    # wait-idle cannot be used when the first sync takes longer; the server's log says when it ended).
    printf 'enrol\nset-pin\nsleep %s\nquit\n' "$(( ${FIRST_SYNC_WAIT:-500} * 1000 ))" >"$w/first.script"
    t0=$(date +%s.%N)
    "$b/qml/vigil-test" --data-dir "$w/app" --enrol-code "$code" --script "$w/first.script" >"$w/first.out" 2>&1 <<<582914 &
    apid=$!
    sample "$apid" "$w/first.samples" &
    wait "$apid"
    enrolled=$(grep '"event":"device_enrolled"' "$w/server.log" | tail -n1 | grep -o '"time":"[^"]*"' | cut -d'"' -f4)
    last=$(grep -E '"path":"/v1/(snapshot|pull)"' "$w/server.log" | tail -n1 | grep -o '"time":"[^"]*"' | cut -d'"' -f4)
    echo "first sync in the real app: enrolled at $enrolled, its last snapshot/pull request answered at $last:" \
        "$(echo "$(date -d "$last" +%s.%N) - $(date -d "$enrolled" +%s.%N)" | bc) s" \
        "($(grep -c '"path":"/v1/snapshot"' "$w/server.log") snapshot pages)"
    report "$w/first.samples" "  memory during it"
    find "$w/app" -type f -size +1M -printf "  %s bytes  %P\\n"
    cp "$w/first.samples" "$keep/" 2>/dev/null || true
fi

# 2. Unlock, the desk, one review. DESK_RUNS times (default 2).
for run in $(seq 1 "${DESK_RUNS:-2}"); do
    rm -f "$w/reset" "$w/desk.samples"
    printf 'unlock\nsleep %s\nopen %s\nsleep %s\nquit\n' "$(( ${SETTLE:-30} * 1000 ))" "$id" "$(( ${SETTLE:-30} * 1000 ))" >"$w/desk.script"
    "$b/qml/vigil-test" --data-dir "$w/app" --script "$w/desk.script" >"$w/desk.out" 2>&1 <<<582914 &
    apid=$!
    sample "$apid" "$w/desk.samples" &
    # Reset the peak once the unlock's key derivation is over: the first sample after it whose
    # VmRSS has fallen below its peak by 150 MB (Argon2id MODERATE holds 256 MiB while it runs).
    (
        while [ -r "/proc/$apid/status" ]; do
            hwm=$(awk '/^VmHWM/{print $2}' "/proc/$apid/status" 2>/dev/null || echo 0)
            rss=$(awk '/^VmRSS/{print $2}' "/proc/$apid/status" 2>/dev/null || echo 0)
            if [ "${hwm:-0}" -gt 200000 ] && [ $(( hwm - rss )) -gt 150000 ]; then
                echo "$(date +%s.%N) peak reset: VmHWM was $(( hwm / 1024 )) MB, VmRSS $(( rss / 1024 )) MB" >"$w/reset"
                echo 5 >"/proc/$apid/clear_refs"
                break
            fi
            sleep 0.2
        done
    ) &
    wait "$apid" || { cat "$w/desk.out"; exit 1; }
    sleep 0.5
    reset=$(cut -d' ' -f1 "$w/reset" 2>/dev/null || echo 0)
    cut -d' ' -f2- "$w/reset" 2>/dev/null || echo "peak not reset (the unlock never held 150 MB more than after it)"
    report "$w/desk.samples" "desk run $run: unlock, queue, reviews, one review open" "$reset"
    tail -n 5 "$w/desk.out"
    cp "$w/desk.samples" "$keep/desk-$run.samples" 2>/dev/null || true
done
