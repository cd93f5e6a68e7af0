"""`/metrics` in Prometheus's text format: per-request metrics from every gunicorn worker, and the database's view.

Under gunicorn each worker is a process with its own counters. With `PROMETHEUS_MULTIPROC_DIR` set (as
`make run` sets it) prometheus-client keeps them in files there and a scrape of any worker sums all of
them; gunicorn.conf.py clears a dead worker's gauges. Without it (one process, the tests) the counters are
the process's own. What the database knows (jobs, worker heartbeats, the outbox) is read at scrape time, so
it is right whichever process and whichever machine answers.
"""
import os
import time
from collections.abc import Iterable, Mapping

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from server.extensions import db
from server.services import jobs
from server.services.notifications import outbox

REQUEST_SECONDS = Histogram("tapline_http_request_duration_seconds", "Time to answer a request, by route template",
                            ["method", "route", "status"])
PUSHED = Counter("tapline_sync_push_mutations_total", "Pushed mutations by result", ["result"])
PULL_PAGES = Counter("tapline_sync_pull_pages_total",
                     "Pull pages served; has_more=true means the device is still behind (lag)", ["has_more"])
PULL_CHANGES = Histogram("tapline_sync_pull_page_changes", "Changes per pull page",
                         buckets=(0, 1, 10, 50, 100, 250, 500, 1000))
POOL_IN_USE = Gauge("tapline_db_pool_connections_in_use", "Database connections checked out, summed over live workers",
                    multiprocess_mode="livesum")
POOL_OPEN = Gauge("tapline_db_pool_connections_open", "Database connections open in the pools of live workers",
                  multiprocess_mode="livesum")

blp = Blueprint("metrics", __name__)


@blp.get("/metrics")
def scrape():
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessCollector())
    registry.register(_DatabaseCollector(current_app.config["WORKER_STALE_SECONDS"]))
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.register_blueprint(blp)

    @app.before_request
    def _start():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        route = request.url_rule.rule if request.url_rule else "unmatched"
        if route != "/metrics":
            REQUEST_SECONDS.labels(request.method, route, str(response.status_code)).observe(
                time.perf_counter() - g.get("metrics_started", time.perf_counter()))
        pool = db.engine.pool
        POOL_IN_USE.set(pool.checkedout())
        POOL_OPEN.set(pool.checkedin() + pool.checkedout())
        return response


def count_push(results: Mapping[str, int]) -> None:
    """A push's mutations, by result."""
    for result, count in results.items():
        PUSHED.labels(result).inc(count)


def count_pull(page: dict) -> None:
    PULL_PAGES.labels(str(page["has_more"]).lower()).inc()
    PULL_CHANGES.observe(len(page["changes"]))


class _ProcessCollector:
    """This process's metrics (no multiprocess directory): the default registry's."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


class _DatabaseCollector:
    """Jobs, worker heartbeats and the outbox, read when scraped."""

    def __init__(self, stale_s: int):
        self.stale_s = stale_s

    def collect(self) -> Iterable[Metric]:
        duration = GaugeMetricFamily("tapline_job_last_duration_seconds",
                                     "How long each job's last run took (sla_sweep: the sweep's duration)",
                                     labels=["job"])
        finished = GaugeMetricFamily("tapline_job_last_run_timestamp_seconds", "When each job last finished",
                                     labels=["job"])
        failed = GaugeMetricFamily("tapline_job_last_failed", "1 when the job's last run failed", labels=["job"])
        alive = GaugeMetricFamily("tapline_workers_alive", "Workers whose heartbeat is fresh")
        beat = GaugeMetricFamily("tapline_worker_last_heartbeat_timestamp_seconds",
                                 "The latest heartbeat of any worker")
        notifications = GaugeMetricFamily("tapline_notifications", "Notifications in the outbox by state",
                                          labels=["state"])
        try:
            with Session(db.engine) as session:
                schedule, beats = jobs.schedule(session), jobs.heartbeats(session)
                by_state = outbox.count_by_state(session)
        except SQLAlchemyError:
            return []
        for job in schedule:
            if job.last_finished_at is not None:
                duration.add_metric([job.name], job.last_duration_s)
                finished.add_metric([job.name], job.last_finished_at.timestamp())
                failed.add_metric([job.name], float(job.last_failed))
        now = time.time()
        alive.add_metric([], sum(now - b.seen_at.timestamp() <= self.stale_s for b in beats))
        if beats:
            beat.add_metric([], max(b.seen_at.timestamp() for b in beats))
        for state, count in by_state.items():
            notifications.add_metric([state], count)
        return [duration, finished, failed, alive, beat, notifications]
