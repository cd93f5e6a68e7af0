"""The one place a service's work is committed: a unit of work stores all of it or, when it raises, none of it.

A public service that writes is a unit of work of its own (`@commits` on its definition, or `with
unit_of_work(session):` around the part that is). A unit entered inside another, as when a service calls a
service, joins it: only the outermost commits, so the caller's work and the callee's are stored together.
Helpers never commit; they run in their caller's unit. A request that only read ends its transaction here too
(`end_read`).
"""
import functools
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

_OPEN = "tapline_unit_of_work"


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit what the block did when it ends cleanly; roll it all back when it raises."""
    if session.info.get(_OPEN):
        yield session
        return
    session.info[_OPEN] = True
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        del session.info[_OPEN]


def commits(service):
    """Make `service(session, ...)` a unit of work: it commits when it returns and stores nothing when it raises."""

    @functools.wraps(service)
    def committing(session: Session, *args, **kwargs):
        with unit_of_work(session):
            return service(session, *args, **kwargs)

    return committing


def end_read(session: Session) -> None:
    """End a transaction that only read with a commit rather than a rollback: there is nothing to undo, and a
    rollback makes psycopg drop every statement it prepared on the connection, so the next request parsed and
    planned the same statements anew (the token lookup that every request makes took longer to plan than to
    run)."""
    session.commit()
