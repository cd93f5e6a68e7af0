#!/usr/bin/env bash
# A private PostGIS cluster for development and tests: `pg.sh start|stop|destroy|url DIR`.
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
resolve_dir() {
  if [ -n "${TAPLINE_PG_DIR:-}" ]; then dir="$TAPLINE_PG_DIR"; return; fi
  if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$dir"
    if ! runuser -u postgres -- test -x "$dir"; then
      dir="/var/tmp/tapline-$(echo -n "$dir" | sha1sum | cut -c1-12)"
    fi
  fi
  # unix socket paths are limited to 107 bytes
  if [ ${#dir} -gt 80 ]; then dir="/var/tmp/tapline-$(echo -n "$dir" | sha1sum | cut -c1-12)"; fi
}

url() { echo "postgresql+psycopg://postgres@/${db}?host=${dir}/run&port=${port}"; }

start() {
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  fi
  as_owner mkdir -p "$dir/run"
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir/run' -p $port -c max_connections=300 -c fsync=${TAPLINE_PG_FSYNC:-on}" >/dev/null
  fi
  if ! as_owner "$bin/psql" -h "$dir/run" -p $port -U postgres -Atqc "select 1 from pg_database where datname='$db'" postgres | grep -q 1; then
    as_owner "$bin/createdb" -h "$dir/run" -p $port -U postgres "$db"
  fi
  as_owner "$bin/psql" -h "$dir/run" -p $port -U postgres -qc "create extension if not exists postgis" "$db" >/dev/null
}

stop() {
  [ -f "$dir/data/PG_VERSION" ] || return 0
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

resolve_dir
case "$cmd" in
  start) start; url ;;
  stop) stop ;;
  destroy) stop; rm -rf "$dir" ;;
  url) url ;;
  *) echo "usage: pg.sh start|stop|destroy|url DIR [DB]" >&2; exit 2 ;;
esac
