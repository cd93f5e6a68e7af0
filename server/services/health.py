"""Readiness: the database answers, its schema is at the migrations' head; how the workers and each replica
are doing."""
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from server.migrate import current_revision, head_revision
from server.replicas import ReplicaSet
from server.services import jobs


def readiness(engine: Engine, replicas: ReplicaSet, *, worker_stale_s: int) -> dict:
    """`status` is the web server's own readiness; a dead worker is reported, not made the web server's fault,
    and a replica out of rotation only sends its reads to the primary."""
    head = head_revision()
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
            current = current_revision(connection)
        with Session(engine) as session:
            workers = worker_check(session, worker_stale_s) if current == head else "unknown until migrated"
    except SQLAlchemyError as error:
        return {"status": "unavailable", "checks": {"database": f"unreachable: {error.__class__.__name__}"}}
    migrations = "at head" if current == head else f"at {current}, head is {head}"
    checks = {"database": "reachable", "migrations": migrations, "workers": workers}
    if replicas:
        replicas.check()
        checks["replicas"] = [replica.describe() for replica in replicas.replicas]
    return {"status": "ok" if current == head else "unavailable", "checks": checks}


def worker_check(session: Session, stale_s: int) -> str:
    """`2 alive, last heartbeat 1 s ago`, `none alive, last heartbeat 310 s ago (host:pid)` or `none has run`."""
    beats = jobs.heartbeats(session)
    if not beats:
        return "none has run"
    now = datetime.now(UTC)
    ages = [(now - beat.seen_at).total_seconds() for beat in beats]
    alive = sum(age <= stale_s for age in ages)
    if alive:
        return f"{alive} alive, last heartbeat {max(ages[0], 0):.0f} s ago"
    return f"none alive, last heartbeat {ages[0]:.0f} s ago ({beats[0].worker})"
