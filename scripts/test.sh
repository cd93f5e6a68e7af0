#!/usr/bin/env bash
# The whole suite against a throwaway PostGIS cluster (or TEST_DATABASE_URL when given).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  cluster="var/pg-test-$$"
  trap 'scripts/pg.sh destroy "$cluster"' EXIT
  TEST_DATABASE_URL="$(TAPLINE_PG_FSYNC=off scripts/pg.sh start "$cluster" tapline_test)"
fi
export TEST_DATABASE_URL
.venv/bin/ruff check .
.venv/bin/lint-imports --no-logo setup.cfg
.venv/bin/pytest "$@"
