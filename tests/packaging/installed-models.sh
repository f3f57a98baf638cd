#!/usr/bin/env bash
# packaging.installed_models: an installed copy of the server programs reads the risk models and
# rules from <prefix>/share/vigil/risk-models, found beside the program, and never from the
# source tree it was built from (which is on this machine, so a program that fell back to it
# would pass unnoticed); when the installed copy is missing, it refuses to start and names where
# it looked.
#   installed-models.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"
src="$2"

work="$(mktemp -d /tmp/vigil-installed-XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/root"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# DESTDIR keeps the absolute destinations (/etc/vigil, /lib/systemd) inside the staging folder.
DESTDIR="$root" cmake --install "$build" --prefix /usr >"$work/install.log" ||
    { cat "$work/install.log" >&2; fail "cmake --install into $root failed"; }
models="$root/usr/share/vigil/risk-models"
for f in rules-default.json rules-authority.json sharing-idva.json sharing-police.json rules-outcomes.json \
    rules-diversity.json dash-2009.json bank-holidays-england-and-wales.json; do
    [ -f "$models/$f" ] || fail "$f was not installed in $models"
done
admin="$root/usr/sbin/vigil-admin"
server="$root/usr/sbin/vigil-server"
if ! { [ -x "$admin" ] && [ -x "$server" ]; }; then
    fail "vigil-admin and vigil-server were not installed in $root/usr/sbin"
fi

# 1. Installed with its models: init writes "risk_model_dir": "" (the shipped folder) and the
#    server loads every model and rule from the installed copy.
"$admin" init --data-dir "$work/srv" --port 0 >"$work/init.log" 2>&1 ||
    { cat "$work/init.log" >&2; fail "the installed vigil-admin init failed"; }
grep -q '"risk_model_dir": ""' "$work/srv/server.json" ||
    fail "init did not leave risk_model_dir empty (the installed models): $(grep risk_model_dir "$work/srv/server.json")"
"$server" --check --config "$work/srv/server.json" >"$work/check.log" 2>&1 ||
    { cat "$work/check.log" >&2; fail "the installed vigil-server --check failed with its models installed"; }

# 2. The installed models removed: both programs refuse, name the installed folder they looked
#    in, and never the source tree's.
mv "$models" "$work/models-aside"
rc=0
"$server" --check --config "$work/srv/server.json" >"$work/missing.log" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/missing.log" >&2; fail "vigil-server --check without its models exited $rc, not 1"; }
grep -qF "$models" "$work/missing.log" ||
    { cat "$work/missing.log" >&2; fail "vigil-server's refusal does not name $models"; }
if grep -qF "$src/core/risk-models" "$work/missing.log"; then
    cat "$work/missing.log" >&2
    fail "the installed vigil-server looked in the source tree ($src/core/risk-models)"
fi
rc=0
"$admin" --data-dir "$work/srv" user list >"$work/admin-missing.log" 2>&1 || rc=$?
if ! { [ "$rc" -eq 1 ] && grep -qF "$models" "$work/admin-missing.log"; }; then
    cat "$work/admin-missing.log" >&2
    fail "vigil-admin without the models did not refuse naming $models (exit $rc)"
fi

# 3. The same programs run from the build tree still read the source tree's models.
"$build/sync/vigil-server" --check --config "$work/srv/server.json" >"$work/build-tree.log" 2>&1 ||
    { cat "$work/build-tree.log" >&2; fail "vigil-server run from the build tree did not find the source tree's models"; }
echo "The installed programs read $models, and refuse without it naming where they looked."
