#!/usr/bin/env bash
# PgBouncer in transaction pooling mode in front of private clusters made by scripts/pg.sh:
#   pgbouncer.sh start DIR PORT DB CLUSTER_DIR [CLUSTER_DIR...]   prints one URL a line, in the clusters' order
#   pgbouncer.sh stop|destroy DIR
# Database DB of the first cluster is pooled as DB, of the next ones as DB_2, DB_3 ... It listens on
# 127.0.0.1:PORT only and runs as the unprivileged postgres user, like the clusters.
set -euo pipefail
cd "$(dirname "$0")/.."

cmd="$1"; dir="$(realpath -m "$2")"
pg_dir() { TAPLINE_PG_DIR="${TAPLINE_PG_DIR:-}" scripts/pg.sh url "$1" | sed -E 's/.*host=([^&]*)&.*/\1/'; }
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local port="$1" db="$2"; shift 2
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  local databases="" urls="" n=1 alias
  for cluster in "$@"; do
    alias="$db"; [ $n -gt 1 ] && alias="${db}_$n"
    databases+="$alias = host=$(pg_dir "$cluster") port=5439 dbname=$db"$'\n'
    urls+="postgresql+psycopg://postgres@127.0.0.1:$port/$alias"$'\n'
    n=$((n + 1))
  done
  as_owner tee "$dir/userlist.txt" >/dev/null <<<'"postgres" ""'
  # server_login_retry: a standby that comes back is used again within a second, not after 15.
  # query_wait_timeout: a query queued for a server that went away fails in seconds, not after two minutes,
  # so the app reads from the primary instead (and app servers kill a request long before two minutes).
  as_owner tee "$dir/pgbouncer.ini" >/dev/null <<INI
[databases]
$databases
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = ${TAPLINE_PGBOUNCER_POOL_SIZE:-20}
max_client_conn = 1000
server_login_retry = 1
query_wait_timeout = 2
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
  as_owner /usr/sbin/pgbouncer -d -q "$dir/pgbouncer.ini"
  for _ in $(seq 100); do
    if /usr/lib/postgresql/"${TAPLINE_PG_MAJOR:-15}"/bin/pg_isready -q -h 127.0.0.1 -p "$port"; then
      printf '%s' "$urls"; return
    fi
    sleep 0.1
  done
  echo "pgbouncer did not start; its log:" >&2; cat "$dir/pgbouncer.log" >&2; exit 1
}

stop() {
  [ -f "$dir/pgbouncer.pid" ] || return 0
  local pid; pid="$(cat "$dir/pgbouncer.pid")"
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

case "$cmd" in
  start) shift 2; start "$@" ;;
  stop) stop ;;
  destroy) stop; rm -rf "$dir" ;;
  *) echo "usage: pgbouncer.sh start DIR PORT DB CLUSTER_DIR [CLUSTER_DIR...] | pgbouncer.sh stop|destroy DIR" >&2
     exit 2 ;;
esac
