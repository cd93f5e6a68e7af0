#!/usr/bin/env bash
# The whole suite against a throwaway PostGIS cluster (or TEST_DATABASE_URL when given).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  cluster="var/pg-test-$$"
  # the standby and PgBouncer are made by the tests that need them (tests/replication.py)
  trap 'scripts/pgbouncer.sh destroy "$cluster-pgbouncer"; scripts/pg.sh destroy "$cluster-standby"
        scripts/pg.sh destroy "$cluster"' EXIT
  TEST_DATABASE_URL="$(TAPLINE_PG_FSYNC=off scripts/pg.sh start "$cluster" tapline_test)"
  export TEST_PG_CLUSTER="$cluster"
fi
export TEST_DATABASE_URL
.venv/bin/ruff check .
.venv/bin/lint-imports --no-logo setup.cfg
.venv/bin/pytest "$@"
