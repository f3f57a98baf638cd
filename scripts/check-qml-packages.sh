#!/usr/bin/env bash
# Every QML module the app or its tests import must come from a Debian package that
# scripts/debian-packages.txt names, directly or as a package that depends on it. A module
# installed by hand on one machine is missing on a new one, and the app then shows "the user
# interface could not be loaded" (QtQuick.Dialogs did exactly that).
#
#   scripts/check-qml-packages.sh QML_INSTALL_DIR PACKAGE_LIST SOURCE_DIR...
#
# Prints one line per module and ends with "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 QML_INSTALL_DIR PACKAGE_LIST SOURCE_DIR..." >&2
    exit 2
fi
qml_dir="$1"
list="$2"
shift 2

# The modules imported by name (quoted imports are folders; Vigil and VigilTest are ours).
mapfile -t modules < <(grep -rhoE --include='*.qml' '^[[:space:]]*import[[:space:]]+[A-Za-z][A-Za-z0-9_.]*' "$@" \
    | awk '{print $2}' | grep -vE '^(Vigil|VigilTest|QtQml)$' | sort -u)
if [ ${#modules[@]} -eq 0 ]; then
    echo "No QML imports found under $*: the check has nothing to check, which is itself wrong." >&2
    exit 1
fi

mapfile -t listed < <(grep -v '^\s*#' "$list" | grep -v '^\s*$' | sed 's/[[:space:]].*//')

# Registered by the QML engine itself (libQt6Qml), with no qmldir of its own on Debian 12.
builtin='QtQml'

listed_names() { printf '%s\n' "${listed[@]}"; }

# A QML file without its comments: Qt's own files show example imports in their documentation
# (QtMultimedia's Video.qml documents `import QtSystemInfo 5.0`, a Qt 5 module), which are
# not imports. Perl is Essential in Debian.
without_comments() { perl -0777 -pe 's{/\*.*?\*/}{}gs; s{//[^\n]*}{}g' "$1"; }

# Direct dependencies of every listed package that is installed, one name per line.
dependencies=""
for p in "${listed[@]}"; do
    deps="$(dpkg-query -W -f='${Depends},${Pre-Depends}\n' "$p" 2>/dev/null || true)"
    dependencies+="$(printf '%s' "$deps" | tr ',|' '\n\n' | sed -E 's/^[[:space:]]+//; s/[[:space:]:].*$//' | grep -v '^$')"$'\n'
done

# The modules a module needs in turn: its qmldir's depends/import lines and the imports of
# the QML files it ships (QtQuick.Dialogs' file dialog imports Qt.labs.folderlistmodel, which
# no package QtQuick.Dialogs depends on brings). Followed to the end, each module once.
needs_of() {
    local dir="$qml_dir/${1//.//}"
    [ -f "$dir/qmldir" ] || return 0
    {
        sed -nE 's/^(depends|import)[[:space:]]+([A-Za-z][A-Za-z0-9_.]*).*/\2/p' "$dir/qmldir"
        # Type lines name the module's own QML files: "FileDialog 6.0 qml/+Material/FileDialog.qml".
        sed -nE 's/^[A-Z][A-Za-z0-9_]*[[:space:]]+[0-9.]+[[:space:]]+([^[:space:]]+\.qml)[[:space:]]*$/\1/p' "$dir/qmldir" \
            | while read -r file; do
                  without_comments "$dir/$file" 2>/dev/null | grep -hoE '^[[:space:]]*import[[:space:]]+[A-Za-z][A-Za-z0-9_.]*'
              done | awk '{print $2}'
        # Implementation modules in child folders (QtQuick.Dialogs.quickimpl,
        # QtQuick.Controls.Material.impl) are loaded by their parent's plugin, not imported.
        for sub in "$dir"/*impl; do
            [ -f "$sub/qmldir" ] && sed -nE 's/^module[[:space:]]+([A-Za-z][A-Za-z0-9_.]*).*/\1/p' "$sub/qmldir"
        done
    } | grep -vxE "$builtin" | sort -u
}

declare -A seen=()
declare -A needed_by=()
queue=("${modules[@]}")
for m in "${modules[@]}"; do seen[$m]=1; needed_by[$m]="the app"; done
all=()
while [ ${#queue[@]} -gt 0 ]; do
    module="${queue[0]}"
    queue=("${queue[@]:1}")
    all+=("$module")
    while read -r next; do
        [ -n "$next" ] || continue
        [ -n "${seen[$next]:-}" ] && continue
        seen[$next]=1
        needed_by[$next]="$module"
        queue+=("$next")
    done < <(needs_of "$module")
done

passed=0
failed=0
for module in "${all[@]}"; do
    qmldir="$qml_dir/${module//.//}/qmldir"
    why="(needed by ${needed_by[$module]})"
    if [ ! -f "$qmldir" ]; then
        echo "FAIL $module $why: no QML module is installed at $qmldir. Find the Debian package that ships it" \
             "(apt-file search '${module//.//}/qmldir', or TOOLCHAIN.md) and add it to $list."
        failed=$((failed + 1))
        continue
    fi
    owner="$(dpkg -S "$qmldir" 2>/dev/null | head -n1 | cut -d: -f1)"
    if [ -z "$owner" ]; then
        echo "FAIL $module $why: $qmldir belongs to no Debian package (installed by hand?). Install it from" \
             "Debian's package and add that package to $list."
        failed=$((failed + 1))
        continue
    fi
    # Not `listed_names | grep -q`: grep -q stops at the first match, the writer can then die of
    # SIGPIPE, and with pipefail a listed package was now and then reported as missing.
    if grep -qxF -- "$owner" <<<"$(listed_names)"; then
        echo "ok   $module: $owner (listed)"
        passed=$((passed + 1))
    elif grep -qxF -- "$owner" <<<"$dependencies"; then
        echo "ok   $module: $owner (a dependency of a listed package)"
        passed=$((passed + 1))
    else
        echo "FAIL $module $why: shipped by $owner, which $list does not name and no listed package depends" \
             "on. Add $owner to $list."
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
