#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the tests (issue 26): its own data folder and a free
# port on 127.0.0.1 only, TLS with its own CA, scram-sha-256 over hostssl only, role and
# database `vigil` with a random password in a 0600 file. Never touches the system's cluster.
#
#   scripts/pg-test-cluster.sh start DIR   start (or find running) and print the settings;
#                                          they are also in DIR/env (shell syntax)
#   scripts/pg-test-cluster.sh stop DIR    stop it (nothing running: nothing to do)
#   scripts/pg-test-cluster.sh clean DIR   stop it and delete DIR and the cluster's files
#
# As root (CI containers) the server runs as the `postgres` user via runuser: PostgreSQL
# refuses to run as root. Needs no stdin and no terminal (CI=true).
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

usage() {
    echo "usage: $0 start|stop|clean DIR" >&2
    exit 2
}

[ $# -eq 2 ] || usage
action=$1
dir=$2

# Run a PostgreSQL program as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The cluster's own files (data, server key, socket) live in a folder of the owner's under /tmp,
# named in DIR/pgroot: DIR may be inside a home folder the `postgres` user cannot enter.
pgroot() {
    [ -f "$dir/pgroot" ] && cat "$dir/pgroot"
}

running() {
    root=$(pgroot) || return 1
    [ -f "$root/data/PG_VERSION" ] && as_owner "$PGBIN/pg_ctl" -D "$root/data" status >/dev/null 2>&1
}

stop_cluster() {
    if running; then
        as_owner "$PGBIN/pg_ctl" -D "$(pgroot)/data" -m fast -w -t 60 stop >/dev/null
        echo "PostgreSQL test cluster in $dir stopped."
    fi
}

port_free() {
    # Nothing listening on 127.0.0.1:$1 (bash's /dev/tcp is not in dash: use the kernel's table).
    hex=$(printf '%04X' "$1")
    ! grep -qi ":$hex 00000000:0000 0A" /proc/net/tcp 2>/dev/null &&
        ! grep -qi ":$hex 00000000000000000000000000000000:0000 0A" /proc/net/tcp6 2>/dev/null
}

pick_port() {
    tries=0
    while [ $tries -lt 200 ]; do
        # 20000..59999, from the kernel's random source (no $RANDOM in dash).
        p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
        if port_free "$p"; then
            echo "$p"
            return 0
        fi
        tries=$((tries + 1))
    done
    echo "No free port found on 127.0.0.1 for the test cluster." >&2
    return 1
}

print_env() {
    cat "$dir/env"
}

start_cluster() {
    if [ ! -x "$PGBIN/initdb" ]; then
        echo "PostgreSQL 15 is not installed ($PGBIN/initdb is missing): install the Debian packages" \
             "postgresql and libpq-dev (scripts/debian-packages.txt). The PostgreSQL tests will be skipped." >&2
        exit 0
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if running && [ -f "$dir/env" ]; then
        print_env
        return 0
    fi
    chmod 0700 "$dir"
    owner=$(id -un)
    [ "$(id -u)" -eq 0 ] && owner=postgres
    root=$(pgroot) || root=""

    if [ -z "$root" ] || [ ! -f "$root/data/PG_VERSION" ]; then
        [ -n "$root" ] && rm -rf "$root"
        root=$(mktemp -d "${TMPDIR:-/tmp}/vigil-pg-XXXXXX")
        echo "$root" > "$dir/pgroot"
        mkdir -p "$root/data" "$root/socket"
        umask 077
        # TLS: a CA of the cluster's own and a server certificate for 127.0.0.1 and localhost.
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
            -subj "/CN=Vigil test cluster CA" -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -subj "/CN=127.0.0.1" -keyout "$root/server.key" -out "$root/server.csr" 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' > "$root/san.ext"
        openssl x509 -req -in "$root/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
            -days 30 -extfile "$root/san.ext" -out "$root/server.crt" 2>/dev/null
        rm -f "$root/server.csr" "$root/san.ext" "$dir/ca.srl" "$dir/ca.key"
        chmod 0644 "$dir/ca.crt"
        # The password of role vigil: 0600, owned by whoever runs the tests.
        od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$dir/password"
        chmod 0600 "$dir/password"
        # initdb reads the superuser's password from a file the owner can read; removed after.
        od -An -N24 -tx1 /dev/urandom | tr -d ' \n' > "$root/superpw"
        chown -R "$owner" "$root"
        chmod 0700 "$root" "$root/data"
        as_owner "$PGBIN/initdb" -D "$root/data" -U postgres --pwfile="$root/superpw" \
            -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
            echo "initdb failed; see $dir/initdb.log" >&2
            exit 1
        }
        rm -f "$root/superpw"
        # First start: the local socket only, trusted, to create the role and database.
        cat > "$root/data/pg_hba.conf" <<HBA
local all postgres trust
HBA
        as_owner "$PGBIN/pg_ctl" -D "$root/data" -l "$root/log" -w -t 60 \
            -o "-c listen_addresses= -c unix_socket_directories=$root/socket" start >/dev/null
        password=$(cat "$dir/password")
        as_owner "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$root/socket" -U postgres -d postgres <<SQL
CREATE ROLE vigil LOGIN PASSWORD '$password';
CREATE DATABASE vigil OWNER vigil;
SQL
        as_owner "$PGBIN/pg_ctl" -D "$root/data" -m fast -w stop >/dev/null
        # From now on: TLS from 127.0.0.1 with a password only; no local socket logins at all.
        cat > "$root/data/pg_hba.conf" <<HBA
# TYPE   DATABASE USER  ADDRESS       METHOD
hostssl  vigil    vigil 127.0.0.1/32  scram-sha-256
HBA
        cat >> "$root/data/postgresql.conf" <<CONF
# Vigil test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$root/socket'
ssl = on
ssl_cert_file = '$root/server.crt'
ssl_key_file = '$root/server.key'
ssl_min_protocol_version = 'TLSv1.3'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
shared_buffers = 32MB
CONF
    fi

    attempt=0
    while :; do
        port=$(pick_port)
        if as_owner "$PGBIN/pg_ctl" -D "$root/data" -l "$root/log" -w -t 60 -o "-p $port" start >/dev/null; then
            break
        fi
        attempt=$((attempt + 1))
        if [ $attempt -ge 5 ]; then
            echo "The test cluster did not start; see $root/log" >&2
            exit 1
        fi
    done
    cat > "$dir/env" <<ENV
VIGIL_PG_HOST=127.0.0.1
VIGIL_PG_PORT=$port
VIGIL_PG_DATABASE=vigil
VIGIL_PG_USER=vigil
VIGIL_PG_PASSWORD_FILE=$dir/password
VIGIL_PG_SSLROOTCERT=$dir/ca.crt
VIGIL_PG_CONNINFO='host=127.0.0.1 port=$port dbname=vigil user=vigil sslmode=verify-full sslrootcert=$dir/ca.crt'
ENV
    chmod 0644 "$dir/env"
    print_env
}

case $action in
start) start_cluster ;;
stop)
    [ -d "$dir" ] || exit 0
    stop_cluster
    ;;
clean)
    [ -d "$dir" ] || exit 0
    stop_cluster
    root=$(pgroot) || root=""
    [ -n "$root" ] && rm -rf "$root"
    rm -rf "$dir"
    ;;
*) usage ;;
esac
