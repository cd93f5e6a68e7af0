#!/usr/bin/env bash
# Serves Tapline on 127.0.0.1:8000 and runs its worker beside it (stopped with it). Without DATABASE_URL it starts
# a private PostGIS cluster and seeds a demo tenant whose tokens are fixed, printed strings; with DATABASE_URL it
# serves that database as it is and seeds nothing: predictable tokens must never reach a real database.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
private_cluster=""
if [ -z "${DATABASE_URL:-}" ]; then
  DATABASE_URL="$(scripts/pg.sh start var/pg)"
  private_cluster=yes
  echo "Private PostGIS cluster running (stop it with: make stop)"
fi
export DATABASE_URL
# The console signs its session cookies with this; kept in var/ so sessions survive a restart.
if [ -z "${TAPLINE_SECRET_KEY:-}" ]; then
  [ -s var/secret_key ] || (umask 077 && mkdir -p var && python3 -c 'import secrets; print(secrets.token_hex(32))' > var/secret_key)
  TAPLINE_SECRET_KEY="$(cat var/secret_key)"
fi
export TAPLINE_SECRET_KEY
.venv/bin/tapline db upgrade
if [ -n "$private_cluster" ]; then
  .venv/bin/tapline demo seed
else
  echo "DATABASE_URL is set: no demo tenant seeded (create one with: .venv/bin/tapline tenant create …)"
fi
host="${TAPLINE_HOST:-127.0.0.1}"; port="${TAPLINE_PORT:-8000}"
echo "API:  http://${host}:${port}/api/v1"
echo "Docs: http://${host}:${port}/docs/swagger  (OpenAPI JSON: /docs/openapi.json)"
# Metrics of every gunicorn worker are summed from here (server/metrics.py).
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-var/metrics}"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
# Either process ending (or Ctrl-C, or a TERM to this script) stops both.
.venv/bin/tapline worker &
worker=$!
.venv/bin/gunicorn --bind "${host}:${port}" --workers "${TAPLINE_WORKERS:-2}" wsgi:app &
server=$!
trap 'kill "$worker" "$server" 2>/dev/null || true; wait' EXIT INT TERM
echo "Console: http://${host}:${port}/console  (sign in with a demo user and password above)"
echo "Worker: pid ${worker} (SLA sweep, blob expiry, notification delivery)"
wait -n "$worker" "$server"
