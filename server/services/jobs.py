"""The schedule of periodic jobs, shared by every worker through the database.

A job is due when its `next_run_at` has passed. A worker claims it by locking its row with `FOR UPDATE SKIP
LOCKED` and keeps that transaction open while the job runs on another connection: a second worker skips the
locked row instead of running the job twice, and a worker that dies mid-job drops its lock with its
connection, so the job is due again at once for the others. No in-process timer decides alone.
"""
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from server.models import ScheduledJob, WorkerHeartbeat
from server.unit_of_work import commits, unit_of_work

log = logging.getLogger("tapline.worker")

#: How much of a failed job's message is kept on its row (the whole traceback is in the log).
OUTCOME_CHARS = 2000


@commits
def ensure_schedule(session: Session, every_s: dict[str, int]) -> None:
    """Add missing jobs (due now) and apply this worker's intervals; commits."""
    now = datetime.now(UTC)
    stmt = insert(ScheduledJob).values([{"name": name, "every_s": seconds, "next_run_at": now, "last_failed": False}
                                        for name, seconds in every_s.items()])
    session.execute(stmt.on_conflict_do_update(index_elements=[ScheduledJob.name],
                                               set_={"every_s": stmt.excluded.every_s}))


def run_next_due(engine: Engine, worker: str, run: Callable[[str], str], known: Iterable[str]) -> str | None:
    """Claim one due job among `known` that nobody else holds, `run(name)` it, record the outcome; its name or None.

    `known` keeps a worker of an older release away from jobs it does not have (a rolling upgrade).
    A job that raises is logged and marked failed on its row; it is due again after its interval either way,
    so a job that always fails does not spin.
    """
    with Session(engine) as lock, unit_of_work(lock):
        job = lock.scalars(select(ScheduledJob)
                           .where(ScheduledJob.next_run_at <= func.now(), ScheduledJob.name.in_(list(known)))
                           .order_by(ScheduledJob.next_run_at).limit(1).with_for_update(skip_locked=True)).first()
        if job is None:
            return None
        started = datetime.now(UTC)
        job.last_started_at, job.last_worker = started, worker
        try:
            job.last_outcome, job.last_failed = run(job.name), False
        except Exception as error:
            log.exception("job %s failed", job.name)
            job.last_outcome, job.last_failed = f"{error.__class__.__name__}: {error}"[:OUTCOME_CHARS], True
        finally:
            finished = datetime.now(UTC)
            job.last_finished_at, job.last_duration_s = finished, (finished - started).total_seconds()
            job.next_run_at = finished + timedelta(seconds=job.every_s)
        return job.name


@commits
def beat(session: Session, worker: str, started_at: datetime) -> None:
    """Record that `worker` is alive now; commits."""
    stmt = insert(WorkerHeartbeat).values(worker=worker, started_at=started_at, seen_at=func.now())
    session.execute(stmt.on_conflict_do_update(index_elements=[WorkerHeartbeat.worker],
                                               set_={"seen_at": stmt.excluded.seen_at}))


@commits
def sign_off(session: Session, worker: str) -> None:
    """A worker that stops cleanly removes its heartbeat, so that it is not mistaken for a dead one."""
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.worker == worker))


@commits
def forget_dead(session: Session, older_than: timedelta) -> int:
    """Drop heartbeats older than `older_than` (workers gone for good); returns how many."""
    return session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.seen_at < func.now() - older_than)).rowcount


def heartbeats(session: Session) -> list[WorkerHeartbeat]:
    """Every worker's last heartbeat, latest first."""
    return list(session.scalars(select(WorkerHeartbeat).order_by(WorkerHeartbeat.seen_at.desc())))


def schedule(session: Session) -> list[ScheduledJob]:
    """Every job with its last run."""
    return list(session.scalars(select(ScheduledJob).order_by(ScheduledJob.name)))

