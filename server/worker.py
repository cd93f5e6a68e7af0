"""`tapline worker`: the periodic jobs (SLA sweep, blob expiry, notification delivery) on their schedules.

Run as many as you like, on as many machines: the schedule lives in the database (server/services/jobs.py),
each due job is run by the one worker that locked it, and each worker's heartbeat shows in `/readyz`.
"""
import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from server.extensions import db
from server.services import alerts, blobs, jobs
from server.services.notifications import delivery
from server.services.notifications.outbox import Targets

log = logging.getLogger("tapline.worker")

#: A heartbeat older than this belongs to a worker that will not come back; it is dropped at start-up.
FORGET_AFTER = timedelta(days=1)


def sla_sweep() -> str:
    config = current_app.config
    counts = alerts.run_sweep(db.session, at=datetime.now(UTC), warning_share=config["SLA_WARNING_SHARE"],
                              escalation_grace=timedelta(hours=config["SLA_ESCALATION_GRACE_HOURS"]),
                              targets=Targets.from_config(config))
    return " ".join(f"{name}={count}" for name, count in counts.items())


def blob_expiry() -> str:
    expired = blobs.expire_partial_uploads(db.session, current_app.extensions["tapline_blobs"],
                                           timedelta(hours=current_app.config["BLOB_EXPIRE_AFTER_HOURS"]))
    return f"expired={expired}"


def notification_delivery() -> str:
    channels = delivery.open_channels(current_app.config)
    try:
        counts = delivery.deliver(db.engine, channels, current_app.config)
    finally:
        for channel in channels.values():
            channel.close()
    return " ".join(f"{state}={count}" for state, count in counts.items())


#: Each job and the setting that holds its interval in seconds.
JOBS: dict[str, tuple[Callable[[], str], str]] = {
    "sla_sweep": (sla_sweep, "WORKER_SLA_SWEEP_SECONDS"),
    "blob_expiry": (blob_expiry, "WORKER_BLOB_EXPIRY_SECONDS"),
    "notification_delivery": (notification_delivery, "WORKER_DELIVERY_SECONDS"),
}


class Worker:
    """One worker process: beats, runs whatever is due, sleeps `WORKER_POLL_SECONDS`, until `stop()`."""

    def __init__(self, app: Flask, name: str | None = None):
        self.app = app
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.started_at = datetime.now(UTC)
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        with self.app.app_context():
            jobs.ensure_schedule(db.session, {name: self.app.config[setting] for name, (_, setting) in JOBS.items()})
            jobs.forget_dead(db.session, FORGET_AFTER)
        log.info("worker %s started", self.name)
        while not self._stopping.is_set():
            self.tick()
            self._stopping.wait(self.app.config["WORKER_POLL_SECONDS"])
        with self.app.app_context():
            jobs.sign_off(db.session, self.name)
        log.info("worker %s stopped", self.name)

    def tick(self) -> list[str]:
        """Beat, then run every job that is due and not held by another worker; the names of those run."""
        ran = []
        try:
            with self.app.app_context():
                jobs.beat(db.session, self.name, self.started_at)
            while not self._stopping.is_set() and (name := self._run_next()):
                ran.append(name)
        except SQLAlchemyError:
            # The database is away (restart, failover): the schedule waits there, so try again next tick.
            log.exception("worker %s cannot reach the database", self.name)
        return ran

    def _run_next(self) -> str | None:
        return jobs.run_next_due(db.engine, self.name, self._run_job, JOBS)

    def _run_job(self, name: str) -> str:
        with self.app.app_context():
            outcome = JOBS[name][0]()
        log.info("job %s: %s", name, outcome)
        return outcome
