"""The worker's schedule: each due job runs once however many workers tick, failures are recorded, heartbeats show."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import ScheduledJob, WorkerHeartbeat
from server.services import jobs
from server.worker import JOBS, Worker


@pytest.fixture
def schedule(app):
    """The schedule and heartbeats are global tables: each test starts from none and leaves none."""
    def clear():
        with Session(db.engine) as session:
            session.execute(delete(ScheduledJob))
            session.execute(delete(WorkerHeartbeat))
            session.commit()
    clear()
    with Session(db.engine) as session:
        jobs.ensure_schedule(session, {"first": 60, "second": 60})
    yield
    clear()


def job_rows() -> dict[str, ScheduledJob]:
    with Session(db.engine) as session:
        return {job.name: job for job in session.scalars(select(ScheduledJob))}


def test_a_job_held_by_one_worker_is_skipped_by_the_others(app, schedule):
    """While worker a runs a job (its row locked), worker b takes the other due job, and c finds nothing left."""
    seen = {}

    def run_b(name):
        seen["b"] = name
        seen["c"] = jobs.run_next_due(db.engine, "c", lambda _: "ran", ["first", "second"])
        return "ran"

    def run_a(name):
        seen["b_returned"] = jobs.run_next_due(db.engine, "b", run_b, ["first", "second"])
        return "ran"

    a = jobs.run_next_due(db.engine, "a", run_a, ["first", "second"])
    assert {a, seen["b"]} == {"first", "second"} and seen["c"] is None
    assert jobs.run_next_due(db.engine, "a", run_a, ["first", "second"]) is None, "nothing is due for a minute"
    rows = job_rows()
    assert {rows[a].last_worker, rows[seen["b"]].last_worker} == {"a", "b"}
    assert all(row.next_run_at >= row.last_finished_at + timedelta(seconds=59) for row in rows.values())


def test_a_failing_job_is_recorded_and_waits_its_interval(app, schedule):
    def fail(_name):
        raise RuntimeError("the mail relay said no")

    assert jobs.run_next_due(db.engine, "a", fail, ["first"]) == "first"
    row = job_rows()["first"]
    assert (row.last_failed, row.last_outcome) == (True, "RuntimeError: the mail relay said no")
    assert jobs.run_next_due(db.engine, "a", fail, ["first"]) is None


def test_a_job_the_worker_does_not_know_is_left_to_one_that_does(app, schedule):
    assert jobs.run_next_due(db.engine, "old", lambda _: "ran", ["unknown"]) is None
    assert job_rows()["first"].last_worker is None


def test_the_worker_runs_its_jobs_and_its_heartbeat_shows_in_readyz(app, schedule):
    client = app.test_client()
    assert client.get("/readyz").json["checks"]["workers"] == "none has run"
    worker = Worker(app, name="test-host:1")
    with app.app_context():
        jobs.ensure_schedule(db.session, {name: app.config[setting] for name, (_, setting) in JOBS.items()})
    assert sorted(worker.tick()) == ["blob_expiry", "notification_delivery", "sla_sweep"]
    assert worker.tick() == []
    sweep = job_rows()["sla_sweep"]
    assert not sweep.last_failed and sweep.last_outcome.startswith("applications_refreshed=")
    assert client.get("/readyz").json["checks"]["workers"] == "1 alive, last heartbeat 0 s ago"

    with Session(db.engine) as session:
        session.execute(update(WorkerHeartbeat).values(seen_at=datetime.now(UTC) - timedelta(minutes=5)))
        session.commit()
    body = client.get("/readyz").json
    assert body["checks"]["workers"] == "none alive, last heartbeat 300 s ago (test-host:1)"
    assert body["status"] == "ok", "a dead worker does not take the web servers out of the load balancer"
