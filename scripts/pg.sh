#!/usr/bin/env bash
# A private PostGIS cluster for development and tests: `pg.sh start|stop|destroy|url DIR [DB]`, and a
# hot standby of one: `pg.sh replica DIR PRIMARY_DIR [DB]` (streams from the primary started with DIR).
# It listens on a unix socket only (no TCP port to collide with), and runs as an unprivileged
# user because postgres refuses to run as root.
set -euo pipefail

cmd="$1"; dir="$(realpath -m "$2")"; db="${3:-tapline}"
PG_MAJOR="${TAPLINE_PG_MAJOR:-15}"
bin="/usr/lib/postgresql/${PG_MAJOR}/bin"
port=5439

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The postgres user must be able to reach DIR; a clone under /root is not reachable, so the
# cluster then lives in a per-project folder under /var/tmp (or TAPLINE_PG_DIR).
resolve_dir() {  # resolve_dir DIR: prints where that cluster lives
  local dir="$1"
  if [ -n "${TAPLINE_PG_DIR:-}" ]; then echo "$TAPLINE_PG_DIR"; return; fi
  if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$dir"
    if ! runuser -u postgres -- test -x "$dir"; then
      dir="/var/tmp/tapline-$(echo -n "$dir" | sha1sum | cut -c1-12)"
    fi
  fi
  # unix socket paths are limited to 107 bytes
  if [ ${#dir} -gt 80 ]; then dir="/var/tmp/tapline-$(echo -n "$dir" | sha1sum | cut -c1-12)"; fi
  echo "$dir"
}

url() { echo "postgresql+psycopg://postgres@/${db}?host=${dir}/run&port=${port}"; }

run_server() {
  as_owner mkdir -p "$dir/run"
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir/run' -p $port -c max_connections=300 -c fsync=${TAPLINE_PG_FSYNC:-on}" >/dev/null
  fi
}

start() {
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  fi
  run_server
  if ! as_owner "$bin/psql" -h "$dir/run" -p $port -U postgres -Atqc "select 1 from pg_database where datname='$db'" postgres | grep -q 1; then
    as_owner "$bin/createdb" -h "$dir/run" -p $port -U postgres "$db"
  fi
  as_owner "$bin/psql" -h "$dir/run" -p $port -U postgres -qc "create extension if not exists postgis" "$db" >/dev/null
}

# A hot standby: a base backup of the running primary whose -R settings make it stream from it (initdb's
# pg_hba trusts local replication connections, and wal_level=replica is the default).
replica() {
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/pg_basebackup" -h "$primary/run" -p $port -U postgres -D "$dir/data" -R -X stream -c fast
  fi
  run_server
}

stop() {
  [ -f "$dir/data/PG_VERSION" ] || return 0
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

dir="$(resolve_dir "$dir")"
case "$cmd" in
  start) start; url ;;
  replica) primary="$(resolve_dir "$(realpath -m "$3")")"; db="${4:-tapline}"; replica; url ;;
  stop) stop ;;
  destroy) stop; rm -rf "$dir" ;;
  url) url ;;
  *) echo "usage: pg.sh start|stop|destroy|url DIR [DB] | pg.sh replica DIR PRIMARY_DIR [DB]" >&2; exit 2 ;;
esac
