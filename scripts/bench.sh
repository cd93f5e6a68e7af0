#!/usr/bin/env bash
# Every benchmark in bench/, one after the other, on a throwaway PostGIS (or DATABASE_URL, which is wiped).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-deps.sh
if [ -z "${DATABASE_URL:-}" ]; then
  cluster="var/pg-bench-$$"
  trap 'scripts/pg.sh destroy "$cluster"' EXIT
  DATABASE_URL="$(scripts/pg.sh start "$cluster" tapline_bench)"
  export BENCH_PG_CLUSTER="$cluster"  # bench_replicas makes its standbys from it
fi
export DATABASE_URL
missed=()
for bench in bench_measure bench_measure_http bench_push bench_pull bench_tasks bench_console bench_sla_sweep \
             bench_blob_upload bench_tablets bench_replicas bench_exports; do
  [ -f "bench/$bench.py" ] || continue
  if [ "$bench" = bench_replicas ] && [ -z "${BENCH_PG_CLUSTER:-}" ]; then
    echo "== $bench: skipped, it needs the private cluster (unset DATABASE_URL)"; continue
  fi
  echo "== $bench"
  # A missed target fails the run, but only after every benchmark has printed its figures.
  .venv/bin/python -m "bench.$bench" || missed+=("$bench")
done
if [ ${#missed[@]} -gt 0 ]; then
  echo "missed a target: ${missed[*]}" >&2
  exit 1
fi
